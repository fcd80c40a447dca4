"""The wizard's view of an accesso: plain dicts of str/int/bool (never ORM objects).

Built from the stored answers with the flow engine; the state keeps the whole view in a
backend var and sends the browser only the question on screen, the transcript and the
progress path.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from tutela_app.domain import intake_flow as engine
from tutela_app.domain.intake_members import RELATIONS
from tutela_app.domain.intake_values import format_date_it, is_minor, parse_date
from tutela_app.models import Accesso, Case, Person, Referral, Tenant
from tutela_app.services.persons import OUTCOME_LABELS

KIND_HINTS = {
    "date": "Scrivi la data come gg/mm/aaaa, ad esempio 05/03/1984.",
    "money": "Scrivi l'importo in euro, ad esempio 8.500,00.",
    "codice_fiscale": "16 caratteri, maiuscole o minuscole.",
}


def _as_input(q: engine.Question, value: Any) -> tuple[str, list[str], list[dict[str, str]]]:
    """(text value, multichoice values, members) to prefill the input with a stored answer."""
    if value is None:
        return "", [], []
    if q.kind == "yesno":
        return ("true" if value else "false") if isinstance(value, bool) else "", [], []
    if q.kind == "multichoice":
        return "", [v for v in value if isinstance(v, str)] if isinstance(value, list) else [], []
    if q.kind == "members":
        members = []
        for m in value if isinstance(value, list) else []:
            if isinstance(m, dict):
                born = parse_date(m.get("data_nascita"))
                members.append({
                    "nome": str(m.get("nome") or ""), "cognome": str(m.get("cognome") or ""),
                    "data_nascita": format_date_it(born) if born else "", "sesso": str(m.get("sesso") or ""),
                    "relazione": str(m.get("relazione") or ""), "codice_fiscale": str(m.get("codice_fiscale") or ""),
                })
        return "", [], members
    if q.kind == "date":
        d = parse_date(value)
        return (format_date_it(d) if d else str(value)), [], []
    if q.kind == "money" and isinstance(value, int | float):
        return f"{value:.2f}".replace(".", ","), [], []
    return str(value), [], []


def question_dto(q: engine.Question, answers: dict, suggested: str | None) -> dict:
    value = answers.get(q.id)
    text, multi, members = _as_input(q, value)
    if q.id == "outcome" and not text and suggested:
        text = suggested
    return {
        "id": q.id,
        "section": q.section,
        "prompt": q.prompt,
        "help": q.help,
        "hint": KIND_HINTS.get(q.kind, ""),
        "kind": q.kind,
        "required": q.required,
        "options": [{"value": o.value, "label": o.label} for o in q.options],
        "value": text,
        "values": multi,
        "members": members,
        "answered": q.id in answers,
    }


def _confirmed_links(session: Session, accesso: Accesso) -> dict:
    case = session.exec(select(Case).where(Case.accesso_id == accesso.id)).first()
    referral = session.exec(select(Referral).where(Referral.accesso_id == accesso.id)).first()
    return {
        "case_id": case.id if case else 0,
        "case_number": case.number if case else "",
        "case_service": case.service if case else "",
        "referral_id": referral.id if referral else 0,
        "referral_label": (
            ("Segnalazione a " if referral.is_segnalazione else "Invio a ") + referral.destination_name
            if referral else ""
        ),
    }


def wizard_view(session: Session, accesso: Accesso, tenant: Tenant, flow: engine.Flow, today: date) -> dict:
    answers = dict(accesso.answers or {})
    applicable = engine.applicable_questions(flow, answers, today)
    nxt = engine.next_question(flow, answers, today)
    risk = engine.risk_assessment(answers)
    suggested = engine.suggested_outcome(answers, [tenant.code])
    prog = engine.progress(flow, answers, today)
    person = session.get(Person, accesso.person_id) if accesso.person_id else None
    transcript = [
        {"qid": q.id, "section": q.section, "prompt": q.prompt, "display": engine.display_value(q, answers[q.id])}
        for q in applicable
        if q.id in answers
    ]
    view = {
        "accesso_id": accesso.id,
        "number": accesso.number,
        "status": accesso.status,
        "version": accesso.version,
        "tenant_name": tenant.name,
        "current_id": nxt.id if nxt else "",
        "questions": {q.id: question_dto(q, answers, suggested) for q in applicable},
        "transcript": transcript,
        "sections": [{"name": s.name, "status": s.status} for s in prog.sections],
        "answered": prog.answered,
        "total": prog.total,
        "risk_at_risk": risk.at_risk,
        "risk_urgent": risk.urgent,
        "risk_reasons": list(risk.reasons),
        "suggested_outcome": suggested or "",
        "suggested_outcome_label": OUTCOME_LABELS.get(suggested or "", ""),
        "person": (
            {"person_id": str(person.id), "full_name": f"{person.surname} {person.given_name}",
             "identifier": person.codice_fiscale or person.provisional_id or ""}
            if person else {}
        ),
        "outcome": accesso.outcome or "",
        "outcome_label": OUTCOME_LABELS.get(accesso.outcome or "", ""),
        "minor_in_household": any(
            isinstance(m, dict) and m.get("relazione") in RELATIONS and is_minor(m.get("data_nascita"), today)
            for m in answers.get("members") or []
        ),
    }
    view.update(_confirmed_links(session, accesso) if accesso.status == "confermato" else {
        "case_id": 0, "case_number": "", "case_service": "", "referral_id": 0, "referral_label": "",
    })
    return view

