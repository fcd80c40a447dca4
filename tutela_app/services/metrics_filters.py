"""The dashboard filter: period, Comune and service, read from URL query parameters.

Pure (no database): every parameter is validated against an allowlist or parsed as a
date; anything invalid falls back to the default and yields an Italian notice, so a
shared or hand-edited link never breaks the page and never reaches SQL unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

from tutela_app.domain.intake_values import parse_date
from tutela_app.domain.measures import add_months

ALL_COMUNI = "tutti"
SERVICES: dict[str, str] = {
    "tutti": "Entrambi i servizi",
    "tm": "Tutela Minori",
    "seg": "Segretariato e Servizio Sociale Professionale",
}
PRESETS: dict[str, str] = {
    "12m": "Ultimi 12 mesi",
    "anno": "Anno corrente",
    "anno_prec": "Anno precedente",
}
MIN_DATE = date(2000, 1, 1)
MAX_SPAN_DAYS = 366 * 10


@dataclass(frozen=True)
class DashboardFilter:
    date_from: date
    date_to: date
    comune: str = ALL_COMUNI  # tenant code or "tutti" (every Comune the actor may see)
    service: str = "tutti"  # tutti | tm | seg

    @property
    def includes_tm(self) -> bool:
        return self.service in ("tutti", "tm")

    @property
    def includes_seg(self) -> bool:
        return self.service in ("tutti", "seg")

    def previous(self) -> DashboardFilter:
        """The period of the same length just before this one (whole months when it is whole months)."""
        if self.date_from.day == 1 and (self.date_to + timedelta(days=1)).day == 1:
            months = (self.date_to.year - self.date_from.year) * 12 + self.date_to.month - self.date_from.month + 1
            return replace(self, date_from=add_months(self.date_from, -months),
                           date_to=self.date_from - timedelta(days=1))
        days = (self.date_to - self.date_from).days + 1
        return replace(self, date_from=self.date_from - timedelta(days=days), date_to=self.date_from - timedelta(days=1))

    def query_params(self) -> dict[str, str]:
        return {"da": self.date_from.isoformat(), "a": self.date_to.isoformat(), "comune": self.comune,
                "servizio": self.service}

    def query_string(self) -> str:
        return urlencode(self.query_params())

    def period_label(self) -> str:
        return f"dal {self.date_from:%d/%m/%Y} al {self.date_to:%d/%m/%Y}"


def preset_period(preset: str, today: date) -> tuple[date, date]:
    """Dates of a named preset; unknown names raise ``ValueError``."""
    if preset == "12m":
        return add_months(today, -12) + timedelta(days=1), today
    if preset == "anno":
        return date(today.year, 1, 1), today
    if preset == "anno_prec":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise ValueError(preset)


def default_filter(today: date) -> DashboardFilter:
    start, end = preset_period("12m", today)
    return DashboardFilter(start, end)


def _date(raw: object) -> date | None:
    if not isinstance(raw, str) or len(raw) > 20:
        return None
    return parse_date(raw.strip())


def parse_filter(params: dict, allowed_codes: set[str], today: date) -> tuple[DashboardFilter, list[str]]:
    """Validate query parameters ``da``, ``a``, ``comune``, ``servizio`` (and ``periodo``).

    Returns the filter and the Italian notices for every parameter that was ignored.
    """
    base = default_filter(today)
    notices: list[str] = []
    start, end = base.date_from, base.date_to
    preset = params.get("periodo")
    if preset:
        if isinstance(preset, str) and preset in PRESETS:
            start, end = preset_period(preset, today)
        else:
            notices.append("Il periodo indicato nel link non è valido: mostro gli ultimi 12 mesi.")
    raw_from, raw_to = params.get("da"), params.get("a")
    if raw_from or raw_to:
        d_from, d_to = _date(raw_from), _date(raw_to)
        problem = _period_problem(d_from, d_to, today)
        if problem:
            notices.append(problem + " Mostro gli ultimi 12 mesi.")
        else:
            start, end = d_from, d_to  # type: ignore[assignment]
    comune = params.get("comune") or ALL_COMUNI
    if not isinstance(comune, str) or (comune != ALL_COMUNI and comune not in allowed_codes):
        notices.append("Il Comune indicato nel link non è tra quelli che puoi consultare: mostro tutti i tuoi Comuni.")
        comune = ALL_COMUNI
    service = params.get("servizio") or "tutti"
    if not isinstance(service, str) or service not in SERVICES:
        notices.append("Il servizio indicato nel link non è valido: mostro entrambi i servizi.")
        service = "tutti"
    return DashboardFilter(start, end, comune, service), notices


def _period_problem(d_from: date | None, d_to: date | None, today: date) -> str | None:
    if d_from is None or d_to is None:
        return "Le date del periodo non sono valide (usa il formato gg/mm/aaaa)."
    if d_from > d_to:
        return "La data di inizio è successiva alla data di fine."
    if d_from < MIN_DATE or d_to > today + timedelta(days=366):
        return "Il periodo è fuori dall'intervallo consentito."
    if (d_to - d_from).days > MAX_SPAN_DAYS:
        return "Il periodo è troppo lungo (al massimo 10 anni)."
    return None


def period_problem(d_from: date | None, d_to: date | None, today: date) -> str | None:
    """Italian message for an invalid period typed in the form, or ``None``."""
    return _period_problem(d_from, d_to, today)
