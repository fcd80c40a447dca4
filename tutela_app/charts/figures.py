"""Plotly figures for the dashboard tables.

Every figure has an Italian title, the question it answers as subtitle, titled axes,
Okabe-Ito colours, Italian number separators and a compact payload: no template is
embedded (the page supplies one) and only the aggregated points are sent.
"""

from __future__ import annotations

import plotly.graph_objects as go

from tutela_app.charts import palette
from tutela_app.charts.model import MetricTable

HEIGHT = 380
FONT = "Inter, Segoe UI, Helvetica, Arial, sans-serif"


def _layout(table: MetricTable, *, legend: bool, height: int) -> dict:
    spec = table.chart
    return {
        "title": {"text": table.title, "subtitle": {"text": table.question}, "x": 0, "xanchor": "left"},
        "xaxis": {"title": {"text": spec.x_label}, "automargin": True, "gridcolor": palette.GRID},
        "yaxis": {"title": {"text": spec.y_label}, "automargin": True, "gridcolor": palette.GRID},
        "font": {"family": FONT, "size": 13, "color": palette.TEXT},
        "separators": ",.",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 90, "b": 10},
        "showlegend": legend,
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "barmode": "stack" if spec.stacked else "group",
        "template": {},
    }


def _bar_traces(table: MetricTable) -> list[go.Bar]:
    spec = table.chart
    horizontal = spec.kind == "hbar"
    categories = [str(row[0]) for row in table.rows]
    traces = []
    for n, index in enumerate(table.series_indices):
        values = [row[index] for row in table.rows]
        colour: str | list[str] = palette.series_colour(n)
        if spec.highlight and len(table.series_indices) == 1:
            colour = [palette.WARNING if c in spec.highlight else palette.BASE for c in categories]
        name = table.columns[index]
        axis_cat, axis_val = ("y", "x") if horizontal else ("x", "y")
        traces.append(go.Bar(
            name=name,
            x=values if horizontal else categories,
            y=categories if horizontal else values,
            orientation="h" if horizontal else "v",
            marker={"color": colour, "line": {"color": "white", "width": 1}},
            hovertemplate=f"%{{{axis_cat}}}<br>{name}: %{{{axis_val}}}<extra></extra>",
        ))
    return traces


def _line_traces(table: MetricTable) -> list[go.Scatter]:
    categories = [str(row[0]) for row in table.rows]
    symbols = ("circle", "square", "diamond", "triangle-up", "x")
    traces = []
    for n, index in enumerate(table.series_indices):
        name = table.columns[index]
        traces.append(go.Scatter(
            name=name,
            x=categories,
            y=[row[index] for row in table.rows],
            mode="lines+markers",
            line={"color": palette.series_colour(n), "width": 3, "dash": "solid" if n == 0 else "dash"},
            marker={"symbol": symbols[n % len(symbols)], "size": 8},
            hovertemplate=f"%{{x}}<br>{name}: %{{y}}<extra></extra>",
        ))
    return traces


def build_figure(table: MetricTable) -> go.Figure:
    """The Plotly figure of ``table`` (empty tables get an explicit 'no data' note)."""
    spec = table.chart
    traces = _line_traces(table) if spec.kind == "line" else _bar_traces(table)
    many = len(table.series_indices) > 1
    height = HEIGHT
    if spec.kind == "hbar":
        height = max(HEIGHT, 120 + 34 * len(table.rows) + (40 if many else 0))
    fig = go.Figure(data=traces, layout=_layout(table, legend=many, height=height))
    if spec.kind == "hbar":
        fig.update_yaxes(autorange="reversed", gridcolor=None, showgrid=False)
    elif spec.kind == "bar":
        fig.update_xaxes(showgrid=False)
    if table.is_empty:
        fig.add_annotation(text="Nessun dato per il periodo e i Comuni selezionati", showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 15})
    return fig


def figure_json_size(fig: go.Figure) -> int:
    """Bytes of the figure as sent to the browser (Plotly JSON)."""
    return len(fig.to_json().encode("utf-8"))
