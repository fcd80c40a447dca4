"""Segretariato Sociale figures: accessi by need and outcome, referrals, repeat accessi."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, func
from sqlmodel import Session, select

from tutela_app.charts.model import ChartSpec, MetricTable
from tutela_app.models import Accesso, Referral
from tutela_app.services.metrics_filters import DashboardFilter
from tutela_app.services.metrics_labels import ACCESSO_OUTCOMES, NEED_AREAS, REFERRAL_DESTINATIONS
from tutela_app.services.metrics_sql import day_after, day_start

if TYPE_CHECKING:
    from tutela_app.services.metrics import Scope

TAKEN_UP = ("Presa in carico dal servizio", "Non presa in carico", "Esito non ancora noto")
REPEAT_BANDS = ("1 accesso", "2 accessi", "3 accessi", "4 o più accessi")


def _accessi_in_period(scope: Scope, flt: DashboardFilter) -> list:
    return [
        Accesso.tenant_id.in_(scope.tenant_ids), Accesso.status == "confermato",
        Accesso.started_at >= day_start(flt.date_from), Accesso.started_at < day_after(flt.date_to),
    ]


def accessi_by_need_and_outcome(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    rows = session.exec(
        select(Accesso.need_area, Accesso.outcome, func.count())
        .where(*_accessi_in_period(scope, flt))
        .group_by(Accesso.need_area, Accesso.outcome)
    ).all()
    counts: dict[tuple[str, str], int] = {}
    for area, outcome, n in rows:
        a = area if area in NEED_AREAS else "_"
        o = outcome if outcome in ACCESSO_OUTCOMES else "_"
        counts[(a, o)] = counts.get((a, o), 0) + n
    areas = [a for a in NEED_AREAS if any(k[0] == a for k in counts)] + (["_"] if any(k[0] == "_" for k in counts) else [])
    outcomes = list(ACCESSO_OUTCOMES) + (["_"] if any(k[1] == "_" for k in counts) else [])
    labels = {**NEED_AREAS, **ACCESSO_OUTCOMES}
    return MetricTable(
        "accessi", "Accessi allo sportello per area di bisogno ed esito",
        "Per quali bisogni si rivolgono i cittadini al Segretariato Sociale e come si conclude l'accesso?",
        ("Area di bisogno", *(ACCESSO_OUTCOMES.get(o, "Esito non indicato") for o in outcomes)),
        tuple((labels.get(a, "Area non indicata"), *(counts.get((a, o), 0) for o in outcomes)) for a in areas),
        ChartSpec("hbar", "Accessi nel periodo", "Area di bisogno", stacked=True), "seg",
        "Accessi confermati iniziati nel periodo (aree di utenza ISTAT).",
    )


def referrals_by_destination(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    state = case((Referral.taken_up.is_(True), 0), (Referral.taken_up.is_(False), 1), else_=2).label("state")
    rows = session.exec(
        select(Referral.destination_type, state, func.count())
        .where(Referral.tenant_id.in_(scope.tenant_ids), Referral.created_at >= day_start(flt.date_from),
               Referral.created_at < day_after(flt.date_to))
        .group_by(Referral.destination_type, state)
    ).all()
    counts = {(d, int(s)): n for d, s, n in rows}
    dests = [d for d in REFERRAL_DESTINATIONS if any(k[0] == d for k in counts)]
    dests += sorted({d for d, _ in counts if d not in REFERRAL_DESTINATIONS})
    return MetricTable(
        "invii", "Invii ad altri servizi e presa in carico",
        "Verso quali servizi inviamo le persone, e quei servizi le prendono in carico?",
        ("Destinazione", *TAKEN_UP),
        tuple((REFERRAL_DESTINATIONS.get(d, d), *(counts.get((d, i), 0) for i in range(3))) for d in dests),
        ChartSpec("hbar", "Invii nel periodo", "Destinazione", stacked=True), "seg",
        "Invii e segnalazioni registrati nel periodo, per esito riferito dal servizio di destinazione.",
    )


def repeat_accessi(session: Session, scope: Scope, flt: DashboardFilter) -> MetricTable:
    per_person = (
        select(Accesso.person_id, func.count().label("n"))
        .where(*_accessi_in_period(scope, flt), Accesso.person_id.is_not(None))
        .group_by(Accesso.tenant_id, Accesso.person_id)
        .subquery()
    )
    band = case((per_person.c.n >= 4, 3), else_=per_person.c.n - 1).label("band")
    counts = dict(session.exec(select(band, func.count()).group_by(band)).all())
    return MetricTable(
        "accessi_ripetuti", "Persone per numero di accessi nel periodo",
        "Quante persone tornano allo sportello più di una volta nel periodo?",
        ("Accessi nel periodo", "Persone"), tuple((label, counts.get(i, 0)) for i, label in enumerate(REPEAT_BANDS)),
        ChartSpec("bar", "Accessi nel periodo", "Persone", highlight=REPEAT_BANDS[1:]), "seg",
        "Persone con almeno un accesso confermato nel periodo, per numero di accessi.",
    )
