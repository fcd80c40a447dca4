"""Stateless form pieces of the court page: labelled fields with errors next to them."""

from __future__ import annotations

import reflex as rx

ERROR_COLOR = "#a4001d"
INPUT_STYLE = {
    "border": "1px solid #4a4a4a", "border_radius": "4px", "padding": "0.35em 0.5em", "min_width": "12em",
    "background": "white", "color": "#111",
    "_focus_visible": {"outline": "3px solid #0b5cad", "outline_offset": "2px"},
}
URGENCY_COLORS = {"overdue": "red", "this_week": "orange", "later": "gray"}


def error_text(error: rx.Var, id_: str) -> rx.Component:
    return rx.cond(error, rx.text(error, id=f"{id_}-errore", color=ERROR_COLOR, size="2", role="alert"), rx.fragment())


def field(label: str, name: str, id_: str, errors: rx.Var, *, type_: str = "text", required: bool = False,
          default: rx.Var | str = "", hint: str = "", err: str = "") -> rx.Component:
    error = errors[err or name]
    return rx.vstack(
        rx.el.label(label + (" *" if required else ""), html_for=id_, style={"font_weight": "600"}),
        rx.cond(hint != "", rx.text(hint, size="1", color="#333"), rx.fragment()) if hint else rx.fragment(),
        rx.el.input(id=id_, name=name, type=type_, default_value=default, style=INPUT_STYLE,
                    aria_describedby=f"{id_}-errore", aria_required="true" if required else "false"),
        error_text(error, id_),
        spacing="1", align="start",
    )


def textarea(label: str, name: str, id_: str, errors: rx.Var, *, required: bool = False, default: rx.Var | str = "",
             rows: str = "4", err: str = "") -> rx.Component:
    return rx.vstack(
        rx.el.label(label + (" *" if required else ""), html_for=id_, style={"font_weight": "600"}),
        rx.el.textarea(id=id_, name=name, default_value=default, rows=rows, style={**INPUT_STYLE, "width": "100%"},
                       aria_describedby=f"{id_}-errore"),
        error_text(errors[err or name], id_),
        spacing="1", align="start", width="100%",
    )


def select(label: str, name: str, id_: str, errors: rx.Var, options: dict[str, str], *, required: bool = False,
           default: rx.Var | str = "", on_change=None, err: str = "") -> rx.Component:  # noqa: ANN001
    props = {"on_change": on_change} if on_change is not None else {}
    return rx.vstack(
        rx.el.label(label + (" *" if required else ""), html_for=id_, style={"font_weight": "600"}),
        rx.el.select(
            rx.el.option("— scegli —", value=""),
            *[rx.el.option(text, value=value) for value, text in options.items()],
            id=id_, name=name, default_value=default, style=INPUT_STYLE, aria_describedby=f"{id_}-errore", **props,
        ),
        error_text(errors[err or name], id_),
        spacing="1", align="start",
    )


def checkbox(label: str, name: str, id_: str) -> rx.Component:
    return rx.hstack(
        rx.el.input(type="checkbox", id=id_, name=name, value="true", style={"width": "1.2em", "height": "1.2em"}),
        rx.el.label(label, html_for=id_),
        spacing="2", align="center",
    )


def form_error(errors: rx.Var) -> rx.Component:
    return rx.cond(errors["_"], rx.callout(errors["_"], color_scheme="red", role="alert", high_contrast=True), rx.fragment())


def section(title: str, anchor: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.heading(title, as_="h2", size="5", id=anchor, margin_bottom="0.5em"),
        *children,
        aria_labelledby=anchor,
        style={"border_top": "2px solid #0f4c5c", "padding_top": "1em", "margin_top": "1.5em", "width": "100%"},
    )


def submit(label: str, **props) -> rx.Component:  # noqa: ANN003
    return rx.button(label, type="submit", **props)


def urgency_badge(urgency: rx.Var, label: rx.Var) -> rx.Component:
    return rx.match(
        urgency,
        ("overdue", rx.badge(label, color_scheme="red", variant="solid", high_contrast=True)),
        ("this_week", rx.badge(label, color_scheme="orange", variant="solid", high_contrast=True)),
        ("later", rx.badge(label, color_scheme="gray", variant="soft", high_contrast=True)),
        rx.fragment(),
    )


def conflict_box(theirs: rx.Var, yours: rx.Var, message: rx.Var) -> rx.Component:
    """Both versions side by side after an optimistic-lock conflict."""
    def table(title: str, rows: rx.Var) -> rx.Component:
        return rx.box(
            rx.heading(title, as_="h3", size="3"),
            rx.foreach(rows, lambda r: rx.text(rx.text.strong(r["label"], ": "), r["value"])),
        )

    return rx.cond(
        message,
        rx.callout(
            rx.vstack(rx.text(message), rx.hstack(table("Versione salvata dal collega", theirs), table("La tua versione", yours), spacing="6")),
            color_scheme="amber", role="alert", high_contrast=True,
        ),
        rx.fragment(),
    )
