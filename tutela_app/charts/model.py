"""Plain data passed from the aggregate queries to the chart builders, tables and reports.

Pure dataclasses (no Plotly, no database): a :class:`MetricTable` is a small wide table
(first column = category, the others = numbers) plus how to draw it. The same object feeds
the Plotly figure, the accessible HTML table, the CSV export and the PDF report, so the
numbers shown in the four places cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Cell = str | int | float


@dataclass(frozen=True)
class ChartSpec:
    """How to draw a table.

    ``kind``: ``bar`` (vertical), ``hbar`` (horizontal, for long category names) or
    ``line`` (months on the x axis). ``series`` are the indices of the numeric columns to
    plot (default: every column after the first). ``stacked`` stacks the series.
    ``highlight`` names categories drawn in the warning colour (e.g. over the 24-month limit).
    """

    kind: str = "bar"
    x_label: str = ""
    y_label: str = ""
    series: tuple[int, ...] = ()
    stacked: bool = False
    highlight: tuple[str, ...] = ()


@dataclass(frozen=True)
class MetricTable:
    """One chart's numbers, already aggregated, with Italian labels."""

    key: str
    title: str
    question: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    chart: ChartSpec = field(default_factory=ChartSpec)
    service: str = "tm"  # tm | seg: which service the figure describes
    note: str = ""  # how the figure is computed (shown under the table and in the PDF)

    @property
    def series_indices(self) -> tuple[int, ...]:
        return self.chart.series or tuple(range(1, len(self.columns)))

    @property
    def is_empty(self) -> bool:
        return not self.rows or all(
            not any(isinstance(v, int | float) and v for v in row[1:]) for row in self.rows
        )

    def column_total(self, index: int) -> float:
        return sum(row[index] for row in self.rows if isinstance(row[index], int | float))


def format_cell(value: Cell) -> str:
    """Italian formatting of a table cell: thousands with '.', decimals with ','."""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        whole = value.is_integer()
        text = f"{value:,.0f}" if whole else f"{value:,.2f}".rstrip("0")
        return text.replace(",", "§").replace(".", ",").replace("§", ".")
    return str(value)
