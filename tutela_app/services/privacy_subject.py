"""The privacy administration page's service glue: which Comuni the actor may handle, and
finding the data subject of an access request by id or codice fiscale within one Comune.

The export itself (and its audit event) is :func:`privacy_export.export_person_json`; the
retention settings and dry run are in :mod:`privacy`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tutela_app.auth.permissions import Actor, NotFoundOrForbidden, require, tenants_for
from tutela_app.domain.codice_fiscale import validate_cf
from tutela_app.models import Person, Tenant
from tutela_app.services.case_access import InvalidInput, check_id
from tutela_app.services.privacy import retention_settings
from tutela_app.services.privacy_export import export_person_json


def privacy_overview(session: Session, actor: Actor | None) -> dict:
    """Retention settings (with Comune names) and the Comuni where the actor may export.

    Raises :class:`NotFoundOrForbidden` when the actor has neither permission anywhere.
    """
    export_ids = tenants_for(actor, "privacy.subject_export")
    settings = retention_settings(session, actor)
    if not export_ids and not settings:
        raise NotFoundOrForbidden
    ids = set(export_ids) | {s["tenant_id"] for s in settings}
    names = dict(session.execute(select(Tenant.id, Tenant.name).where(Tenant.id.in_(ids))).all())
    retention = [{**s, "name": names.get(s["tenant_id"], s["code"])} for s in settings]
    export = sorted(({"tenant_id": t, "name": names.get(t, str(t))} for t in export_ids if t in names),
                    key=lambda row: row["name"])
    return {"retention": retention, "export_comuni": export}


def find_subject(session: Session, actor: Actor | None, tenant_id: object, person_id: object = None,
                 codice_fiscale: object = None) -> int:
    """The id of the Comune's person with this id or this codice fiscale (exactly one given).

    A person of another Comune, or one the actor may not export, is reported as not found.
    """
    tid = check_id(tenant_id)
    require(actor, "privacy.subject_export", tid)
    has_id = person_id not in (None, "")
    has_cf = codice_fiscale not in (None, "")
    if has_id == has_cf:
        raise InvalidInput({"_": "Indica il numero identificativo della persona oppure il codice fiscale (uno solo)."})
    if has_id:
        person = session.get(Person, check_id(person_id))
    else:
        check = validate_cf(codice_fiscale)
        if not check.valid:
            raise InvalidInput({"codice_fiscale": check.error or "Codice fiscale non valido."})
        person = session.execute(select(Person).where(
            Person.tenant_id == tid, Person.codice_fiscale == check.normalized)).scalars().first()
    if person is None or person.tenant_id != tid:
        raise NotFoundOrForbidden
    return int(person.id)  # type: ignore[arg-type]


def export_subject(session: Session, actor: Actor | None, tenant_id: object, person_id: object = None,
                   codice_fiscale: object = None) -> tuple[int, str]:
    """(person id, JSON document) for an access request; audited by the export."""
    pid = find_subject(session, actor, tenant_id, person_id, codice_fiscale)
    return pid, export_person_json(session, actor, pid)
