"""Interventions, goals and evaluations, diary entries, network contacts, projects."""

from __future__ import annotations

from datetime import date, timedelta

from tutela_app.seed.config import (
    GOALS,
    INTERVENTION_KINDS_SSP,
    INTERVENTION_KINDS_TM,
    NETWORK_KINDS,
    NETWORK_ORGS,
)
from tutela_app.seed.context import Ctx, at
from tutela_app.seed.timeline import CasePlan

KEY_KINDS = {"scuola", "npi_uonpia", "consultorio", "cps", "serd"}
ROLE_OF = {"indagine_psicosociale": "assistente_sociale", "osservazione": "educatore", "pei": "educatore",
           "percorso_diagnostico_terapeutico": "psicologo", "messa_alla_prova": "assistente_sociale",
           "lavoro_di_rete": "assistente_sociale", "monitoraggio_valutazione": "psicologo",
           "relazioni_periodiche": "assistente_sociale"}
SOURCES = (("la madre", False), ("il padre", False), ("il minore", False), ("l'insegnante di classe", True),
           ("la nonna materna", False), ("il pediatra", True), ("una vicina di casa", True))
METHODS = {"psicologo": ("colloquio clinico", "test proiettivi", "osservazione della relazione genitore-figlio"),
           "educatore": ("osservazione educativa domiciliare", "griglia di osservazione"),
           "assistente_sociale": ("visita domiciliare", "colloquio professionale", "analisi della rete")}
FACTS = ("Il minore ha frequentato regolarmente la scuola nel mese.", "Effettuata visita domiciliare: abitazione in ordine.",
         "La madre si è presentata puntuale all'incontro protetto.", "Ricevuta comunicazione dalla scuola sulle assenze.",
         "Il nucleo ha ottenuto il contributo per l'affitto.")
STATEMENTS = ("Riferisce che la situazione in casa è più tranquilla.", "Dichiara di non riuscire a gestire i rientri serali.",
              "Racconta di litigi frequenti tra i genitori.", "Afferma di voler proseguire il percorso concordato.")
EVALS = ("Si osserva un miglioramento nella capacità di accudimento.", "Permangono fragilità nella gestione delle regole.",
         "La relazione con l'educatore appare significativa e stabile.", "Il quadro resta da monitorare con attenzione.")


def _score(rng, prev: float, drift: float) -> float:  # noqa: ANN001
    return min(10.0, max(0.0, prev + drift + rng.uniform(-1.0, 1.0)))


def _interventions_plan(ctx: Ctx, plan: CasePlan) -> list[tuple[str, date]]:
    rng = ctx.rng
    end = plan.end
    start_work = plan.entered("indagine") or plan.entered("progetto_individualizzato")
    if plan.tm and start_work is None:
        if plan.closed is None and ctx.chance(0.5):
            return [("indagine_psicosociale", ctx.today + timedelta(days=rng.randint(2, 20)))]
        return []
    items: list[tuple[str, date]] = []
    if plan.tm:
        items.append(("indagine_psicosociale", start_work + timedelta(days=rng.randint(0, 7))))
        project = plan.entered("progetto")
        if project is None:
            if ctx.chance(0.5):
                items.append(("osservazione", ctx.between(start_work, min(end, ctx.today))))
            return items
        kinds = list(INTERVENTION_KINDS_TM[1:])
        if plan.measure == "messa_alla_prova":
            items.append(("messa_alla_prova", project + timedelta(days=rng.randint(0, 10))))
    else:
        project = plan.entered("progetto_individualizzato") or plan.opened
        kinds = list(INTERVENTION_KINDS_SSP)
    lo, hi = ctx.scale.interventions
    n = rng.randint(lo, hi) - len(items)
    gap = (plan.entered("monitoraggio") or plan.entered("verifica") or end) - project
    first = project + timedelta(days=rng.randint(0, max(0, min(10, gap.days - 7))))
    items.append(("pei" if plan.tm or ctx.chance(0.5) else "lavoro_di_rete", first))
    for _ in range(max(0, n - 1)):
        items.append((rng.choice(kinds), ctx.between(project, min(end, ctx.today) + timedelta(days=15))))
    return items


def seed_work(ctx: Ctx, plan: CasePlan) -> None:
    rng = ctx.rng
    w = ctx.writer
    tid = ctx.tenants[plan.tenant_code].id
    limit = min(plan.end, ctx.today)
    review = ctx.scale.review_days
    for kind, start in _interventions_plan(ctx, plan):
        staff = plan.team.get(ROLE_OF[kind]) or plan.team.get("assistente_sociale")
        length = rng.randint(45, 150) if kind == "indagine_psicosociale" else rng.randint(120, 720)
        end = start + timedelta(days=length)
        if start > ctx.today:
            status, end = "pianificato", None
        elif end <= limit or plan.closed:
            end = min(end, limit)
            status = "interrotto" if ctx.chance(0.08) else "concluso"
        else:
            status, end = "in_corso", None
        iid = w.add("intervention", {"case_id": plan.id, "tenant_id": tid, "kind": kind, "status": status,
                                      "start_on": start, "end_on": end, "staff_id": staff,
                                      "description": None}, at(start, 9))
        if kind == "relazioni_periodiche" and ctx.chance(0.5):
            continue
        last = min(end or limit, limit)
        for description in rng.sample(GOALS[kind], min(len(GOALS[kind]), rng.randint(*ctx.scale.goals))):
            day = start + timedelta(days=rng.randint(0, 5))
            score = float(rng.randint(1, 5))
            drift = rng.choices((0.8, 0.4, 0.0, -0.4), (0.45, 0.3, 0.15, 0.1))[0]
            evaluations = []  # (date, score): the first is the baseline
            while day <= last:
                evaluations.append((day, round(score)))
                score = _score(rng, score, drift)
                day += timedelta(days=rng.randint(*review))
            # the goal carries its baseline and latest review (as services.goal_scores keeps them)
            gid = w.add("goal", {"intervention_id": iid, "case_id": plan.id, "tenant_id": tid,
                                 "description": description,
                                 "baseline_score": evaluations[0][1] if evaluations else None,
                                 "latest_score": evaluations[-1][1] if len(evaluations) > 1 else None,
                                 "latest_on": evaluations[-1][0] if len(evaluations) > 1 else None}, at(start, 9))
            for n, (on, value) in enumerate(evaluations):
                w.add("evaluation", {"goal_id": gid, "tenant_id": tid, "evaluated_on": on, "score": value,
                                     "is_baseline": n == 0, "note": None, "staff_id": staff,
                                     "created_at": at(on, 15)})


def seed_diary(ctx: Ctx, plan: CasePlan) -> None:
    rng = ctx.rng
    tid = ctx.tenants[plan.tenant_code].id
    team = [(role, sid) for role, sid in plan.team.items() if role != "responsabile"]
    for _ in range(rng.randint(*ctx.scale.diary)):
        day = ctx.between(plan.opened, min(plan.end, ctx.today))
        role, author = rng.choice(team)
        tag = ctx.pick(("fatto", "dichiarazione", "valutazione"), (0.45, 0.3, 0.25))
        row = {"case_id": plan.id, "tenant_id": tid, "occurred_on": day, "tag": tag, "source": None, "method": None,
               "author_id": author, "author_profession": role, "restricted_to_profession": False, "confidential": False}
        if tag == "fatto":
            row["text"] = rng.choice(FACTS)
        elif tag == "dichiarazione":
            source, third = rng.choice(SOURCES)
            row.update(text=rng.choice(STATEMENTS), source=source, confidential=third and ctx.chance(0.4))
        else:
            row.update(text=rng.choice(EVALS), method=rng.choice(METHODS[role]),
                       restricted_to_profession=role == "psicologo" and ctx.chance(0.4))
        ctx.writer.add("diaryentry", row, ctx.ts(day))


def seed_network(ctx: Ctx, plan: CasePlan) -> None:
    rng = ctx.rng
    tid = ctx.tenants[plan.tenant_code].id
    place = ctx.tenants[plan.tenant_code].spec.place
    kinds = rng.sample(NETWORK_KINDS, rng.randint(1, 4 if plan.tm else 3))
    if plan.tm and "scuola" not in kinds and ctx.chance(0.7):
        kinds[0] = "scuola"
    for kind in kinds:
        if plan.closed:
            last = ctx.between(plan.opened, plan.closed)
        elif ctx.chance(0.3):
            last = ctx.today - timedelta(days=rng.randint(91, 240))  # a silent contact
            last = max(last, plan.opened)
        else:
            last = ctx.today - timedelta(days=rng.randint(0, 60))
        name = f"{ctx.fake.first_name()} {ctx.fake.last_name()}"
        ctx.writer.add("networkcontact", {
            "case_id": plan.id, "tenant_id": tid, "kind": kind, "organisation": f"{NETWORK_ORGS[kind]} - {place}",
            "contact_name": name, "phone": f"02 {rng.randint(1_000_000, 9_999_999)}",
            "email": f"contatto{rng.randint(100, 99999)}@example.invalid", "is_key": kind in KEY_KINDS,
            "last_contact_on": last, "note": None,
        }, ctx.ts(plan.opened))


def seed_project(ctx: Ctx, plan: CasePlan) -> None:
    agreed = plan.entered("progetto_individualizzato")
    if agreed is None:
        return
    ctx.writer.add("individualproject", {
        "case_id": plan.id, "tenant_id": ctx.tenants[plan.tenant_code].id,
        "objectives": "Sostenere l'autonomia della persona: ricerca attiva del lavoro, gestione del bilancio "
                      "familiare, accesso ai servizi del territorio.",
        "agreed_on": agreed, "review_on": agreed + timedelta(days=180),
    }, ctx.ts(agreed))
