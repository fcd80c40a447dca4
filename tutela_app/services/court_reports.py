"""Reports to the court (relazioni): draft, contributions, finalisation, sending.

Flow: ``bozza`` (drafted from the diary of a period) -> ``in_revisione`` (équipe members
contribute and sign off their part) -> ``finalizzata`` (the coordinator, permission
``court_report.finalise``) -> ``inviata`` (date and protocol number; locked: every
further change is refused). Sending closes the matching ``periodic_report`` obligation.
The draft snapshots the entries, so later diary edits never alter a report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.auth import permissions as perm
from tutela_app.auth.permissions import Actor, NotFoundOrForbidden
from tutela_app.domain.measures import MeasureType
from tutela_app.models import (
    Case,
    CourtMeasure,
    CourtReport,
    CourtReportSignoff,
    Obligation,
    Person,
    Staff,
    Tenant,
)
from tutela_app.reports.court_report_content import PROFESSIONS, Audience, ReportView, build_content, view
from tutela_app.services import audit
from tutela_app.services.court_access import FormErrors, case_for, check_id, check_version, parse_date
from tutela_app.services.diary import entries_for_report
from tutela_app.services.obligations import fulfil, refresh_case

LOCKED_MESSAGE = "La relazione è stata inviata al Tribunale: non è più modificabile."
STATUS_LABELS = {"bozza": "Bozza", "in_revisione": "In revisione", "finalizzata": "Finalizzata", "inviata": "Inviata"}
MAX_CONTRIBUTION = 8000


def _case_data(session: Session, case: Case) -> dict[str, str]:
    person = session.get(Person, case.subject_person_id)
    tenant = session.get(Tenant, case.tenant_id)
    measure = session.exec(
        select(CourtMeasure).where(CourtMeasure.case_id == case.id, CourtMeasure.status == "in_vigore")
        .order_by(CourtMeasure.issued_on.desc(), CourtMeasure.id.desc()).limit(1)
    ).first()
    child = ""
    if person is not None:
        child = f"{person.given_name} {person.surname}"
        if person.birth_date:
            child += f", nato/a il {person.birth_date.strftime('%d/%m/%Y')}"
    return {
        "number": case.number, "child": child, "service": f"Tutela Minori — {tenant.name if tenant else ''}",
        "court": measure.court if measure else "", "docket": measure.docket_number if measure else "",
        "measure": MeasureType(measure.measure_type).label if measure else "",
    }


def _period(date_from: Any, date_to: Any) -> tuple[date, date]:
    errors: dict[str, str] = {}
    d1 = parse_date(date_from, "period_from", errors, required=True)
    d2 = parse_date(date_to, "period_to", errors, required=True)
    if d1 and d2 and d2 < d1:
        errors["period_to"] = "La fine del periodo deve seguire l'inizio."
    if errors:
        raise FormErrors(errors)
    return d1, d2  # type: ignore[return-value]


def _next_periodic(session: Session, case_id: int) -> Obligation | None:
    return session.exec(
        select(Obligation).where(
            Obligation.case_id == case_id, Obligation.kind == "periodic_report", Obligation.status == "aperto"
        ).order_by(Obligation.due_at).limit(1)
    ).first()


def draft_report(session: Session, actor: Actor, case_id: Any, date_from: Any, date_to: Any) -> CourtReport:
    case = case_for(session, actor, case_id, "measure.edit")
    d1, d2 = _period(date_from, date_to)
    content = build_content(_case_data(session, case), entries_for_report(session, case.id, d1, d2), d1, d2)
    ob = _next_periodic(session, case.id)
    report = CourtReport(
        case_id=case.id, tenant_id=case.tenant_id, obligation_id=ob.id if ob else None,
        period_from=d1, period_to=d2, content=content, created_by=actor.staff_id,
    )
    session.add(report)
    session.flush()
    audit.record(session, actor, "create", "court_report", report.id, tenant_id=case.tenant_id)
    return report


def _load(session: Session, actor: Actor, report_id: Any, action: str = "measure.edit") -> tuple[CourtReport, Case]:
    report = session.get(CourtReport, check_id(report_id))
    if report is None:
        raise NotFoundOrForbidden
    case = case_for(session, actor, report.case_id, "case.read" if action == "read" else "measure.edit")
    return report, case


def _editable(report: CourtReport, version: Any) -> None:
    if report.status == "inviata":
        raise FormErrors({"_": LOCKED_MESSAGE})
    check_version(report, version, {"Stato": STATUS_LABELS.get(report.status, report.status), "Versione": str(report.version)})


def refresh_draft(session: Session, actor: Actor, report_id: Any, version: Any) -> CourtReport:
    """Re-read the diary of the period (only while nobody has signed off yet)."""
    report, case = _load(session, actor, report_id)
    _editable(report, version)
    if report.status != "bozza":
        raise FormErrors({"_": "La relazione ha già contributi sottoscritti: non si può rigenerare."})
    report.content = build_content(
        _case_data(session, case), entries_for_report(session, case.id, report.period_from, report.period_to),
        report.period_from, report.period_to,
    )
    session.add(report)
    session.flush()
    audit.record(session, actor, "update", "court_report", report.id, tenant_id=case.tenant_id, detail="rigenerata")
    return report


def sign_contribution(session: Session, actor: Actor, report_id: Any, version: Any, text: Any) -> CourtReportSignoff:
    """An équipe member contributes their part and signs it off (one per person; re-signing replaces)."""
    report, case = _load(session, actor, report_id)
    _editable(report, version)
    if report.status == "finalizzata":
        raise FormErrors({"_": "La relazione è già finalizzata: chiedi al coordinatore di riaprirla."})
    body = str(text or "").strip() if isinstance(text, str) else ""
    if len(body) > MAX_CONTRIBUTION:
        raise FormErrors({"contribution": f"Massimo {MAX_CONTRIBUTION} caratteri."})
    for old in session.exec(select(CourtReportSignoff).where(
        CourtReportSignoff.report_id == report.id, CourtReportSignoff.staff_id == actor.staff_id
    )).all():
        session.delete(old)
    signoff = CourtReportSignoff(report_id=report.id, staff_id=actor.staff_id, profession=actor.profession, section_text=body or None)
    session.add(signoff)
    report.status = "in_revisione"
    session.add(report)
    session.flush()
    audit.record(session, actor, "update", "court_report", report.id, tenant_id=case.tenant_id, detail="sottoscritta")
    return signoff


def finalise_report(session: Session, actor: Actor, report_id: Any, version: Any) -> CourtReport:
    report, case = _load(session, actor, report_id, "read")
    perm.require(actor, "court_report.finalise", case.tenant_id)
    _editable(report, version)
    if not session.exec(select(CourtReportSignoff.id).where(CourtReportSignoff.report_id == report.id)).first():
        raise FormErrors({"_": "Serve almeno un contributo sottoscritto dall'équipe prima di finalizzare."})
    report.status = "finalizzata"
    report.finalised_by = actor.staff_id
    session.add(report)
    session.flush()
    audit.record(session, actor, "update", "court_report", report.id, tenant_id=case.tenant_id, detail="finalizzata")
    return report


def send_report(session: Session, actor: Actor, report_id: Any, version: Any, sent_on: Any, protocol: Any) -> CourtReport:
    """Record the sending (date + protocol), lock the report, close its obligation."""
    report, case = _load(session, actor, report_id)
    errors: dict[str, str] = {}
    on = parse_date(sent_on, "sent_on", errors, required=True)
    if on and on > date.today():
        errors["sent_on"] = "La data di invio non può essere nel futuro."
    proto = str(protocol or "").strip() if isinstance(protocol, str) else ""
    if not proto or len(proto) > 60:
        errors["protocol"] = "Inserisci il numero di protocollo (massimo 60 caratteri)."
    if errors:
        raise FormErrors(errors)
    _editable(report, version)
    if report.status != "finalizzata":
        raise FormErrors({"_": "Si può inviare solo una relazione finalizzata dal coordinatore."})
    report.status, report.sent_on, report.protocol_number = "inviata", on, proto
    ob = session.get(Obligation, report.obligation_id) if report.obligation_id else None
    if ob is None or ob.status != "aperto":
        ob = _next_periodic(session, case.id)
    if ob is not None:
        report.obligation_id = ob.id
        fulfil(session, ob, actor, "Relazione periodica trasmessa al Tribunale", on, proto)  # type: ignore[arg-type]
    session.add(report)
    session.flush()
    refresh_case(session, case)
    audit.record(session, actor, "update", "court_report", report.id, tenant_id=case.tenant_id, detail="inviata")
    return report


def list_reports(session: Session, actor: Actor, case_id: Any) -> list[CourtReport]:
    case = case_for(session, actor, case_id, "case.read")
    return list(session.exec(select(CourtReport).where(CourtReport.case_id == case.id).order_by(CourtReport.id.desc())).all())


def signoffs(session: Session, report_id: int) -> list[dict[str, str]]:
    rows = session.exec(
        select(CourtReportSignoff, Staff.display_name).join(Staff, Staff.id == CourtReportSignoff.staff_id)
        .where(CourtReportSignoff.report_id == report_id).order_by(CourtReportSignoff.signed_at)
    ).all()
    return [{
        "staff_id": str(s.staff_id), "name": name, "profession": PROFESSIONS.get(s.profession or "", s.profession or ""),
        "text": s.section_text or "", "signed_at": s.signed_at.strftime("%d/%m/%Y"),
    } for s, name in rows]


def report_view(session: Session, actor: Actor, report_id: Any, audience: Audience) -> ReportView:
    """The report for the court or as the parties will read it (confidential lines hidden)."""
    if audience not in ("tribunale", "parti"):
        raise NotFoundOrForbidden
    report, case = _load(session, actor, report_id, "read")
    finaliser = session.get(Staff, report.finalised_by) if report.finalised_by else None
    audit.record(session, actor, "read", "court_report", report.id, tenant_id=case.tenant_id, person_id=case.subject_person_id, detail=audience)
    return view(
        report.content, audience, status=report.status, contributions=signoffs(session, report.id),
        sent_on=report.sent_on, protocol_number=report.protocol_number,
        finalised_by=finaliser.display_name if finaliser else None,
    )


def export_report(session: Session, actor: Actor, report_id: Any, audience: Any, fmt: Any) -> tuple[str, bytes]:
    """(file name, bytes) of the DOCX or PDF rendering."""
    if fmt not in ("docx", "pdf") or audience not in ("tribunale", "parti"):
        raise NotFoundOrForbidden
    rv = report_view(session, actor, report_id, audience)
    report = session.get(CourtReport, check_id(report_id))
    audit.record(session, actor, "export", "court_report", report.id, tenant_id=report.tenant_id, detail=f"{fmt}:{audience}")
    if fmt == "docx":
        from tutela_app.reports.court_report_docx import render_docx  # noqa: PLC0415

        data = render_docx(rv)
    else:
        from tutela_app.reports.court_report_pdf import render_pdf  # noqa: PLC0415

        data = render_pdf(rv)
    suffix = "" if audience == "tribunale" else "-parti"
    return f"relazione-{report.id}{suffix}.{fmt}", data
