"""PDF 'Relazione sull'andamento del servizio' for one Comune and period (reportlab).

Pure: takes the aggregated tables of the period and of the previous one, returns bytes.
Charts are drawn natively (``service_report_charts``); the commentary is written by rules
(``service_report_text``). Only aggregated figures appear: no person is named.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tutela_app.charts import palette
from tutela_app.charts.model import MetricTable, format_cell
from tutela_app.reports.service_report_charts import chart_drawing
from tutela_app.reports.service_report_text import commentary
from tutela_app.services.metrics_summary import KeyFigure, format_key_value, key_figures

TITLE = "Relazione sull'andamento del servizio"


@dataclass(frozen=True)
class ReportData:
    tenant_name: str
    services_label: str
    period_from: date
    period_to: date
    previous_from: date
    previous_to: date
    tables: list[MetricTable]
    previous_tables: list[MetricTable]
    generated_on: date


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=18, alignment=TA_LEFT, spaceAfter=4),
        "sub": ParagraphStyle("s", parent=base["Normal"], fontSize=11, leading=15),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontSize=13, spaceBefore=10, textColor=colors.HexColor("#0f4c5c")),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontSize=11, spaceBefore=8, spaceAfter=2),
        "q": ParagraphStyle("q", parent=base["Italic"], fontSize=9, leading=12),
        "body": ParagraphStyle("b", parent=base["Normal"], fontSize=10, leading=14),
        "note": ParagraphStyle("n", parent=base["Normal"], fontSize=8, leading=10, textColor=colors.HexColor("#333333")),
        "cell": ParagraphStyle("c", parent=base["Normal"], fontSize=8, leading=10),
    }


def _grid(data: list[list], widths: list[float] | None = None) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef0")),
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5a8")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _change(cur: KeyFigure, prev: KeyFigure | None) -> str:
    if prev is None or cur.value is None or prev.value is None:
        return "n.d."
    diff = cur.value - prev.value
    if cur.unit == "%":
        return f"{diff:+.1f} punti %".replace(".", ",")
    if cur.unit == "punti":
        return f"{diff:+.2f}".replace(".", ",")
    if not prev.value:
        return "n.d."
    return f"{100 * diff / prev.value:+.0f}%"


def _key_table(current: list[KeyFigure], previous: list[KeyFigure], st: dict) -> Table:
    before = {k.key: k for k in previous}
    rows: list[list] = [["Indicatore", "Periodo", "Periodo precedente", "Variazione"]]
    for k in current:
        prev = before.get(k.key)
        rows.append([Paragraph(escape(k.label), st["cell"]), format_key_value(k),
                     format_key_value(prev) if prev else "n.d.", _change(k, prev)])
    return _grid(rows, [8 * cm, 2.8 * cm, 3.4 * cm, 2.8 * cm])


def _metric_section(table: MetricTable, st: dict) -> list:
    parts: list = [Paragraph(escape(table.title), st["h3"]), Paragraph(escape(table.question), st["q"])]
    drawing = chart_drawing(table)
    if drawing is None:
        parts.append(Paragraph("Nessun dato nel periodo.", st["body"]))
        return [KeepTogether(parts)]
    parts.append(drawing)
    head = [Paragraph(f"<b>{escape(c)}</b>", st["cell"]) for c in table.columns]
    body = [[Paragraph(escape(str(r[0])), st["cell"]), *(format_cell(v) for v in r[1:])] for r in table.rows]
    first = 5.5 * cm
    rest = (17 * cm - first) / max(1, len(table.columns) - 1)
    parts.append(_grid([head, *body], [first, *([rest] * (len(table.columns) - 1))]))
    if table.note:
        parts.append(Paragraph(escape(table.note), st["note"]))
    return [KeepTogether(parts[:3]), *parts[3:]]


def _footer(canvas, doc) -> None:  # noqa: ANN001
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor(palette.TEXT))
    canvas.drawString(2 * cm, 1.2 * cm, "Dati aggregati: la relazione non contiene dati personali.")
    canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, f"Pagina {doc.page}")
    canvas.restoreState()


def render_service_report(data: ReportData) -> bytes:
    """The PDF bytes of the service report."""
    st = _styles()
    current, previous = key_figures(data.tables), key_figures(data.previous_tables)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm, bottomMargin=2 * cm,
        title=f"{TITLE} - {data.tenant_name}", subject=data.tenant_name, author="Tutela", lang="it-IT",
    )
    story: list = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"<b>{escape(data.tenant_name)}</b> · {escape(data.services_label)}", st["sub"]),
        Paragraph(f"Periodo: dal {data.period_from:%d/%m/%Y} al {data.period_to:%d/%m/%Y} "
                  f"(confronto con il periodo dal {data.previous_from:%d/%m/%Y} al {data.previous_to:%d/%m/%Y})",
                  st["sub"]),
        Paragraph(f"Relazione generata il {data.generated_on:%d/%m/%Y}", st["note"]),
        Paragraph("1. Sintesi dei principali indicatori", st["h2"]),
        _key_table(current, previous, st),
        Paragraph("2. Commento", st["h2"]),
        ListFlowable([ListItem(Paragraph(escape(s), st["body"]), leftIndent=12)
                      for s in commentary(data.tables, current, previous)], bulletType="bullet", start="•"),
        Paragraph("3. Indicatori in dettaglio", st["h2"]),
    ]
    for table in data.tables:
        story.extend(_metric_section(table, st))
        story.append(Spacer(1, 6))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()
