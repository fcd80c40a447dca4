"""Tenants, the development provider's demo login users and synthetic équipe staff."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from tutela_app.models import Staff
from tutela_app.seed.config import SYNTHETIC_ISSUER, TENANTS
from tutela_app.seed.context import Ctx, TenantInfo
from tutela_app.settings import PROJECT_ROOT, get_settings

USERS_FILE = PROJECT_ROOT / "devtools" / "oidc" / "users.json"

# Used when devtools/oidc/users.json is missing: (username, sub, name, roles, comuni, profession)
FALLBACK_USERS = (
    ("operatore.demo", "u-operatore-demo", "Marta Demo Sportelli", ["operatore_sportello"], ["demo"], None),
    ("as.demo", "u-as-demo", "Giulia Demo Bianchi", ["equipe"], ["demo"], "assistente_sociale"),
    ("psi.demo", "u-psi-demo", "Luca Demo Verdi", ["equipe"], ["demo"], "psicologo"),
    ("edu.demo", "u-edu-demo", "Sara Demo Rossi", ["equipe"], ["demo"], "educatore"),
    ("as.inzago", "u-as-inzago", "Chiara Demo Galli", ["equipe"], ["inzago", "brugherio"], "assistente_sociale"),
    ("coord.demo", "u-coord-demo", "Franco Demo Ferrari", ["coordinatore"], ["demo", "inzago"], "assistente_sociale"),
    ("admin", "u-admin", "Anna Demo Amministratori", ["amministratore"], [t.code for t in TENANTS], None),
    ("referente.demo", "u-referente-demo", "Elena Demo Colombo", ["referente_comunale"], ["demo"], None),
    ("operatore.cantu", "u-operatore-cantu", "Paolo Demo Accoglienza", ["operatore_sportello"], ["cantu"], None),
    ("referente.cantu", "u-referente-cantu", "Marco Demo Brambilla", ["referente_comunale"], ["cantu"], None),
)
ROLES = {"operatore_sportello", "equipe", "coordinatore", "amministratore", "referente_comunale"}


def load_demo_users(path: Path = USERS_FILE) -> list[dict]:
    """Demo login users as dicts: username, sub, name, roles, comuni, professione, email."""
    if not path.exists():
        return [dict(zip(("username", "sub", "name", "roles", "comuni", "professione"), u, strict=True)) for u in FALLBACK_USERS]
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        raw = data.get("users", data)
        users = list(raw.values()) if isinstance(raw, dict) else list(raw)
    else:
        users = list(data)
    out = []
    for u in users:
        if not isinstance(u, dict) or not u.get("sub"):
            continue
        name = u.get("name") or " ".join(x for x in (u.get("given_name"), u.get("family_name")) if x)
        out.append({**u, "name": name or u.get("username") or u["sub"]})
    return out


def create_tenants(ctx: Ctx) -> None:
    created = ctx.today.replace(year=ctx.today.year - 3, day=1)
    for spec in TENANTS:
        tid = ctx.writer.add("tenant", {
            "code": spec.code, "name": spec.name, "kind": spec.kind, "buys_tutela_minori": spec.tm,
            "buys_segretariato": spec.seg, "retention_years": 10, "active": True,
        }, ctx.ts(created))
        ctx.tenants[spec.code] = TenantInfo(tid, spec)


def _staff(ctx: Ctx, issuer: str, subject: str, name: str, profession: str | None, email: str | None) -> int:
    created = ctx.today.replace(year=ctx.today.year - 3, day=1)
    existing = ctx.writer.conn.execute(
        select(Staff.id).where(Staff.issuer == issuer, Staff.subject == subject)  # type: ignore[arg-type]
    ).scalar()
    if existing is not None:  # e.g. somebody logged in before the seed ran
        ctx.staff_profession[existing] = profession
        return existing
    sid = ctx.writer.add("staff", {
        "issuer": issuer, "subject": subject, "display_name": name[:200], "email": email,
        "profession": profession, "active": True, "last_login_at": None,
    }, ctx.ts(created))
    ctx.staff_profession[sid] = profession
    return sid


def _grant(ctx: Ctx, staff_id: int, tenant: TenantInfo, role: str, source: str) -> None:
    ctx.writer.add("rolegrant", {
        "staff_id": staff_id, "tenant_id": tenant.id, "role": role, "source": source, "granted_by": None,
        "created_at": ctx.now,
    })
    key = ctx.staff_profession.get(staff_id) if role == "equipe" else role
    if key:
        tenant.staff.setdefault(key, []).append(staff_id)


def create_demo_users(ctx: Ctx) -> None:
    issuer = get_settings().effective_issuer
    for u in load_demo_users():
        profession = u.get("professione") or u.get("profession")
        sid = _staff(ctx, issuer, str(u["sub"]), u["name"], profession, u.get("email"))
        roles = [r for r in (u.get("roles") or []) if r in ROLES]
        for code in u.get("comuni") or []:
            tenant = ctx.tenants.get(code)
            if tenant is None:
                continue
            tenant.demo_staff[str(u.get("username") or u["sub"])] = sid
            for role in dict.fromkeys(roles):
                _grant(ctx, sid, tenant, role, "claim")


def create_synthetic_staff(ctx: Ctx) -> None:
    """Équipe per tenant, sized to the caseload; plus a front-desk operator where needed."""
    people = ctx.fake
    n = 0
    for code, tenant in ctx.tenants.items():
        spec = tenant.spec
        cases = (ctx.scale.tm_cases if spec.tm else 0) + (ctx.scale.ssp_cases if spec.seg else 0)
        if code == "demo":
            cases = int(cases * ctx.scale.demo_factor)
        team = [("assistente_sociale", max(2, cases // 28)), ("psicologo", max(1, cases // 45)),
                ("educatore", max(1, cases // 35))]
        if spec.tm:
            team.append(("coordinatore", 1))
        for profession, count in team:
            for _ in range(count):
                n += 1
                name = f"{people.first_name()} {people.last_name()}"
                prof = "assistente_sociale" if profession == "coordinatore" else profession
                sid = _staff(ctx, SYNTHETIC_ISSUER, f"syn-{n:05d}", name, prof,
                             f"staff{n:05d}@example.invalid")
                _grant(ctx, sid, tenant, "coordinatore" if profession == "coordinatore" else "equipe", "app")
        if spec.seg:
            n += 1
            sid = _staff(ctx, SYNTHETIC_ISSUER, f"syn-{n:05d}", f"{people.first_name()} {people.last_name()}",
                         None, f"staff{n:05d}@example.invalid")
            _grant(ctx, sid, tenant, "operatore_sportello", "app")
