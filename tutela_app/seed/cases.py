"""Case files of both services with équipe, stage history and everything hanging off them."""

from __future__ import annotations

from datetime import date, timedelta

from tutela_app.seed.context import Ctx
from tutela_app.seed.court import seed_court
from tutela_app.seed.people import People, birth_for_age
from tutela_app.seed.timeline import CasePlan, plan_case
from tutela_app.seed.work import seed_diary, seed_network, seed_project, seed_work

# Demo login users favoured in some tenants' équipes: tenant -> [(profession, username, share)]
FAVOURED = {
    "demo": [("assistente_sociale", "as.demo", 0.55), ("psicologo", "psi.demo", 0.5), ("educatore", "edu.demo", 0.45)],
    "inzago": [("assistente_sociale", "as.inzago", 0.35)],
    "brugherio": [("assistente_sociale", "as.inzago", 0.35)],
    "cantu": [("assistente_sociale", "as.cantu", 0.35)],
    "pioltello": [("assistente_sociale", "as.cantu", 0.3), ("educatore", "edu.pioltello", 0.4)],
    "sesto-calende": [("psicologo", "psi.sesto", 0.3)],
    "gaggiano": [("psicologo", "psi.sesto", 0.3)],
    "corsichese": [("psicologo", "psi.sesto", 0.3)],
}
SUMMARY = {
    "tutela_minori": "Minore segnalato per trascuratezza e conflittualità familiare; mandato del Tribunale.",
    "servizio_sociale": "Adulto in condizione di fragilità economica e abitativa; progetto per l'autonomia.",
}


def _pick_staff(ctx: Ctx, code: str, profession: str) -> int | None:
    tenant = ctx.tenants[code]
    pool = tenant.staff.get(profession, [])
    favoured = {tenant.demo_staff.get(u) for _, u, _ in FAVOURED.get(code, [])}
    for prof, username, share in FAVOURED.get(code, []):
        sid = tenant.demo_staff.get(username)
        if prof == profession and sid is not None and ctx.chance(share):
            return sid
    synthetic = [s for s in pool if s not in favoured] or pool
    return ctx.rng.choice(synthetic) if synthetic else None


def _team(ctx: Ctx, plan: CasePlan) -> None:
    code = plan.tenant_code
    social = _pick_staff(ctx, code, "assistente_sociale")
    plan.team["assistente_sociale"] = social
    if len(plan.path) > 1 or ctx.chance(0.5):
        plan.team["responsabile"] = social
    if ctx.chance(0.85 if plan.tm else 0.3):
        plan.team["psicologo"] = _pick_staff(ctx, code, "psicologo")
    if ctx.chance(0.6 if plan.tm else 0.4) or plan.measure == "messa_alla_prova":
        plan.team["educatore"] = _pick_staff(ctx, code, "educatore")
    plan.team = {k: v for k, v in plan.team.items() if v is not None}
    sid = ctx.tenants[code].demo_staff.get("as.demo")
    if sid is not None and social == sid and plan.closed is None and plan.measure:
        roll = ctx.rng.random()
        plan.flags.update({"due_soon"} if roll < 0.35 else {"overdue"} if roll < 0.6 else set())
    elif plan.measure and plan.closed is None:
        roll = ctx.rng.random()
        plan.flags.update({"due_soon"} if roll < 0.08 else {"overdue"} if roll < 0.14 else set())


def _subject(ctx: Ctx, people: People, plan: CasePlan) -> None:
    if plan.intake is not None:
        intake = plan.intake
        plan.subject = intake.minor if plan.tm else intake.person
        plan.household_id = intake.household_id
        if plan.measure == "messa_alla_prova":
            plan.measure = "affidamento_servizio_sociale"
        if plan.closure_reason == "maggiore_eta":
            plan.closure_reason = "obiettivi_raggiunti"
        return
    if plan.tm:
        min_age = 14 if plan.measure == "messa_alla_prova" else 0
        if plan.closure_reason == "maggiore_eta":
            birth = plan.closed - timedelta(days=365 * 18 + ctx.rng.randint(0, 40))
        else:
            ref = plan.closed or ctx.today
            youngest = plan.opened - timedelta(days=365 * min_age + 1)
            oldest = max(ref, plan.opened) - timedelta(days=365 * 18 - 20)
            birth = ctx.between(oldest, youngest)
        plan.household_id, plan.subject, _ = people.family_of_minor(plan.tenant_code, birth, plan.opened)
    else:
        birth = birth_for_age(ctx, 19, 85, plan.opened)
        plan.household_id, plan.subject, _ = people.adult_household(plan.tenant_code, birth, plan.opened)


def seed_cases(ctx: Ctx, people: People, code: str, service: str, count: int, intakes: list) -> int:
    chosen = ctx.rng.sample(intakes, min(len(intakes), int(count * 0.6)))
    plans = [plan_case(ctx, code, service, intake) for intake in chosen]
    plans += [plan_case(ctx, code, service) for _ in range(count - len(plans))]
    plans.sort(key=lambda p: p.opened)
    prefix = "TM" if service == "tutela_minori" else "SSP"
    seq: dict[int, int] = {}
    for plan in plans:
        seq[plan.opened.year] = seq.get(plan.opened.year, 0) + 1
        plan.number = f"{prefix}-{plan.opened.year}-{seq[plan.opened.year]:05d}"
        _one_case(ctx, people, plan)
        ctx.writer.maybe_flush()
    return len(plans)


def _one_case(ctx: Ctx, people: People, plan: CasePlan) -> None:
    w = ctx.writer
    tid = ctx.tenants[plan.tenant_code].id
    _subject(ctx, people, plan)
    _team(ctx, plan)
    plan.id = w.next_id("case_file")
    case = {
        "id": plan.id, "tenant_id": tid, "number": plan.number, "service": plan.service, "stage": plan.stage,
        "origin": plan.origin, "subject_person_id": plan.subject["id"], "household_id": plan.household_id,
        "accesso_id": plan.intake.accesso_id if plan.intake is not None else None,
        "responsible_staff_id": plan.team.get("responsabile"), "summary": SUMMARY[plan.service],
        "opened_on": plan.opened, "closed_on": plan.closed, "closure_reason": plan.closure_reason,
        "next_deadline_at": None, "current_measure_type": None, "updated_at": ctx.ts(plan.path[-1][1]),
    }
    w.add("case_file", case, ctx.ts(plan.opened))  # mutated below, before the next flush
    _assignments(ctx, plan)
    _stage_changes(ctx, plan, tid)
    if plan.tm and plan.measure:
        current, dues = seed_court(ctx, plan)
        case["current_measure_type"] = current
        case["next_deadline_at"] = min(dues) if dues and not plan.closed else None
    if not plan.tm:
        seed_project(ctx, plan)
    seed_work(ctx, plan)
    seed_diary(ctx, plan)
    seed_network(ctx, plan)


def _assignments(ctx: Ctx, plan: CasePlan) -> None:
    later = plan.entered("indagine") or plan.entered("progetto_individualizzato") or plan.opened
    for role, sid in plan.team.items():
        since: date = plan.opened if role in ("responsabile", "assistente_sociale") else later
        ctx.writer.add("caseassignment", {"case_id": plan.id, "staff_id": sid, "role_in_case": role,
                                          "since": since, "until": plan.closed})


def _stage_changes(ctx: Ctx, plan: CasePlan, tid: int) -> None:
    previous = None
    coordinator = (ctx.tenants[plan.tenant_code].staff.get("coordinatore") or [None])[0]
    for stage, day in plan.path:
        closing = stage == "chiusura"
        ctx.writer.add("casestagechange", {
            "case_id": plan.id, "tenant_id": tid, "from_stage": previous, "to_stage": stage,
            "changed_by": (coordinator if closing and coordinator else plan.team.get("assistente_sociale")),
            "changed_at": ctx.ts(day), "closure_reason": plan.closure_reason if closing else None,
            "note": "Chiusura del caso" if closing else None,
        })
        previous = stage
