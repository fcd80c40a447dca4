"""Court measures with their chains, obligations, placements and messa alla prova."""

from __future__ import annotations

from datetime import date, timedelta

from tutela_app.seed.config import COURT, HOSTS_COMUNITA
from tutela_app.seed.context import Ctx, at
from tutela_app.seed.obligations import REPORTING, TIME_LIMITED, add_months, obligations_for
from tutela_app.seed.timeline import CasePlan

ACTS = {
    "periodic_report": "Relazione di aggiornamento trasmessa al Tribunale",
    "name_responsible_worker": "Comunicazione di nomina dell'operatore responsabile",
    "extension_request": "Richiesta di proroga trasmessa al Tribunale",
    "decree_task": "Adempimento disposto dal decreto",
}
PRESCRIPTIONS = (("studio_lavoro", "Frequenza regolare del corso di formazione professionale"),
                 ("volontariato", "Attività di volontariato presso l'associazione del territorio, 4 ore a settimana"),
                 ("riparazione", "Attività riparatoria a favore della comunità"),
                 ("mediazione", "Percorso di mediazione penale con la persona offesa"),
                 ("altro", "Rispetto degli orari di rientro concordati"))


def _measure(ctx: Ctx, plan: CasePlan, mtype: str, issued: date, supersedes: int | None) -> dict:
    rng = ctx.rng
    notified = min(ctx.today, issued + timedelta(days=rng.randint(1, 9)))
    m = {
        "case_id": plan.id, "tenant_id": ctx.tenants[plan.tenant_code].id, "measure_type": mtype, "court": COURT,
        "docket_number": f"{rng.randint(100, 4999)}/{issued.year} " + ("R.G.N.R." if mtype == "messa_alla_prova" else "V.G."),
        "issued_on": issued, "notified_on": notified, "effective_at": None, "tasks": None,
        "report_period_months": None, "end_date": None, "next_hearing": None, "decree_deadlines": [],
        "status": "in_vigore", "supersedes_id": supersedes, "created_by": plan.team.get("assistente_sociale"),
    }
    if mtype == "collocamento_403":
        m["effective_at"] = at(issued, rng.randint(7, 22), rng.randrange(0, 60, 5))
        m["notified_on"] = issued
    elif mtype == "messa_alla_prova":
        m["end_date"] = add_months(issued, rng.choice((6, 8, 9, 12)))
        m["tasks"] = "Sospensione del processo con messa alla prova; progetto elaborato con l'USSM."
    elif mtype in TIME_LIMITED:
        m["end_date"] = add_months(notified, 24)
        m["report_period_months"] = rng.choice((4, 6, 6, 6))
        m["tasks"] = "Vigilanza sul minore e sostegno al nucleo; relazioni periodiche al Tribunale."
    elif mtype in REPORTING:
        m["report_period_months"] = 6
    else:
        m["report_period_months"] = rng.choice((None, 6, 6))
        if mtype == "decreto_provvisorio":
            m["next_hearing"] = issued + timedelta(days=rng.randint(30, 120))
    return m


def _chain(ctx: Ctx, plan: CasePlan, first: date) -> list[dict]:
    """The case's measures, oldest first; each later one supersedes the previous."""
    rng = ctx.rng
    end = plan.end
    chain = [_measure(ctx, plan, plan.measure, first, None)]
    while True:
        last = chain[-1]
        t = last["measure_type"]
        if t == "collocamento_403":
            nxt, when, why = "decreto_provvisorio", last["issued_on"] + timedelta(days=rng.randint(3, 8)), "modificata"
        elif t == "decreto_provvisorio" and (end - last["issued_on"]).days > 200 and ctx.chance(0.6):
            nxt = ctx.pick(("collocamento_comunita", "affido_familiare", "affidamento_servizio_sociale"))
            when, why = last["issued_on"] + timedelta(days=rng.randint(90, 180)), "modificata"
        elif t in TIME_LIMITED and last["end_date"] - timedelta(days=40) < end:
            nxt, when, why = t, last["end_date"] - timedelta(days=rng.randint(5, 40)), "prorogata"
        else:
            break
        if when > end or when > ctx.today:
            break
        last["status"] = why
        chain.append(_measure(ctx, plan, nxt, when, None))
        chain[-1]["_prev"] = last
    if plan.closed:
        chain[-1]["status"] = ctx.pick(("cessata", "revocata"), (0.85, 0.15))
    return chain


def _decree_flags(ctx: Ctx, plan: CasePlan, m: dict) -> None:
    if plan.closed or m["status"] != "in_vigore":
        return
    if "due_soon" in plan.flags:
        due = ctx.today + timedelta(days=ctx.rng.randint(0, 5))
        m["decree_deadlines"].append({"kind": "decree_task", "title": "Depositare la relazione di aggiornamento richiesta dal giudice", "due": due.isoformat()})
    if "overdue" in plan.flags:
        due = ctx.today - timedelta(days=ctx.rng.randint(1, 20))
        m["decree_deadlines"].append({"kind": "decree_task", "title": "Trasmettere l'esito degli accertamenti disposti con il decreto", "due": due.isoformat()})


def _obligation_rows(ctx: Ctx, plan: CasePlan, m: dict, cutoff: date | None) -> list[dict]:
    rng = ctx.rng
    staff = plan.team.get("responsabile") or plan.team.get("assistente_sociale")
    rows = []
    for spec in obligations_for(m):
        day = spec.due.date()
        row = {"case_id": plan.id, "tenant_id": m["tenant_id"], "measure_id": m["id"], "kind": spec.kind,
               "title": spec.title[:300], "legal_basis": spec.legal_basis[:200], "sequence": spec.sequence,
               "due_at": spec.due, "status": "aperto", "assigned_staff_id": staff, "fulfilled_on": None,
               "fulfilled_by": None, "fulfilling_act": None, "protocol_number": None}
        forced_open = spec.kind == "decree_task" and day < ctx.today and "overdue" in plan.flags
        urgent = spec.kind.startswith("403_")
        if cutoff is not None and day > cutoff:
            row["status"] = "annullato"
        elif day < ctx.today and not (forced_open or urgent) and (ctx.today - day).days >= 90 and ctx.chance(0.02):
            pass  # old open obligation nobody closed: rare
        elif day < ctx.today and not forced_open and (urgent or (ctx.today - day).days > 45 or ctx.chance(0.85)):
            done = day - timedelta(days=rng.randint(0, 12)) if ctx.chance(0.8) else day + timedelta(days=rng.randint(1, 25))
            done = day if urgent else done
            row.update(status="adempiuto", fulfilled_on=min(done, ctx.today), fulfilled_by=staff,
                       fulfilling_act=ACTS.get(spec.kind, "Atto trasmesso"),
                       protocol_number=f"{rng.randint(1000, 99999)}/{done.year}")
        rows.append(row)
    return rows


def seed_court(ctx: Ctx, plan: CasePlan) -> tuple[str | None, list]:
    """Measures, obligations, placements, messa alla prova. Returns (current type, open dues)."""
    w = ctx.writer
    first = plan.opened - timedelta(days=ctx.rng.randint(0, 10)) if plan.origin != "segnalazione" else \
        ctx.between(plan.entered("indagine") or plan.opened, min(plan.end, ctx.today))
    chain = _chain(ctx, plan, first)
    open_dues = []
    for i, m in enumerate(chain):
        prev = m.pop("_prev", None)
        if prev is not None:
            m["supersedes_id"] = prev["id"]
        if i == len(chain) - 1:
            _decree_flags(ctx, plan, m)
        m["id"] = w.add("courtmeasure", m, ctx.ts(m["issued_on"]))
        cutoff = chain[i + 1]["issued_on"] if i + 1 < len(chain) else plan.closed
        if m["measure_type"] == "collocamento_403":
            cutoff = None  # the 403 chain runs its course whatever follows
        for row in _obligation_rows(ctx, plan, m, cutoff):
            w.add("obligation", row, ctx.ts(m["issued_on"]))
            if row["status"] == "aperto":
                open_dues.append(row["due_at"])
    _placements(ctx, plan, chain)
    if chain[0]["measure_type"] == "messa_alla_prova":
        _probation(ctx, plan, chain[0])
    current = chain[-1]["measure_type"] if not plan.closed else None
    return current, open_dues


def _placements(ctx: Ctx, plan: CasePlan, chain: list[dict]) -> None:
    rng = ctx.rng
    hosting = [m for m in chain if m["measure_type"] in ("collocamento_403", "collocamento_comunita", "affido_familiare")]
    if not hosting:
        return
    m = hosting[0]
    kind = "affido_familiare" if m["measure_type"] == "affido_familiare" else "comunita"
    start = m["issued_on"]
    end, outcome = None, None
    if plan.closed:
        end = plan.closed - timedelta(days=rng.randint(0, 30))
        outcome = "maggiore_eta" if plan.closure_reason == "maggiore_eta" else \
            ctx.pick(("rientro_famiglia", "altro_collocamento", "adozione"), (0.7, 0.2, 0.1))
    elif (ctx.today - start).days > 300 and ctx.chance(0.25):
        end = ctx.between(start + timedelta(days=200), ctx.today - timedelta(days=10))
        outcome = ctx.pick(("rientro_famiglia", "altro_collocamento"), (0.6, 0.4))
    host = rng.choice(HOSTS_COMUNITA) if kind == "comunita" else f"Famiglia affidataria {ctx.fake.last_name()}"
    tid = ctx.tenants[plan.tenant_code].id
    ctx.writer.add("placement", {"case_id": plan.id, "tenant_id": tid, "measure_id": m["id"], "kind": kind,
                                 "host_name": host, "start_on": start, "end_on": max(end, start) if end else None,
                                 "outcome": outcome}, ctx.ts(start))
    if outcome == "altro_collocamento" and not plan.closed:
        kind = "affido_familiare" if kind == "comunita" else "comunita"
        host = rng.choice(HOSTS_COMUNITA) if kind == "comunita" else f"Famiglia affidataria {ctx.fake.last_name()}"
        ctx.writer.add("placement", {"case_id": plan.id, "tenant_id": tid, "measure_id": hosting[-1]["id"],
                                     "kind": kind, "host_name": host, "start_on": end, "end_on": None,
                                     "outcome": None}, ctx.ts(end))


def _probation(ctx: Ctx, plan: CasePlan, m: dict) -> None:
    rng = ctx.rng
    w = ctx.writer
    start, end = m["issued_on"] + timedelta(days=rng.randint(5, 20)), m["end_date"]
    if end <= ctx.today:
        outcome = ctx.pick(("esito_positivo", "esito_negativo"), (0.75, 0.25))
        outcome_on = end + timedelta(days=30) if end + timedelta(days=30) <= ctx.today else None
    else:
        outcome, outcome_on = "in_corso", None
    pid = w.add("probationproject", {
        "case_id": plan.id, "tenant_id": m["tenant_id"], "measure_id": m["id"], "start_on": start, "end_on": end,
        "ussm_contact": "USSM di Milano - funzionario di servizio sociale", "outcome": outcome, "outcome_on": outcome_on,
    }, ctx.ts(start))
    for kind, text in rng.sample(PRESCRIPTIONS, rng.randint(2, 4)):
        w.add("probationprescription", {"project_id": pid, "kind": kind, "description": text})
    author = plan.team.get("educatore") or plan.team.get("assistente_sociale")
    day, n = start, 0
    breaches = 2 if outcome == "esito_negativo" else rng.choice((0, 0, 1))
    while day < min(end, ctx.today):
        n += 1
        kind = "nota_intermedia" if n % 6 == 0 else ("adempimento" if n % 2 == 0 else "presenza")
        if breaches and ctx.chance(0.12):
            kind, breaches = "trasgressione", breaches - 1
        text = {"presenza": "Presente all'incontro programmato.", "adempimento": "Prescrizione svolta regolarmente.",
                "trasgressione": "Assenza ingiustificata all'attività prevista.",
                "nota_intermedia": "Andamento complessivamente adeguato; aggiornata l'USSM."}[kind]
        w.add("probationlogentry", {"project_id": pid, "occurred_on": day, "kind": kind, "text": text,
                                    "author_id": author, "created_at": ctx.ts(day)})
        day += timedelta(days=rng.randint(12, 20))
