"""PDFs of the front desk (reportlab): the scheda di accesso and referral / segnalazione letters.

Pure builders: plain data in, PDF bytes out (no database, no Reflex).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


@dataclass
class SchedaData:
    number: str
    tenant_name: str
    confirmed_on: str
    operator: str
    person: str
    identifier: str
    outcome: str
    rows: list[tuple[str, str, str]]  # (section, question, answer)
    follow_up: list[str] = field(default_factory=list)  # referral, case opened


@dataclass
class LetterData:
    tenant_name: str
    date: str
    destination_type: str
    destination_name: str
    person: str
    birth_date: str
    identifier: str
    accesso_number: str
    need: str
    operator: str
    segnalazione: bool = False
    reasons: list[str] = field(default_factory=list)
    details: str = ""


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontSize=16, spaceAfter=6),
        "h2": ParagraphStyle("h", parent=base["Heading2"], fontSize=12, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontSize=10, leading=13),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontSize=8, leading=10, textColor=colors.HexColor("#333333")),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _build(story: list, title: str) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                            bottomMargin=2 * cm, title=title, author="Tutela", lang="it-IT")
    doc.build(story)
    return buffer.getvalue()


def scheda_accesso_pdf(data: SchedaData) -> bytes:
    s = _styles()
    story: list = [
        _p(f"Scheda di accesso {data.number}", s["title"]),
        _p(f"{data.tenant_name} – Segretariato Sociale", s["body"]),
        _p(f"Confermata il {data.confirmed_on} da {data.operator}", s["body"]),
        _p(f"Persona: {data.person} ({data.identifier})", s["body"]),
        _p(f"Esito: {data.outcome}", s["body"]),
        Spacer(1, 8),
    ]
    for item in data.follow_up:
        story.append(_p(item, s["body"]))
    section = None
    table_rows: list[list] = []

    def flush() -> None:
        if table_rows:
            t = Table(table_rows, colWidths=[7 * cm, 10 * cm])
            t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999"))]))
            story.append(t)
            table_rows.clear()

    for sec, question, answer in data.rows:
        if sec != section:
            flush()
            story.append(_p(sec, s["h2"]))
            section = sec
        table_rows.append([_p(question, s["small"]), _p(answer, s["body"])])
    flush()
    story += [Spacer(1, 12), _p("Documento riservato: contiene dati personali trattati per conto del Comune "
                               "titolare del trattamento.", s["small"])]
    return _build(story, f"Scheda di accesso {data.number}")


def referral_letter_pdf(data: LetterData) -> bytes:
    s = _styles()
    kind = "Segnalazione" if data.segnalazione else "Invio"
    story: list = [
        _p(data.tenant_name, s["body"]),
        _p("Servizio di Segretariato Sociale", s["body"]),
        Spacer(1, 12),
        _p(f"Spett.le {data.destination_name}", s["body"]),
        _p(f"Ambito: {data.destination_type}", s["body"]),
        Spacer(1, 12),
        _p(f"{data.date}", s["body"]),
        _p(f"Oggetto: {kind.lower()} di {data.person} – rif. accesso {data.accesso_number}", s["h2"]),
        _p(f"Con la presente si {'segnala' if data.segnalazione else 'invia'} al Vostro servizio la persona "
           f"{data.person}, nata il {data.birth_date} (identificativo {data.identifier}), che si è rivolta al "
           "Segretariato Sociale.", s["body"]),
        Spacer(1, 6),
        _p("Richiesta espressa dalla persona:", s["h2"]),
        _p(data.need or "Non indicata", s["body"]),
    ]
    if data.segnalazione:
        story += [_p("Elementi di rischio rilevati:", s["h2"])]
        story += [_p(f"• {reason}", s["body"]) for reason in data.reasons] or [_p("Non indicati", s["body"])]
        if data.details:
            story += [_p("Quanto riferito o osservato:", s["h2"]), _p(data.details, s["body"])]
    story += [
        Spacer(1, 12),
        _p("Vi chiediamo cortesemente di comunicarci se la persona è stata presa in carico.", s["body"]),
        Spacer(1, 18),
        _p(f"L'operatore/operatrice: {data.operator}", s["body"]),
        Spacer(1, 12),
        _p("Documento riservato: contiene dati personali. La persona è stata informata del trattamento.", s["small"]),
    ]
    return _build(story, f"{kind} – {data.accesso_number}")
