"""Obligations of a court measure: the app's engine when present, else simple defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from tutela_app.seed.context import at

BASIS = {
    "collocamento_403": "art. 403 c.c.", "affidamento_servizio_sociale": "art. 5-bis L. 184/1983",
    "affido_familiare": "art. 4 L. 184/1983", "collocamento_comunita": "L. 184/1983",
    "limitazione_responsabilita": "art. 333 c.c.", "decadenza_responsabilita": "art. 330 c.c.",
    "decreto_provvisorio": "art. 336 c.c.", "messa_alla_prova": "art. 28 DPR 448/1988",
}
REPORTING = {"affidamento_servizio_sociale", "affido_familiare", "collocamento_comunita"}
TIME_LIMITED = {"affidamento_servizio_sociale", "affido_familiare"}


@dataclass
class Spec:
    kind: str
    title: str
    due: datetime  # tz-aware UTC
    legal_basis: str
    sequence: int = 0


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError


def _eod(d: date) -> datetime:
    return at(d, 23, 59)


def _fallback(m: dict) -> list[Spec]:
    """Simple defaults (used when tutela_app.domain.deadlines is not available)."""
    t, start = m["measure_type"], m["notified_on"] or m["issued_on"]
    basis = BASIS[t]
    out: list[Spec] = []
    if t == "collocamento_403":
        eff = m["effective_at"]
        for hours, kind, title in ((24, "403_notice_pm", "Trasmettere al PM il provvedimento di collocamento (24 ore)"),
                                   (96, "403_pm_request_tm", "Richiesta di convalida del PM al Tribunale (72 ore)"),
                                   (144, "403_tm_decision", "Decisione del Tribunale sulla convalida (48 ore)")):
            out.append(Spec(kind, title, eff + timedelta(hours=hours), basis))
        out.append(Spec("403_hearing", "Udienza di comparizione delle parti (entro 15 giorni)",
                        _eod((eff + timedelta(hours=144)).date() + timedelta(days=15)), basis))
        return out
    if t == "messa_alla_prova":
        end = m["end_date"]
        out.append(Spec("map_end", "Fine del periodo di sospensione per la messa alla prova", _eod(end), basis))
        out.append(Spec("map_outcome_hearing", "Udienza sull'esito della messa alla prova (relazione finale)",
                        _eod(end + timedelta(days=30)), "art. 29 DPR 448/1988"))
        return out
    period = m["report_period_months"] or (6 if t in REPORTING else None)
    horizon = m["end_date"] or add_months(start, 24)
    if period:
        seq = 1
        while (raw := add_months(start, seq * period)) <= horizon:
            out.append(Spec("periodic_report", f"Relazione periodica n. {seq} all'Autorità Giudiziaria",
                            _eod(raw), f"{basis}; art. 473-bis.27 c.p.c.", seq))
            seq += 1
    if t == "affidamento_servizio_sociale":
        out.append(Spec("name_responsible_worker", "Nominare l'operatore responsabile del caso (entro 15 giorni)",
                        _eod(start + timedelta(days=15)), basis))
    if t in TIME_LIMITED:
        out.append(Spec("extension_request", f"Valutare la richiesta di proroga: la misura scade il {horizon:%d/%m/%Y}",
                        _eod(horizon - timedelta(days=60)), "art. 4 c. 4 L. 184/1983"))
        out.append(Spec("measure_expiry", "Scadenza della misura", _eod(horizon), "art. 4 c. 4 L. 184/1983"))
    elif m["end_date"]:
        out.append(Spec("measure_expiry", "Scadenza della misura", _eod(m["end_date"]), basis))
    if m["next_hearing"]:
        out.append(Spec("next_hearing", "Prossima udienza", _eod(m["next_hearing"]), basis))
    for d in m["decree_deadlines"]:
        out.append(Spec(d["kind"], d["title"], _eod(date.fromisoformat(d["due"])), "art. 473-bis.27 c.p.c. (decreto)"))
    return out


def _engine(m: dict) -> list[Spec] | None:
    try:
        from tutela_app.domain.deadlines import obligations_for_measure  # noqa: PLC0415
        from tutela_app.domain.measures import DecreeDeadline, MeasureInput, MeasureType  # noqa: PLC0415

        specs = obligations_for_measure(MeasureInput(
            measure_type=MeasureType(m["measure_type"]), issued_on=m["issued_on"], notified_on=m["notified_on"],
            effective_at=m["effective_at"], report_period_months=m["report_period_months"],
            end_date=m["end_date"], next_hearing=m["next_hearing"],
            decree_deadlines=[DecreeDeadline(d["kind"], d["title"], date.fromisoformat(d["due"]))
                              for d in m["decree_deadlines"]],
        ))
        return [Spec(s.kind, s.title, s.due.astimezone(UTC), s.legal_basis, s.sequence or 0) for s in specs]
    except Exception:  # noqa: BLE001 - the engine is optional for the seed
        return None


USE_ENGINE = True


def obligations_for(m: dict) -> list[Spec]:
    """Obligations of measure row ``m`` (a dict with the CourtMeasure columns)."""
    specs = _engine(m) if USE_ENGINE else None
    return specs if specs is not None else sorted(_fallback(m), key=lambda s: s.due)
