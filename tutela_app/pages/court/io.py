"""Blocking glue between the court page states and the services: one transaction per
call, ORM rows turned into small DTOs (dicts of strings) before they leave."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tutela_app.auth.permissions import Actor
from tutela_app.db import write_session
from tutela_app.domain.deadlines import ROME, urgency
from tutela_app.domain.measures import MeasureType
from tutela_app.models import Person, utcnow
from tutela_app.services import court_reports, diary, measures, obligations, placements, probation
from tutela_app.services.court_access import case_for, initials
from tutela_app.services.staff import staff_display_names

CASE_PATH = re.compile(r"^/casi/(\d{1,18})/tribunale/?$")
OB_STATUS = {"aperto": "Aperta", "adempiuto": "Adempiuta", "annullato": "Annullata"}
URGENCY = {"overdue": "Scaduta", "this_week": "Entro 7 giorni", "later": "In programma"}


def case_id_from_path(path: str) -> str:
    m = CASE_PATH.match(path or "")
    return m.group(1) if m else ""


def d(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def tx(fn: Any, *args: Any) -> Any:
    with write_session() as session:
        return fn(session, *args)


def load_court(actor: Actor, case_id: str) -> dict[str, Any]:
    """Header, measures, obligations and placements of the case."""
    with write_session() as s:
        case = case_for(s, actor, case_id, "case.read", audit_read=True)
        person = s.get(Person, case.subject_person_id)
        ms = measures.list_measures(s, actor, case.id)
        obs = obligations.list_obligations(s, actor, case.id)
        pls = placements.list_placements(s, actor, case.id)
        now = utcnow()
        return {
            "header": {"id": str(case.id), "number": case.number, "initials": initials(person),
                       "measure": MeasureType(case.current_measure_type).label if case.current_measure_type else "Nessuna misura in vigore"},
            "measures": [{
                "id": str(m.id), "version": str(m.version), "type": m.measure_type, "label": MeasureType(m.measure_type).label,
                "court": m.court, "docket": m.docket_number, "issued": d(m.issued_on), "notified": d(m.notified_on),
                "end": d(m.end_date), "period": f"{m.report_period_months} mesi" if m.report_period_months else "",
                "hearing": d(m.next_hearing), "tasks": m.tasks or "", "status": m.status,
                "status_label": measures.STATUS_LABELS.get(m.status, m.status),
                "supersedes": str(m.supersedes_id or ""), "active": "1" if m.status == "in_vigore" else "",
            } for m in ms],
            "form_values": {str(m.id): measures.measure_form_values(m) for m in ms if m.status == "in_vigore"},
            "obligations": [{
                "id": str(o.id), "version": str(o.version), "kind": o.kind, "title": o.title, "basis": o.legal_basis or "",
                "due": o.due_at.astimezone(ROME).strftime("%d/%m/%Y %H:%M"), "status": o.status,
                "status_label": OB_STATUS.get(o.status, o.status),
                "urgency": urgency(o.due_at, now) if o.status == "aperto" else "",
                "urgency_label": URGENCY[urgency(o.due_at, now)] if o.status == "aperto" else "",
                "act": o.fulfilling_act or "", "fulfilled_on": d(o.fulfilled_on), "protocol": o.protocol_number or "",
                "open": "1" if o.status == "aperto" else "",
            } for o in obs if o.status != "annullato"],
            "placements": [{
                "id": str(p.id), "version": str(p.version), "kind": placements.KIND_LABELS.get(p.kind, p.kind),
                "host": p.host_name, "start": d(p.start_on), "end": d(p.end_on),
                "outcome": placements.OUTCOME_LABELS.get(p.outcome or "", ""), "open": "" if p.end_on else "1",
            } for p in pls],
            "has_map": "1" if any(m.measure_type == "messa_alla_prova" for m in ms) else "",
        }


def load_diary(actor: Actor, case_id: str) -> list[dict[str, str]]:
    with write_session() as s:
        rows = diary.list_entries(s, actor, case_id)
        names = staff_display_names(s, {e.author_id for e in rows if e.author_id})
        return [{
            "id": str(e.id), "date": d(e.occurred_on), "tag": e.tag, "tag_label": diary.TAG_LABELS[e.tag],
            "text": e.text, "source": e.source or "", "method": e.method or "",
            "author": names.get(e.author_id or 0, ""), "restricted": "1" if e.restricted_to_profession else "",
            "confidential": "1" if e.confidential else "",
        } for e in rows]


def load_reports(actor: Actor, case_id: str) -> list[dict[str, str]]:
    with write_session() as s:
        return [{
            "id": str(r.id), "version": str(r.version), "period": f"{d(r.period_from)} – {d(r.period_to)}",
            "status": r.status, "status_label": court_reports.STATUS_LABELS.get(r.status, r.status),
            "sent": f"{d(r.sent_on)} prot. {r.protocol_number}" if r.sent_on else "",
        } for r in court_reports.list_reports(s, actor, case_id)]


def load_report_view(actor: Actor, report_id: str, audience: str) -> dict[str, Any]:
    with write_session() as s:
        v = court_reports.report_view(s, actor, report_id, audience)  # type: ignore[arg-type]
        return {
            "title": v.title, "subtitle": v.subtitle,
            "header": [{"label": k, "value": val or "—"} for k, val in v.header],
            "sections": [{"title": t, "lines": [{"ref": ln.ref, "text": ln.text, "attribution": ln.attribution,
                                                  "redacted": "1" if ln.redacted else ""} for ln in lines]}
                         for t, lines in v.sections],
            "contributions": [{k: c[k] for k in ("name", "profession", "text", "signed_at")} for c in v.contributions],
            "closing": v.closing,
        }


def load_probation(actor: Actor, case_id: str) -> dict[str, Any]:
    with write_session() as s:
        p = probation.get_project(s, actor, case_id)
        if p is None:
            return {}
        pres, log = probation.project_detail(s, p.id)
        return {
            "project": {"id": str(p.id), "version": str(p.version), "ussm": p.ussm_contact or "", "start": d(p.start_on),
                        "end": d(p.end_on), "outcome": probation.OUTCOME_LABELS.get(p.outcome or "in_corso", ""),
                        "outcome_on": d(p.outcome_on)},
            "prescriptions": [{"kind": probation.PRESCRIPTION_LABELS.get(x.kind, x.kind), "text": x.description} for x in pres],
            "log": [{"date": d(x.occurred_on), "kind": x.kind, "kind_label": probation.LOG_LABELS.get(x.kind, x.kind),
                     "text": x.text} for x in log],
        }
