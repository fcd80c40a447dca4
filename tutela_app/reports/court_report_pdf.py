"""PDF of a report to the court (reportlab, no office suite)."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tutela_app.reports.court_report_content import ReportView


def _p(text: str, style) -> Paragraph:  # noqa: ANN001
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_pdf(report: ReportView) -> bytes:
    out = BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=report.title, lang="it",
    )
    story: list = [_p(report.title, styles["Title"]), _p(report.subtitle, styles["Italic"]), Spacer(1, 8)]
    table = Table([[_p(k, styles["Normal"]), _p(v or "—", styles["Normal"])] for k, v in report.header], colWidths=[5 * cm, 12 * cm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, Spacer(1, 10)]
    for title, lines in report.sections:
        story.append(_p(title, styles["Heading2"]))
        if not lines:
            story.append(_p("Nessuna annotazione nel periodo.", styles["Normal"]))
        for line in lines:
            attribution = f" <i>({escape(line.attribution)})</i>" if line.attribution else ""
            story.append(Paragraph(f"<b>[{escape(line.ref)}]</b> {escape(line.text)}{attribution}", styles["Normal"]))
            story.append(Spacer(1, 4))
    if report.contributions:
        story.append(_p("Contributi e sottoscrizioni dell'équipe", styles["Heading2"]))
        for c in report.contributions:
            story.append(_p(f"{c.get('profession', '')} — {c.get('name', '')}, sottoscritto il {c.get('signed_at', '')}", styles["Heading4"]))
            if c.get("text"):
                story.append(_p(c["text"], styles["Normal"]))
    if report.closing:
        story.append(Spacer(1, 10))
        story += [_p(line, styles["Normal"]) for line in report.closing]
    doc.build(story)
    return out.getvalue()
