"""Pure assembly of a report to the court (relazione) — no database, no Reflex.

Art. 473-bis.27 c.p.c. requires the report to keep apart facts established, statements
of the parties and third persons (saying whose) and the workers' evaluations (saying
the method). :func:`build_content` snapshots the diary entries of the period into those
three sections, each line keeping the id and date of its entry (traceability);
:func:`view` renders the snapshot for the court or for the parties, where lines marked
confidential (third-party data) are replaced by an omission notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("fatto", "fatti", "1. Fatti accertati"),
    ("dichiarazione", "dichiarazioni", "2. Dichiarazioni delle parti e di terzi"),
    ("valutazione", "valutazioni", "3. Valutazioni professionali"),
)
OMISSIS = "[Omissis: dati riservati di terzi, non ostensibili alle parti]"
PROFESSIONS = {"assistente_sociale": "Assistente sociale", "psicologo": "Psicologo/a", "educatore": "Educatore/Educatrice"}
Audience = Literal["tribunale", "parti"]


def _fmt(d: date | str | None) -> str:
    if d is None or d == "":
        return ""
    value = date.fromisoformat(d) if isinstance(d, str) else d
    return value.strftime("%d/%m/%Y")


def build_content(case_data: dict[str, str], entries: list[Any], period_from: date, period_to: date) -> dict[str, Any]:
    """Snapshot of the report: case data and the entries grouped in the three sections."""
    sections: dict[str, list[dict[str, Any]]] = {key: [] for _, key, _ in SECTIONS}
    by_tag = {tag: key for tag, key, _ in SECTIONS}
    for e in sorted(entries, key=lambda x: (x.occurred_on, x.id)):
        if getattr(e, "restricted_to_profession", False):
            continue  # restricted notes never enter a report
        key = by_tag.get(e.tag)
        if key is None:
            continue
        sections[key].append({
            "entry_id": e.id, "date": e.occurred_on.isoformat(), "text": e.text,
            "source": e.source or "", "method": e.method or "",
            "profession": e.author_profession or "", "confidential": bool(e.confidential),
        })
    return {
        "case": dict(case_data),
        "period_from": period_from.isoformat(),
        "period_to": period_to.isoformat(),
        "sections": sections,
    }


@dataclass
class ReportLine:
    ref: str  # "Annotazione n. 12 del 03/02/2025"
    text: str
    attribution: str  # "Fonte: la madre" / "Metodo: colloquio" / ""
    entry_id: int
    redacted: bool = False


@dataclass
class ReportView:
    title: str
    subtitle: str
    audience: Audience
    header: list[tuple[str, str]]
    sections: list[tuple[str, list[ReportLine]]]
    contributions: list[dict[str, str]] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)


def _line(item: dict[str, Any], key: str, audience: Audience) -> ReportLine:
    ref = f"Annotazione n. {item['entry_id']} del {_fmt(item['date'])}"
    if audience == "parti" and item.get("confidential"):
        return ReportLine(ref, OMISSIS, "", int(item["entry_id"]), redacted=True)
    prof = PROFESSIONS.get(item.get("profession") or "", "")
    if key == "dichiarazioni":
        attribution = f"Dichiarazione di: {item.get('source') or 'non indicato'}"
    elif key == "valutazioni":
        attribution = f"Metodo/strumento: {item.get('method') or 'non indicato'}" + (f" — {prof}" if prof else "")
    else:
        attribution = f"Rilevato da: {prof}" if prof else ""
    return ReportLine(ref, str(item.get("text") or ""), attribution, int(item["entry_id"]))


def view(
    content: dict[str, Any], audience: Audience, *, status: str = "bozza", contributions: list[dict[str, str]] | None = None,
    sent_on: date | None = None, protocol_number: str | None = None, finalised_by: str | None = None,
) -> ReportView:
    """The report as the court (``tribunale``) or the parties (``parti``) will read it."""
    case = content.get("case", {})
    header = [
        ("Autorità giudiziaria", case.get("court", "")),
        ("Procedimento", case.get("docket", "")),
        ("Provvedimento in corso", case.get("measure", "")),
        ("Minore", case.get("child", "")),
        ("Caso", case.get("number", "")),
        ("Servizio", case.get("service", "")),
        ("Periodo", f"dal {_fmt(content.get('period_from'))} al {_fmt(content.get('period_to'))}"),
    ]
    sections = []
    for _, key, title in SECTIONS:
        items = content.get("sections", {}).get(key, [])
        sections.append((title, [_line(i, key, audience) for i in items]))
    closing = []
    if finalised_by:
        closing.append(f"Relazione finalizzata dal coordinatore: {finalised_by}")
    if status == "inviata" and sent_on:
        closing.append(f"Trasmessa il {_fmt(sent_on)} — protocollo n. {protocol_number or ''}")
    subtitle = "Versione per il Tribunale" if audience == "tribunale" else "Versione ostensibile alle parti"
    if status not in ("finalizzata", "inviata"):
        subtitle += " — BOZZA"
    return ReportView(
        title="Relazione di aggiornamento all'Autorità Giudiziaria",
        subtitle=subtitle + " (art. 473-bis.27 c.p.c.)",
        audience=audience, header=header, sections=sections,
        contributions=list(contributions or []), closing=closing,
    )
