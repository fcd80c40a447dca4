"""Front-desk accessi (confirmed, a few drafts and cancelled ones), referrals and ISEE."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tutela_app.seed.config import (
    NEED_AREAS,
    NEED_TEXTS,
    NEED_WEIGHTS,
    OUTCOME_WEIGHTS,
    OUTCOMES,
    REFERRAL_DESTINATIONS,
    WHO_COMES,
    WHO_WEIGHTS,
)
from tutela_app.seed.context import Ctx, at
from tutela_app.seed.people import People, birth_for_age

# Question ids of tutela_app/domain/intake_flow.json, in order, for draft answers.
DRAFT_STEPS = ("who_comes", "surname", "name", "sex", "birth_date", "birthplace", "has_cf", "codice_fiscale",
               "residence_comune", "members", "need_area", "need_description", "risk_urgent", "outcome")
# Household relationship (to the reference person) -> relation in the intake "members" answer.
MEMBER_RELATION = {"padre": "coniuge", "madre": "coniuge", "coniuge": "coniuge", "figlio/a": "figlio",
                   "nonno/a": "genitore"}


@dataclass
class IntakeOutcome:
    """An accesso that opens a case: presa in carico (SSP) or segnalazione (TM, demo only)."""

    tenant_code: str
    accesso_id: int
    day: date
    person: dict
    household_id: int | None
    minor: dict | None


def _answers(person: dict, tenant_code: str, who: str, area: str, members: list[tuple[dict, str]]) -> dict:
    return {
        "who_comes": who, "surname": person["surname"], "name": person["given_name"], "sex": person["sex"],
        "birth_date": person["birth_date"].isoformat(), "birthplace": person["birthplace"],
        "has_cf": person["codice_fiscale"] is not None, "codice_fiscale": person["codice_fiscale"],
        "residence_comune": tenant_code, "residence_address": person["address"],
        "members": [{"nome": m["given_name"], "cognome": m["surname"], "data_nascita": m["birth_date"].isoformat(),
                     "sesso": m["sex"], "relazione": MEMBER_RELATION.get(rel, "altro"),
                     "codice_fiscale": m["codice_fiscale"]} for m, rel in members],
        "need_area": area, "need_description": NEED_TEXTS[area], "privacy_notice_given": True,
    }


def seed_accessi(ctx: Ctx, people: People, tenant_code: str, count: int) -> list[IntakeOutcome]:
    rng = ctx.rng
    w = ctx.writer
    tenant = ctx.tenants[tenant_code]
    operators = tenant.staff.get("operatore_sportello") or [sid for v in tenant.staff.values() for sid in v]
    days = sorted(ctx.days_ago(1, 960) for _ in range(count))
    seen: list[tuple[dict, int | None]] = []
    seq: dict[int, int] = {}
    opened: list[IntakeOutcome] = []
    for day in days:
        outcome = ctx.pick(OUTCOMES, OUTCOME_WEIGHTS)
        area = "famiglia_minori" if outcome == "segnalazione_tm" else ctx.pick(NEED_AREAS, NEED_WEIGHTS)
        who = ctx.pick(("scuola", "forze_ordine", "familiare", "servizio")) if outcome == "segnalazione_tm" \
            else ctx.pick(WHO_COMES, WHO_WEIGHTS)
        minor = None
        if outcome == "segnalazione_tm" or (area == "famiglia_minori" and ctx.chance(0.5)):
            hh, minor, members = people.family_of_minor(tenant_code, birth_for_age(ctx, 0, 14, day), day)
            person, pairs = members[0][0], members[1:]
        elif seen and ctx.chance(0.15):
            person, hh = rng.choice(seen)  # a repeat access of somebody already known
            pairs = []
        else:
            lo, hi = (65, 92) if area == "anziani" else (19, 70)
            hh, person, members = people.adult_household(tenant_code, birth_for_age(ctx, lo, hi, day), day)
            pairs = members[1:]
        seen.append((person, hh))
        seq[day.year] = seq.get(day.year, 0) + 1
        started = ctx.ts(day)
        status = "annullato" if ctx.chance(0.01) else "confermato"
        answers = _answers(person, tenant_code, who, area, pairs)
        answers["risk_urgent"] = outcome == "segnalazione_tm" and ctx.chance(0.3)
        answers["outcome"] = outcome
        referral = None
        if outcome == "invio":
            dtype = rng.choice(tuple(REFERRAL_DESTINATIONS))
            referral = (dtype, rng.choice(REFERRAL_DESTINATIONS[dtype]), False)
            answers["referral_service_type"], answers["referral_destination"] = referral[:2]
        elif outcome == "segnalazione_tm":
            name = "Servizio Tutela Minori - Comune Demo" if tenant.spec.tm else "Servizio Tutela Minori dell'ambito"
            referral = ("tutela_minori", name, True)
        op = rng.choice(operators)
        aid = w.add("accesso", {
            "tenant_id": tenant.id, "number": f"ACC-{day.year}-{seq[day.year]:06d}", "status": status,
            "person_id": person["id"], "household_id": hh, "operator_id": op, "last_operator_id": op,
            "answers": answers, "current_question": None, "who_comes": who, "need_area": area,
            "outcome": outcome if status == "confermato" else None, "risk_to_minor": minor is not None and outcome == "segnalazione_tm",
            "started_at": started, "confirmed_at": started + timedelta(minutes=rng.randint(15, 70)) if status == "confermato" else None,
        }, started)
        w.maybe_flush()
        if status != "confermato":
            continue
        if referral:
            taken, taken_on = None, None
            age = (ctx.today - day).days
            if referral[2] and tenant.spec.tm:
                taken, taken_on = True, day + timedelta(days=rng.randint(1, 10))
            elif age > 30:
                taken = ctx.pick((True, False, None), (0.6, 0.22, 0.18))
                taken_on = day + timedelta(days=rng.randint(5, 30)) if taken else None
            w.add("referral", {
                "tenant_id": tenant.id, "accesso_id": aid, "person_id": person["id"], "destination_type": referral[0],
                "destination_name": referral[1], "is_segnalazione": referral[2], "taken_up": taken,
                "taken_up_on": taken_on, "note": None,
            }, started)
        if area in ("poverta_disagio_adulti", "anziani", "multiutenza") and ctx.chance(0.35):
            w.add("iseedeclaration", {
                "tenant_id": tenant.id, "person_id": person["id"], "accesso_id": aid,
                "value_eur": round(rng.uniform(0, 24_000), 2), "isee_type": "ordinario",
                "dsu_protocol": f"INPS-ISEE-{day.year}-{rng.randint(10**8, 10**9 - 1):09d}-00",
                "expires_on": date(day.year, 12, 31),
            })
        if outcome == "presa_in_carico" or (outcome == "segnalazione_tm" and tenant.spec.tm):
            opened.append(IntakeOutcome(tenant_code, aid, day, person, hh, minor))
    _drafts(ctx, tenant_code, operators, seq, max(3, count // 60))
    return opened


def _drafts(ctx: Ctx, tenant_code: str, operators: list[int], seq: dict[int, int], count: int) -> None:
    """Drafts saved answer by answer; some left for more than 48 hours (stale)."""
    rng = ctx.rng
    tenant = ctx.tenants[tenant_code]
    year = ctx.today.year
    for _ in range(count):
        started = at(ctx.today - timedelta(days=rng.randint(0, 4)), rng.randint(8, 17), rng.randrange(0, 60, 5))
        steps = rng.randint(2, len(DRAFT_STEPS) - 2)
        given = rng.choice(("Giorgio", "Lucia", "Ahmed", "Elena", "Ionela", "Marco"))
        full = {"who_comes": ctx.pick(WHO_COMES, WHO_WEIGHTS), "surname": rng.choice(("Rossi", "Ferrari", "Esposito", "Bianchi")),
                "name": given, "sex": "F" if given in ("Lucia", "Elena", "Ionela") else "M",
                "birth_date": birth_for_age(ctx, 20, 80).isoformat(), "birthplace": "Milano", "has_cf": False,
                "codice_fiscale": None, "residence_comune": tenant_code, "members": [],
                "need_area": ctx.pick(NEED_AREAS, NEED_WEIGHTS)}
        answers = {k: full[k] for k in DRAFT_STEPS[:steps] if k in full}
        seq[year] = seq.get(year, 0) + 1
        op, last = rng.choice(operators), rng.choice(operators)
        ctx.writer.add("accesso", {
            "tenant_id": tenant.id, "number": f"ACC-{year}-{seq[year]:06d}", "status": "bozza",
            "person_id": None, "household_id": None, "operator_id": op, "last_operator_id": last,
            "answers": answers, "current_question": DRAFT_STEPS[steps], "who_comes": answers.get("who_comes"),
            "need_area": answers.get("need_area"), "outcome": None, "risk_to_minor": False,
            "started_at": started, "confirmed_at": None, "updated_at": started + timedelta(minutes=rng.randint(3, 40)),
        }, started)
