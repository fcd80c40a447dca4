"""Key figures derived from the dashboard tables (no extra queries).

Used by the dashboard's summary cards and by the service report, which compares them
with the previous period of the same length.
"""

from __future__ import annotations

from dataclasses import dataclass

from tutela_app.charts.model import MetricTable
from tutela_app.services.metrics_court import OVER_LIMIT
from tutela_app.services.metrics_labels import PLACEMENT_OUTCOMES


@dataclass(frozen=True)
class KeyFigure:
    key: str
    label: str
    value: float | None  # None when the figure does not apply (no data or service not selected)
    unit: str = ""  # "" (count), "%" or "punti"
    subject: str = ""  # Italian subject for the commentary, e.g. "I nuovi casi"
    feminine: bool = False


def _table(tables: dict[str, MetricTable], key: str) -> MetricTable | None:
    return tables.get(key)


def _sum(table: MetricTable | None, columns: tuple[int, ...] | None = None, rows: slice = slice(None)) -> int | None:
    if table is None:
        return None
    cols = columns or tuple(range(1, len(table.columns)))
    return int(sum(row[c] for row in table.rows[rows] for c in cols if isinstance(row[c], int | float)))


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def key_figures(tables_list: list[MetricTable]) -> list[KeyFigure]:
    t = {table.key: table for table in tables_list}
    out: list[KeyFigure] = []
    if (caseload := _table(t, "casi_per_comune")) is not None:
        out.append(KeyFigure("casi_in_carico", "Casi in carico a fine periodo", _sum(caseload),
                             subject="I casi in carico"))
    if (flow := _table(t, "casi_per_mese")) is not None:
        out.append(KeyFigure("nuovi_casi", "Nuovi casi nel periodo", _sum(flow, (1,)), subject="I nuovi casi"))
        out.append(KeyFigure("casi_chiusi", "Casi chiusi nel periodo", _sum(flow, (2,)), subject="I casi chiusi"))
    if (reports := _table(t, "relazioni_in_termine")) is not None:
        on_time, due = _sum(reports, (1,)) or 0, _sum(reports, (1, 2, 3)) or 0
        out.append(KeyFigure("relazioni_in_termine", "Relazioni al Tribunale consegnate in termine",
                             _share(on_time, due), "%", "La quota di relazioni consegnate in termine", True))
    if (goals := _table(t, "obiettivi")) is not None:
        n = _sum(goals, (5,)) or 0
        total = sum(row[5] * row[6] for row in goals.rows)
        out.append(KeyFigure("variazione_obiettivi", "Variazione media del punteggio degli obiettivi",
                             round(total / n, 2) if n else None, "punti",
                             "La variazione media del punteggio degli obiettivi", True))
    if (placements := _table(t, "esiti_collocamenti")) is not None:
        home = PLACEMENT_OUTCOMES["rientro_famiglia"]
        out.append(KeyFigure("rientri", "Minori rientrati in famiglia",
                             sum(sum(r[1:]) for r in placements.rows if r[0] == home),
                             subject="I rientri in famiglia"))
    if (durations := _table(t, "durata_collocamenti")) is not None:
        over = sum(r[1] for r in durations.rows if r[0] == OVER_LIMIT)
        out.append(KeyFigure("oltre_24_mesi", "Collocamenti oltre i 24 mesi", over,
                             subject="I collocamenti oltre i 24 mesi"))
    if (accessi := _table(t, "accessi")) is not None:
        out.append(KeyFigure("accessi", "Accessi allo sportello", _sum(accessi), subject="Gli accessi allo sportello"))
    if (referrals := _table(t, "invii")) is not None:
        taken, known = _sum(referrals, (1,)) or 0, _sum(referrals, (1, 2)) or 0
        out.append(KeyFigure("invii_presi_in_carico", "Invii presi in carico dal servizio di destinazione",
                             _share(taken, known), "%", "La quota di invii presi in carico", True))
    if (repeat := _table(t, "accessi_ripetuti")) is not None:
        out.append(KeyFigure("persone_ritorno", "Persone tornate allo sportello più volte",
                             _sum(repeat, rows=slice(1, None)), subject="Le persone tornate più volte", feminine=True))
    return out


def format_key_value(figure: KeyFigure) -> str:
    if figure.value is None:
        return "n.d."
    if figure.unit == "%":
        return f"{figure.value:.1f}%".replace(".", ",")
    if figure.unit == "punti":
        return f"{figure.value:+.2f}".replace(".", ",")
    return f"{int(figure.value):,}".replace(",", ".")
