"""Editable DOCX of a report to the court (python-docx, no office suite)."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.shared import Pt

from tutela_app.reports.court_report_content import ReportView


def render_docx(report: ReportView) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle).italic = True
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in report.header:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value or "—"
    for title, lines in report.sections:
        doc.add_heading(title, level=1)
        if not lines:
            doc.add_paragraph("Nessuna annotazione nel periodo.")
        for line in lines:
            p = doc.add_paragraph()
            p.add_run(f"[{line.ref}] ").bold = True
            p.add_run(line.text)
            if line.attribution:
                p.add_run(f" ({line.attribution})").italic = True
    if report.contributions:
        doc.add_heading("Contributi e sottoscrizioni dell'équipe", level=1)
        for c in report.contributions:
            doc.add_paragraph(f"{c.get('profession', '')} — {c.get('name', '')}, sottoscritto il {c.get('signed_at', '')}").runs[0].bold = True
            if c.get("text"):
                doc.add_paragraph(c["text"])
    for line in report.closing:
        doc.add_paragraph(line)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
