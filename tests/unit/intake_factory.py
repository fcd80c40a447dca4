"""Small factories for the front-desk service and state tests (tenants, staff, actors, scripts)."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from tutela_app.auth.permissions import Actor
from tutela_app.db import write_session
from tutela_app.domain.codice_fiscale import encode_cf
from tutela_app.models import Person, RoleGrant, Staff, Tenant
from tutela_app.services import intake

ADULT_CF = encode_cf("Rossi", "Mario", "M", date(1980, 1, 1), "Milano")


def make_world(engine) -> dict:  # noqa: ANN001
    """Comune Demo (both services), Cantù (front desk only) and staff with grants."""
    with write_session(engine) as s:
        demo = Tenant(code="demo", name="Comune Demo", buys_tutela_minori=True, buys_segretariato=True)
        cantu = Tenant(code="cantu", name="Comune di Cantù", buys_tutela_minori=False, buys_segretariato=True)
        s.add(demo)
        s.add(cantu)
        s.flush()
        actors = {}
        for key, tenant, role in (
            ("op_demo", demo, "operatore_sportello"), ("op2_demo", demo, "operatore_sportello"),
            ("op_cantu", cantu, "operatore_sportello"), ("coord_demo", demo, "coordinatore"),
            ("admin", demo, "amministratore"), ("as_demo", demo, "equipe"),
        ):
            staff = Staff(issuer="urn:test", subject=key, display_name=f"Staff {key}")
            s.add(staff)
            s.flush()
            s.add(RoleGrant(staff_id=staff.id, tenant_id=tenant.id, role=role))
            actors[key] = Actor(staff_id=staff.id, display_name=staff.display_name, profession=None,
                                roles_by_tenant={tenant.id: frozenset({role})}, tenant_codes={tenant.id: tenant.code})
        return {"demo": demo.id, "cantu": cantu.id, **actors}


def add_person(engine, tenant_id: int, **kw) -> int:  # noqa: ANN001
    with write_session(engine) as s:
        p = Person(tenant_id=tenant_id, **kw)
        s.add(p)
        s.flush()
        return p.id


ADULT_INVIO_CASA = {
    "who_comes": "persona", "surname": "Rossi", "name": "Mario", "sex": "M", "birth_date": "01/01/1980",
    "birthplace": "Milano", "has_cf": "true", "codice_fiscale": ADULT_CF.lower(), "residence_comune": "demo",
    "residence_address": "Via Roma 1", "members": [], "need_area": "poverta_disagio_adulti",
    "need_description": "Ho perso il lavoro e non riesco a pagare l'affitto.", "isee_relevant": "true",
    "isee_value": "8.500,00", "isee_dsu_protocol": "INPS-ISEE-2026-00012345A-00", "isee_type": "ordinario",
    "isee_expiry": "31/12/2099", "services_involved": [], "privacy_notice_given": "true", "outcome": "invio",
    "referral_service_type": "casa", "referral_destination": "Ufficio casa comunale", "notes": "",
}

MOTHER_TWO_MINORS = {
    "who_comes": "persona", "surname": "Bianchi", "name": "Anna", "sex": "F", "birth_date": "12/03/1988",
    "birthplace": "", "has_cf": "false", "residence_comune": "demo", "residence_address": "",
    "members": [
        {"nome": "Luca", "cognome": "Bianchi", "data_nascita": "02/02/2016", "sesso": "M", "relazione": "figlio"},
        {"nome": "Sara", "cognome": "Bianchi", "data_nascita": "05/06/2019", "sesso": "F", "relazione": "figlio"},
    ],
    "need_area": "famiglia_minori", "need_description": "Il compagno è violento davanti ai bambini.",
    "isee_relevant": "false", "services_involved": ["scuola"], "risk_maltreatment": "false",
    "risk_domestic_violence": "true", "risk_parental_difficulty": "false", "risk_school_dropout": "false",
    "risk_urgent": "false", "risk_details": "La madre riferisce litigi violenti in presenza dei figli.",
    "privacy_notice_given": "true", "outcome": "segnalazione_tm", "notes": "",
}


def answer_all(engine, actor: Actor, accesso_id: int, script: dict) -> dict:  # noqa: ANN001
    """Answer the current question from ``script`` until the summary; returns the last view."""
    with write_session(engine) as s:
        view = intake.open_accesso(s, actor, accesso_id)
    for _ in range(60):
        qid = view["current_id"]
        if not qid:
            return view
        with write_session(engine) as s:
            result = intake.save_answer(s, actor, accesso_id, qid, script[qid], view["version"])
        assert result["ok"], (qid, result["error"])
        view = result["view"]
    raise AssertionError("the flow did not end")


def start(engine, actor: Actor, tenant_id: int) -> int:  # noqa: ANN001
    with write_session(engine) as s:
        return intake.start_accesso(s, actor, tenant_id)


def session_for(engine) -> Session:  # noqa: ANN001
    return Session(engine, expire_on_commit=False)
