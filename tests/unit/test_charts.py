"""Chart builders: Italian titles and axes, Okabe-Ito colours, same numbers as the table, small payload."""

from __future__ import annotations

from tutela_app.charts import palette
from tutela_app.charts.figures import build_figure, figure_json_size
from tutela_app.charts.model import ChartSpec, MetricTable, format_cell


def _table(kind: str = "bar", **spec) -> MetricTable:  # noqa: ANN003
    return MetricTable(
        "prova", "Titolo di prova", "Quale domanda?", ("Categoria", "Serie A", "Serie B"),
        (("Uno", 3, 1), ("Due", 0, 5)), ChartSpec(kind, "Asse X", "Asse Y", **spec),
    )


def test_title_question_axes_and_italian_separators() -> None:
    fig = build_figure(_table())
    assert fig.layout.title.text == "Titolo di prova"
    assert fig.layout.title.subtitle.text == "Quale domanda?"
    assert fig.layout.xaxis.title.text == "Asse X" and fig.layout.yaxis.title.text == "Asse Y"
    assert fig.layout.separators == ",."
    assert fig.layout.showlegend is True


def test_bars_carry_the_table_numbers_in_okabe_ito_colours() -> None:
    fig = build_figure(_table(stacked=True))
    assert [t.name for t in fig.data] == ["Serie A", "Serie B"]
    assert list(fig.data[0].x) == ["Uno", "Due"] and list(fig.data[0].y) == [3, 0]
    assert list(fig.data[1].y) == [1, 5]
    assert fig.layout.barmode == "stack"
    colours = [t.marker.color for t in fig.data]
    assert colours == [palette.SERIES[0], palette.SERIES[1]]
    assert set(palette.SERIES) <= set(palette.OKABE_ITO)


def test_horizontal_bars_put_categories_on_the_vertical_axis_in_table_order() -> None:
    fig = build_figure(_table("hbar"))
    assert fig.data[0].orientation == "h"
    assert list(fig.data[0].y) == ["Uno", "Due"] and list(fig.data[0].x) == [3, 0]
    assert fig.layout.yaxis.autorange == "reversed"


def test_highlighted_categories_use_the_warning_colour() -> None:
    table = MetricTable("d", "Durata", "?", ("Durata", "Collocamenti"), (("Meno di 6 mesi", 4), ("Oltre 24 mesi", 2)),
                        ChartSpec("bar", "Durata", "Collocamenti", highlight=("Oltre 24 mesi",)))
    fig = build_figure(table)
    assert list(fig.data[0].marker.color) == [palette.BASE, palette.WARNING]


def test_line_chart_distinguishes_series_by_dash_and_marker_not_only_colour() -> None:
    fig = build_figure(_table("line"))
    assert fig.data[0].mode == "lines+markers"
    assert fig.data[0].line.dash != fig.data[1].line.dash
    assert fig.data[0].marker.symbol != fig.data[1].marker.symbol


def test_empty_table_says_so_and_payload_is_small() -> None:
    empty = MetricTable("e", "Vuoto", "?", ("A", "B"), (), ChartSpec())
    fig = build_figure(empty)
    assert "Nessun dato" in fig.layout.annotations[0].text
    big = MetricTable("m", "Mesi", "?", ("Mese", "Nuovi", "Chiusi"),
                      tuple((f"m{i}", i, i) for i in range(120)), ChartSpec("line"))
    assert figure_json_size(build_figure(big)) < 12_000


def test_cells_are_formatted_the_italian_way() -> None:
    assert format_cell(1234) == "1.234"
    assert format_cell(1.5) == "1,5"
    assert format_cell(1234.25) == "1.234,25"
    assert format_cell(0.0) == "0"
    assert format_cell("Comune") == "Comune"
