"""Italian labels, and the small dicts the administration page sends to the client."""

from __future__ import annotations

from tutela_app.services.staff_admin import GrantRow, StaffRow, TenantRow

ROLE_LABELS = {
    "operatore_sportello": "Operatore di sportello",
    "equipe": "Équipe",
    "coordinatore": "Coordinatore",
    "amministratore": "Amministratore",
    "referente_comunale": "Referente comunale",
}
PROFESSION_LABELS = {
    "assistente_sociale": "Assistente sociale",
    "psicologo": "Psicologo",
    "educatore": "Educatore",
}


def tenant_dict(t: TenantRow) -> dict[str, str]:
    return {
        "id": str(t.id),
        "name": t.name,
        "code": t.code,
        "tutela_minori": "1" if t.buys_tutela_minori else "",
        "segretariato": "1" if t.buys_segretariato else "",
        "active": "" if t.active else "non attivo",
    }


def staff_option(s: StaffRow) -> dict[str, str]:
    return {"value": str(s.id), "label": s.display_name + ("" if s.active else " (disattivato)")}


def unassigned_dict(s: StaffRow) -> dict[str, str]:
    return {
        "id": str(s.id),
        "name": s.display_name,
        "profession": PROFESSION_LABELS.get(s.profession or "", ""),
    }


def grant_dict(g: GrantRow) -> dict[str, str]:
    return {
        "id": str(g.id),
        "staff": g.staff_name,
        "tenant": g.tenant_code,
        "role": ROLE_LABELS.get(g.role, g.role),
        "source": "Provider di identità" if g.source == "claim" else "Tutela",
        "removable": "1" if g.source == "app" else "",
    }
