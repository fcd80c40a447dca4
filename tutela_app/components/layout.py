"""The app shell: skip link, header with navigation and the signed-in user, main region."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from tutela_app import routes
from tutela_app.state.session import SessionState

FOCUS_STYLE = {"_focus_visible": {"outline": "3px solid #0b5cad", "outline_offset": "2px"}}


def nav_link(label: str, href: str, visible: rx.Var | bool = True) -> rx.Component:
    link = rx.link(label, href=href, color="white", weight="medium", underline="hover", style=FOCUS_STYLE)
    return rx.cond(visible, link, rx.fragment()) if not isinstance(visible, bool) else link


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(rx.text("Tutela", size="5", weight="bold", color="white"), href=routes.HOME, style=FOCUS_STYLE, aria_label="Tutela, home"),
            rx.el.nav(
                rx.hstack(
                    nav_link("Home", routes.HOME),
                    nav_link("Sportello", routes.INTAKE, SessionState.nav_intake),
                    nav_link("Casi", routes.BOARD, SessionState.nav_cases),
                    nav_link("Cruscotti", routes.DASHBOARDS, SessionState.nav_dashboards),
                    nav_link("Registro accessi", routes.AUDIT, SessionState.nav_audit),
                    nav_link("Amministrazione", routes.ADMIN, SessionState.nav_admin),
                    nav_link("Privacy", routes.ADMIN_PRIVACY, SessionState.nav_privacy),
                    spacing="5",
                    wrap="wrap",
                ),
                aria_label="Navigazione principale",
            ),
            rx.spacer(),
            rx.cond(
                SessionState.is_authenticated,
                rx.hstack(
                    rx.text(SessionState.display_name, color="white", id="utente-corrente"),
                    rx.el.a("Esci", href=routes.LOGOUT, style={"color": "white", "text_decoration": "underline", **FOCUS_STYLE}),
                    spacing="3",
                    align="center",
                ),
                rx.el.a("Accedi", href=routes.LOGIN, style={"color": "white", "text_decoration": "underline", **FOCUS_STYLE}),
            ),
            align="center",
            spacing="6",
            padding_x="1.5em",
            padding_y="0.8em",
            width="100%",
        ),
        style={"background": "#0f4c5c"},
    )


def skip_link() -> rx.Component:
    return rx.el.a(
        "Vai al contenuto principale",
        href="#contenuto",
        class_name="skip-link",
    )


def shell(*children: rx.Component) -> rx.Component:
    return rx.box(
        skip_link(),
        header(),
        rx.el.main(
            rx.box(*children, max_width="1400px", margin_x="auto", padding="1.5em"),
            id="contenuto",
            tab_index=-1,
        ),
        rx.el.footer(
            rx.text(
                "Tutela — servizi Tutela Minori e Segretariato Sociale. Dati riservati: "
                "ogni accesso è registrato.",
                size="1",
                color="#4a4a4a",
            ),
            padding="1.5em",
        ),
        min_height="100vh",
    )


def protected_page(
    app: rx.App, route: str, title: str, on_load: list | None = None
) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register a page behind the session check, wrapped in the shell."""

    def decorator(body: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def page() -> rx.Component:
            return shell(body())

        page.__name__ = body.__name__
        app.add_page(
            page,
            route=route,
            title=f"{title} · Tutela",
            on_load=[SessionState.check_session, *(on_load or [])],
        )
        return body

    return decorator
