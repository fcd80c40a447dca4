"""Blocking glue between PrivacyState and the services (one transaction per call) and the
pure formatting of what the page shows (small dicts of strings, ids only, no names)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tutela_app.auth.permissions import Actor
from tutela_app.db import write_session
from tutela_app.domain.codice_fiscale import validate_cf
from tutela_app.services import privacy, privacy_subject

REPORT_CATEGORIES = (
    ("cases_to_archive", "Cartelle chiuse da archiviare"),
    ("accessi_to_delete", "Accessi allo sportello da cancellare"),
    ("persons_without_records", "Persone senza altri dati, da cancellare"),
)
MAX_IDS_SHOWN = 500


def years_label(years: object) -> str:
    return "1 anno" if str(years) == "1" else f"{years} anni"


def overview(actor: Actor) -> dict[str, list[dict[str, str]]]:
    with write_session() as session:
        data = privacy_subject.privacy_overview(session, actor)
    return {
        "retention": [{"tenant_id": str(r["tenant_id"]), "name": r["name"], "code": r["code"],
                       "years": str(r["retention_years"]), "years_label": years_label(r["retention_years"]),
                       "version": str(r["version"])} for r in data["retention"]],
        "export_comuni": [{"tenant_id": str(c["tenant_id"]), "name": c["name"]} for c in data["export_comuni"]],
    }


def save_years(actor: Actor, tenant_id: str, years: str, version: str) -> dict[str, Any]:
    with write_session() as session:
        return privacy.set_retention_years(session, actor, tenant_id, years, version)


def dry_run(actor: Actor, tenant_id: str) -> dict[str, Any]:
    with write_session() as session:
        return privacy.retention_report(session, actor, tenant_id)


def export(actor: Actor, tenant_id: str, person_id: str, codice_fiscale: str) -> tuple[int, str]:
    with write_session() as session:
        return privacy_subject.export_subject(session, actor, tenant_id, person_id or None, codice_fiscale or None)


def _ids_text(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:MAX_IDS_SHOWN])
    rest = len(ids) - MAX_IDS_SHOWN
    return f"{shown} … e altri {rest}" if rest > 0 else shown


def report_view(comune_name: str, report: dict[str, Any]) -> tuple[str, list[dict[str, str]]]:
    """Title and table rows of a dry run (counts and ids only)."""
    cutoff = date.fromisoformat(report["cutoff"]).strftime("%d/%m/%Y")
    title = (f"Simulazione per {comune_name}: conservazione di {years_label(report['retention_years'])}, "
             f"dati conclusi prima del {cutoff}. Nessun dato è stato modificato.")
    rows = []
    for key, label in REPORT_CATEGORIES:
        part = report[key]
        rows.append({"key": key, "label": label, "count": str(part["count"]), "ids": _ids_text(part["ids"]) or "—"})
    return title, rows


def check_export_form(form: dict[str, str], allowed_tenants: set[str]) -> dict[str, str]:
    """Italian messages per field for the access-request form (empty when it is fine)."""
    errors: dict[str, str] = {}
    if form["tenant_id"] not in allowed_tenants:
        errors["tenant_id"] = "Scegli un Comune tra quelli proposti."
    person_id, cf = form["person_id"], form["codice_fiscale"]
    if bool(person_id) == bool(cf):
        errors["_"] = "Indica il numero identificativo della persona oppure il codice fiscale (uno solo)."
    if person_id and not (person_id.isascii() and person_id.isdigit() and len(person_id) <= 18 and int(person_id) > 0):
        errors["person_id"] = "Il numero identificativo della persona è composto solo da cifre."
    if cf:
        check = validate_cf(cf)
        if not check.valid:
            errors["codice_fiscale"] = check.error or "Codice fiscale non valido."
    return errors
