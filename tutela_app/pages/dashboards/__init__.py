"""Cruscotti (/cruscotti): efficacy dashboards and the periodic service report per Comune."""

from __future__ import annotations

import reflex as rx

from tutela_app import routes
from tutela_app.components.layout import protected_page
from tutela_app.pages.dashboards.page import dashboards_body
from tutela_app.pages.dashboards.report_state import ServiceReportState
from tutela_app.pages.dashboards.state import DashboardState


def register(app: rx.App) -> None:
    protected_page(app, routes.DASHBOARDS, "Cruscotti",
                   on_load=[DashboardState.load, ServiceReportState.load])(dashboards_body)
