"""The input of the current question, by kind. Keyboard first: Enter confirms, focus lands
on the input (or on the first choice) as each question appears."""

from __future__ import annotations

import reflex as rx

from tutela_app.pages.intake.wizard_io import relation_options
from tutela_app.pages.intake.wizard_state import IntakeWizardState as S

ERROR_ID = "errore-risposta"
HELP_ID = "aiuto-risposta"
INPUT_STYLE = {
    "width": "100%", "padding": "0.6em", "font_size": "1.05em", "border": "2px solid #4a4a4a",
    "border_radius": "6px", "background": "white", "color": "#1a1a1a",
}
CHOICE_STYLE = {"min_width": "10em", "justify_content": "flex-start"}


def error_text() -> rx.Component:
    return rx.cond(
        S.error != "",
        rx.el.p(S.error, id=ERROR_ID, role="alert", style={"color": "#a0001c", "font_weight": "bold"}),
    )


def submit_row(label: str = "Conferma") -> rx.Component:
    return rx.hstack(
        rx.button(label, type="submit", size="3", loading=S.saving),
        rx.cond(~S.q_required, rx.text("Facoltativa: puoi lasciarla vuota e confermare.", size="2")),
        align="center", spacing="3",
    )


def _choice_button(option: dict, index) -> rx.Component:  # noqa: ANN001
    chosen = S.input_text == option["value"]
    return rx.button(
        option["label"],
        on_click=S.choose(option["value"]),
        size="3",
        variant=rx.cond(chosen, "solid", "outline"),
        aria_pressed=rx.cond(chosen, "true", "false"),
        auto_focus=rx.cond(S.input_text == "", index == 0, chosen),
        style=CHOICE_STYLE,
        type="button",
    )


def choice_input() -> rx.Component:
    yes_no = [{"value": "true", "label": "Sì"}, {"value": "false", "label": "No"}]
    return rx.el.div(
        rx.cond(
            S.q_kind == "yesno",
            rx.hstack(*[_choice_button(o, i) for i, o in enumerate(yes_no)], spacing="3", wrap="wrap"),
            rx.flex(rx.foreach(S.q_options, _choice_button), gap="0.6em", wrap="wrap"),
        ),
        role="group",
        aria_labelledby="domanda-testo",
        aria_describedby=HELP_ID,
    )


def multichoice_input() -> rx.Component:
    def option(o: dict) -> rx.Component:
        box_id = "scelta-" + o["value"]
        return rx.hstack(
            rx.el.input(type="checkbox", id=box_id, name="scelta_" + o["value"],
                        default_checked=S.input_multi.contains(o["value"]), style={"width": "1.3em", "height": "1.3em"}),
            rx.el.label(o["label"], html_for=box_id),
            align="center", spacing="2",
        )

    return rx.form(
        rx.el.fieldset(
            rx.el.legend("Seleziona le voci che valgono (anche nessuna)", style={"font_weight": "bold"}),
            rx.vstack(rx.foreach(S.q_options, option), spacing="2"),
        ),
        error_text(),
        submit_row(),
        on_submit=S.submit_answer,
        key=S.input_key,
    )


def text_input() -> rx.Component:
    common = {
        "id": "risposta", "name": "answer", "default_value": S.input_text, "auto_focus": True,
        "aria_describedby": f"{HELP_ID} {ERROR_ID}", "aria_invalid": rx.cond(S.error != "", "true", "false"),
        "style": INPUT_STYLE,
    }
    return rx.form(
        rx.el.label(S.q_prompt, html_for="risposta", class_name="sr-only-label",
                    style={"position": "absolute", "left": "-9999px"}),
        rx.cond(
            S.q_kind == "longtext",
            rx.vstack(
                rx.text_area(**common, rows="5", enter_key_submit=True),
                rx.text("Invio conferma; Maiusc+Invio va a capo.", size="2"),
                width="100%",
            ),
            rx.el.input(**common, type="text", autocomplete="off"),
        ),
        error_text(),
        submit_row(),
        on_submit=S.submit_answer,
        reset_on_submit=False,
        key=S.input_key,
        width="100%",
    )


def _member_row(member: dict, index) -> rx.Component:  # noqa: ANN001
    return rx.el.li(
        rx.hstack(
            rx.text(member["cognome"], " ", member["nome"], " – nato/a il ", member["data_nascita"]),
            rx.button("Rimuovi", on_click=S.remove_member(index), variant="outline", size="1", type="button"),
            align="center", spacing="3",
        )
    )


def _field(label: str, name: str, placeholder: str = "") -> rx.Component:
    fid = f"componente-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=fid),
        rx.el.input(id=fid, name=name, placeholder=placeholder, style=INPUT_STYLE, autocomplete="off"),
        spacing="1", align="start",
    )


def _select(label: str, name: str, options: list[dict[str, str]]) -> rx.Component:
    fid = f"componente-{name}"
    return rx.vstack(
        rx.el.label(label, html_for=fid),
        rx.el.select(
            rx.el.option("Scegli…", value=""),
            *[rx.el.option(o["label"], value=o["value"]) for o in options],
            id=fid, name=name, style=INPUT_STYLE,
        ),
        spacing="1", align="start",
    )


def members_input() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.members.length() > 0,
            rx.el.ul(rx.foreach(S.members, _member_row), aria_label="Componenti del nucleo"),
            rx.text("Nessun componente aggiunto: se la persona vive da sola, conferma così."),
        ),
        rx.form(
            rx.el.fieldset(
                rx.el.legend("Aggiungi un componente", style={"font_weight": "bold"}),
                rx.grid(
                    _field("Nome", "nome"), _field("Cognome", "cognome"),
                    _field("Data di nascita (gg/mm/aaaa)", "data_nascita"),
                    _select("Sesso", "sesso", [{"value": "F", "label": "Femminile"}, {"value": "M", "label": "Maschile"}]),
                    _select("Relazione con la persona", "relazione", relation_options()),
                    _field("Codice fiscale (facoltativo)", "codice_fiscale"),
                    columns=rx.breakpoints(initial="1", md="3"), spacing="3", width="100%",
                ),
            ),
            rx.cond(S.member_error != "",
                    rx.el.p(S.member_error, role="alert", style={"color": "#a0001c", "font_weight": "bold"})),
            rx.button("Aggiungi componente", type="submit", variant="outline", size="2"),
            on_submit=S.add_member,
            key=S.member_key,
            width="100%",
        ),
        error_text(),
        rx.button("Conferma il nucleo familiare", on_click=S.confirm_members, size="3", loading=S.saving,
                  type="button", id="conferma-nucleo"),
        spacing="3", width="100%", align="start",
    )


def answer_input() -> rx.Component:
    return rx.match(
        S.q_kind,
        ("choice", choice_input()),
        ("yesno", choice_input()),
        ("multichoice", multichoice_input()),
        ("members", members_input()),
        text_input(),
    )
