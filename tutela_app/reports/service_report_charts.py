"""Charts of the service report drawn natively with reportlab (offline, no browser).

Same tables and the same Okabe-Ito palette as the dashboard's Plotly figures.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from tutela_app.charts import palette
from tutela_app.charts.model import MetricTable

WIDTH = 480
LABEL_CHARS = 34


def _colour(index: int) -> colors.Color:
    return colors.HexColor(palette.series_colour(index))


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _series(table: MetricTable) -> list[list[float]]:
    return [[float(row[i]) for row in table.rows] for i in table.series_indices]


def _legend(table: MetricTable, drawing: Drawing, y: float) -> None:
    if len(table.series_indices) < 2:
        return
    legend = Legend()
    legend.x, legend.y = 0, y
    legend.fontName, legend.fontSize = "Helvetica", 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 118
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(_colour(n), _short(table.columns[i], 28)) for n, i in enumerate(table.series_indices)]
    drawing.add(legend)


def _axis_label(drawing: Drawing, text: str, x: float, y: float) -> None:
    drawing.add(String(x, y, text, fontName="Helvetica-Oblique", fontSize=7, textAnchor="middle"))


def _hbar(table: MetricTable) -> Drawing:
    rows = len(table.rows)
    height = 40 + 16 * rows + (30 if len(table.series_indices) > 1 else 0)
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 30 + (25 if len(table.series_indices) > 1 else 0)
    chart.width, chart.height = WIDTH - 190, 16 * rows
    chart.data = _series(table)
    chart.categoryAxis.categoryNames = [_short(str(r[0])) for r in table.rows]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    if table.chart.stacked:
        chart.categoryAxis.style = "stacked"
    _style_bars(chart, table)
    drawing.add(chart)
    _axis_label(drawing, table.chart.x_label, chart.x + chart.width / 2, chart.y - 22)
    _legend(table, drawing, 18)
    return drawing


def _vbar(table: MetricTable) -> Drawing:
    drawing = Drawing(WIDTH, 190)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 50, 40, WIDTH - 70, 130
    chart.data = _series(table)
    chart.categoryAxis.categoryNames = [_short(str(r[0]), 22) for r in table.rows]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    _style_bars(chart, table)
    drawing.add(chart)
    _axis_label(drawing, table.chart.x_label, chart.x + chart.width / 2, 12)
    return drawing


def _style_bars(chart, table: MetricTable) -> None:  # noqa: ANN001
    for n in range(len(table.series_indices)):
        chart.bars[n].fillColor = _colour(n)
        chart.bars[n].strokeColor = colors.white
    if table.chart.highlight and len(table.series_indices) == 1:
        for j, row in enumerate(table.rows):
            if row[0] in table.chart.highlight:
                chart.bars[(0, j)].fillColor = colors.HexColor(palette.WARNING)


def _line(table: MetricTable) -> Drawing:
    drawing = Drawing(WIDTH, 200)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 50, 55, WIDTH - 70, 130
    chart.data = _series(table)
    step = max(1, len(table.rows) // 12)
    chart.categoryAxis.categoryNames = [str(r[0]) if i % step == 0 else "" for i, r in enumerate(table.rows)]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    for n in range(len(table.series_indices)):
        chart.lines[n].strokeColor = _colour(n)
        chart.lines[n].strokeWidth = 2
        if n:
            chart.lines[n].strokeDashArray = (4, 2)
    drawing.add(chart)
    _legend(table, drawing, 10)
    return drawing


def chart_drawing(table: MetricTable) -> Drawing | None:
    """A reportlab drawing of ``table`` or ``None`` when there is nothing to draw."""
    if table.is_empty:
        return None
    if table.chart.kind == "line":
        return _line(table)
    if table.chart.kind == "hbar":
        return _hbar(table)
    return _vbar(table)
