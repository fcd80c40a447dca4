"""Rule-based Italian commentary of a service report (no external service).

Each rule reads the key figures of the period and of the previous period of the same
length, or one aggregated table, and writes one sentence. Small changes (under
``STABLE_PCT`` per cent, ``STABLE_POINTS`` percentage points, ``STABLE_SCORE`` score
points) are reported as stable rather than as a trend.
"""

from __future__ import annotations

from tutela_app.charts.model import MetricTable
from tutela_app.services.metrics_summary import KeyFigure, format_key_value

STABLE_PCT = 5
STABLE_POINTS = 2.0
STABLE_SCORE = 0.2
MIN_GOALS = 10


def _pct(value: float) -> str:
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%".replace(".", ",")


def _count_sentence(cur: KeyFigure, prev: KeyFigure) -> str | None:
    a, b = int(prev.value or 0), int(cur.value or 0)
    end = "e" if cur.feminine else "i"
    if a == 0 and b == 0:
        return None
    if a == 0:
        return f"{cur.subject} sono {format_key_value(cur)}, contro nessun caso nel periodo precedente."
    change = round(100 * (b - a) / a)
    if abs(change) < STABLE_PCT:
        return (f"{cur.subject} sono rimast{end} sostanzialmente stabili ({format_key_value(cur)} contro "
                f"{format_key_value(prev)} nel periodo precedente).")
    verb = f"aumentat{end}" if change > 0 else f"diminuit{end}"
    return (f"{cur.subject} sono {verb} del {abs(change)}% rispetto al periodo precedente "
            f"(da {format_key_value(prev)} a {format_key_value(cur)}).")


def _level_sentence(cur: KeyFigure, prev: KeyFigure) -> str | None:
    a, b = float(prev.value or 0), float(cur.value or 0)
    stable = STABLE_POINTS if cur.unit == "%" else STABLE_SCORE
    if abs(b - a) < stable:
        return f"{cur.subject} è rimasta stabile ({format_key_value(cur)}; {format_key_value(prev)} nel periodo precedente)."
    verb = "è salita" if b > a else "è scesa"
    return f"{cur.subject} {verb} da {format_key_value(prev)} a {format_key_value(cur)} rispetto al periodo precedente."


def comparison_sentences(current: list[KeyFigure], previous: list[KeyFigure]) -> list[str]:
    before = {k.key: k for k in previous}
    out: list[str] = []
    for cur in current:
        prev = before.get(cur.key)
        if prev is None or cur.value is None or prev.value is None:
            continue
        sentence = _count_sentence(cur, prev) if cur.unit == "" else _level_sentence(cur, prev)
        if sentence:
            out.append(sentence)
    return out


def _alerts(tables: dict[str, MetricTable], current: list[KeyFigure]) -> list[str]:
    out: list[str] = []
    figures = {k.key: k for k in current}
    over = figures.get("oltre_24_mesi")
    if over is not None and over.value:
        n = int(over.value)
        out.append(f"{n} collocament{'o' if n == 1 else 'i'} in corso super{'a' if n == 1 else 'ano'} il limite di "
                   "24 mesi (art. 4 c. 4 L. 184/1983): verificare le richieste di proroga e i progetti di rientro.")
    reports = tables.get("relazioni_in_termine")
    if reports is not None and (late := int(reports.column_total(3))):
        out.append(f"{late} relazion{'e' if late == 1 else 'i'} periodic{'a' if late == 1 else 'he'} al Tribunale "
                   f"{'risulta scaduta' if late == 1 else 'risultano scadute'} e non ancora consegnat{'a' if late == 1 else 'e'}.")
    return out


def _highlights(tables: dict[str, MetricTable]) -> list[str]:
    out: list[str] = []
    goals = tables.get("obiettivi")
    if goals is not None:
        rated = [row for row in goals.rows if row[5] >= MIN_GOALS]
        if len(rated) >= 2:
            best = max(rated, key=lambda r: r[6])
            worst = min(rated, key=lambda r: r[6])
            out.append(f"Il miglioramento medio più alto si registra per «{best[0]}» ({_score(best[6])} punti), "
                       f"il più basso per «{worst[0]}» ({_score(worst[6])} punti).")
    accessi = tables.get("accessi")
    if accessi is not None and (total := sum(sum(r[1:]) for r in accessi.rows)):
        top = max(accessi.rows, key=lambda r: sum(r[1:]))
        out.append(f"L'area di bisogno più frequente allo sportello è «{top[0]}» "
                   f"({_pct(round(100 * sum(top[1:]) / total, 1))} degli accessi).")
    return out


def _score(value: float) -> str:
    return f"{value:+.2f}".replace(".", ",")


def commentary(tables: list[MetricTable], current: list[KeyFigure], previous: list[KeyFigure]) -> list[str]:
    """The report's commentary, most important first."""
    by_key = {t.key: t for t in tables}
    sentences = _alerts(by_key, current) + comparison_sentences(current, previous) + _highlights(by_key)
    if not sentences:
        return ["Nel periodo non si rilevano dati sufficienti per un commento: il servizio non ha registrato attività."]
    return sentences

