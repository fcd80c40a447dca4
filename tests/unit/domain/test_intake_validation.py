"""Per-kind answer validation: normalised values and specific Italian errors."""

from datetime import date

import pytest

from tests.unit.domain.intake_helpers import TODAY
from tutela_app.domain.intake_flow import validate_answer
from tutela_app.domain.intake_schema import Question


def q(kind, **kw):
    base = {"id": "x", "section": "Bisogno", "prompt": "Domanda?", "kind": kind}
    if kind in ("choice", "multichoice") and "options" not in kw:
        kw["options"] = [{"value": "a", "label": "Alfa"}, {"value": "b", "label": "Beta"}]
    base.update(kw)
    return Question.model_validate(base)


def ok(question, raw, context=None):
    result = validate_answer(question, raw, TODAY, context)
    assert result.ok, result.error
    return result


def err(question, raw, context=None):
    result = validate_answer(question, raw, TODAY, context)
    assert not result.ok and result.value is None
    return result.error


@pytest.mark.parametrize("raw", [None, "", "   ", []])
def test_required_empty(raw):
    assert err(q("text"), raw) == "Questa risposta è obbligatoria."


def test_optional_empty_values():
    assert ok(q("text", required=False), "  ").value is None
    assert ok(q("multichoice", required=False), []).value == []
    assert ok(q("members", required=False), None).value == []


def test_text_strip_length_pattern():
    assert ok(q("text"), "  Mario ").value == "Mario"
    assert err(q("text"), "x" * 201) == "Il testo è troppo lungo: al massimo 200 caratteri (ora sono 201)."
    assert ok(q("longtext"), "x" * 4000).value == "x" * 4000
    assert err(q("text", validation={"max_length": 5}), "abcdef").startswith("Il testo è troppo lungo")
    assert (
        err(q("text", validation={"min_length": 3}), "ab") == "Il testo è troppo corto: almeno 3 caratteri."
    )
    phone = q("text", validation={"pattern": "^[0-9]+$", "message": "Solo cifre."})
    assert err(phone, "12a") == "Solo cifre."
    assert (
        err(q("text", validation={"pattern": "^[0-9]+$"}), "a") == "Il formato della risposta non è valido."
    )
    assert err(q("text"), 42) == "Scrivi la risposta come testo."


def test_choice():
    assert ok(q("choice"), "b").value == "b"
    assert err(q("choice"), "c") == "Scegli una delle opzioni proposte."
    assert err(q("choice"), ["a"]) == "Scegli una delle opzioni proposte."


def test_multichoice_orders_and_dedupes():
    assert ok(q("multichoice"), ["b", "a", "b"]).value == ["a", "b"]
    assert ok(q("multichoice"), "a").value == ["a"]
    assert err(q("multichoice"), ["a", "z"]) == "Una delle scelte non è tra le opzioni proposte."
    assert err(q("multichoice"), {"a": 1}) == "Scegli una o più delle opzioni proposte."


@pytest.mark.parametrize(
    ("raw", "value"),
    [(True, True), ("sì", True), ("Si", True), ("true", True), (False, False), ("no", False), ("0", False)],
)
def test_yesno(raw, value):
    assert ok(q("yesno"), raw).value is value


def test_yesno_invalid_and_must_be_true():
    assert err(q("yesno"), "forse") == "Rispondi Sì o No."
    assert err(q("yesno"), 1) == "Rispondi Sì o No."
    consent = q("yesno", validation={"must_be_true": "Serve l'informativa."})
    assert err(consent, "no") == "Serve l'informativa."
    assert ok(consent, "sì").value is True


def test_privacy_question_explains_why(flow):
    message = err(flow.question("privacy_notice_given"), False)
    assert "informativa" in message and "Per proseguire" in message


def test_date_formats_and_rules():
    assert ok(q("date"), "04/05/2026").value == "2026-05-04"
    assert ok(q("date"), "2026-05-04").value == "2026-05-04"
    assert ok(q("date"), date(2020, 2, 29)).value == "2020-02-29"
    assert err(q("date"), "31/02/2020") == "Data non valida: usa il formato gg/mm/aaaa."
    assert err(q("date"), "ieri") == "Data non valida: usa il formato gg/mm/aaaa."
    assert err(q("date"), "01/01/1850") == "La data è troppo lontana nel passato (prima del 1900)."
    not_future = q("date", validation={"not_future": True})
    assert err(not_future, "05/05/2026") == "La data non può essere nel futuro."
    assert ok(not_future, "04/05/2026").value == "2026-05-04"


def test_isee_expiry_in_the_past_warns_but_is_accepted(flow):
    result = ok(flow.question("isee_expiry"), "31/12/2025")
    assert result.value == "2025-12-31"
    assert result.warnings == ["L'ISEE risulta scaduto: invita la persona a presentare una nuova DSU."]
    assert ok(flow.question("isee_expiry"), "31/12/2026").warnings == []


def test_number():
    num = q("number", validation={"min": 0, "max": 20})
    assert ok(num, " 7 ").value == 7
    assert ok(num, 3).value == 3
    assert err(num, "7,5") == "Inserisci un numero intero, senza lettere né decimali."
    assert err(num, True) == "Inserisci un numero intero, senza lettere né decimali."
    assert err(num, "-1") == "Il valore deve essere almeno 0."
    assert err(num, "21") == "Il valore non può superare 20."


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("8.500,00", 8500.0),
        ("8500", 8500.0),
        ("8500,5", 8500.5),
        ("8500.55", 8500.55),
        ("1.234", 1234.0),
        ("€ 12.345,67", 12345.67),
        ("0", 0.0),
        (1500, 1500.0),
        (99.999, 100.0),
    ],
)
def test_money_parsing(flow, raw, value):
    assert ok(flow.question("isee_value"), raw).value == value


@pytest.mark.parametrize("raw", ["abc", "12,345,67", "1,234.5.6", "10,123", float("nan"), float("inf"), "-5"])
def test_money_invalid(flow, raw):
    assert (
        err(flow.question("isee_value"), raw)
        == "Importo non valido: scrivi una cifra in euro, ad esempio 8.500,00."
    )


def test_money_range(flow):
    assert err(flow.question("isee_value"), "2.000.000") == "Il valore non può superare 1.000.000."


def test_codice_fiscale_kind(flow):
    cf = flow.question("codice_fiscale")
    assert ok(cf, "rssmra80a01f205x").value == "RSSMRA80A01F205X"
    assert err(cf, "RSSMRA80A01F205A") == "Carattere di controllo errato."
    assert err(cf, "RSSMRA") == "Il codice fiscale deve avere 16 caratteri."
    assert err(cf, 123) == "Scrivi il codice fiscale come testo."
    assert ok(cf, "RSSMRA80A01F20RS").value == "RSSMRA80A01F20RS"  # omocodia


def test_codice_fiscale_warns_when_disagreeing_with_earlier_answers(flow):
    cf = flow.question("codice_fiscale")
    consistent = ok(cf, "RSSMRA80A01F205X", {"birth_date": "1980-01-01", "sex": "M"})
    assert consistent.warnings == []
    result = ok(cf, "RSSMRA80A01F205X", {"birth_date": "1980-01-02", "sex": "F"})
    assert len(result.warnings) == 2
    assert "02/01/1980" in result.warnings[0] and "femminile" in result.warnings[1]
    assert ok(cf, "RSSMRA80A01F205X", {"birth_date": 12, "sex": ["M"]}).warnings == []


MEMBER = {
    "nome": "Luca",
    "cognome": "Rossi",
    "data_nascita": "10/06/2015",
    "sesso": "M",
    "relazione": "figlio",
}


def test_members_normalised(flow):
    members = flow.question("members")
    result = ok(
        members,
        [
            MEMBER,
            {
                **MEMBER,
                "nome": "Sara",
                "sesso": "F",
                "codice_fiscale": "vrdsra12t66b639h",
                "data_nascita": "2012-12-26",
                "cognome": "Verdi",
            },
        ],
    )
    assert result.value[0] == {
        "nome": "Luca",
        "cognome": "Rossi",
        "data_nascita": "2015-06-10",
        "sesso": "M",
        "relazione": "figlio",
        "codice_fiscale": None,
    }
    assert result.value[1]["codice_fiscale"] == "VRDSRA12T66B639H"
    assert result.warnings == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nome": ""}, "Componente n. 2: manca il nome."),
        ({"cognome": None}, "Componente n. 2: manca il cognome."),
        ({"nome": "x" * 81}, "Componente n. 2: il nome è troppo lungo (al massimo 80 caratteri)."),
        (
            {"data_nascita": "2015-13-01"},
            "Componente n. 2: data di nascita mancante o non valida (usa gg/mm/aaaa).",
        ),
        ({"data_nascita": "2030-01-01"}, "Componente n. 2: la data di nascita non è plausibile."),
        ({"sesso": "X"}, "Componente n. 2: indica il sesso (F o M)."),
        ({"relazione": "cugino"}, "Componente n. 2: scegli la relazione con la persona tra quelle proposte."),
        (
            {"codice_fiscale": "RSSMRA80A01F205A"},
            "Componente n. 2: codice fiscale non valido. Carattere di controllo errato.",
        ),
        ({"codice_fiscale": 5}, "Componente n. 2: codice fiscale non valido."),
    ],
)
def test_members_errors_name_the_member(flow, change, message):
    assert err(flow.question("members"), [MEMBER, {**MEMBER, **change}]) == message


def test_members_shape_errors_and_cf_warning(flow):
    members = flow.question("members")
    assert err(members, "Luca") == "Elenco dei componenti non valido."
    assert err(members, ["Luca"]) == "Componente n. 1: dati non validi."
    assert err(members, [MEMBER] * 31) == "Si possono indicare al massimo 30 componenti."
    mismatch = ok(members, [{**MEMBER, "codice_fiscale": "RSSMRA80A01F205X"}])
    assert mismatch.warnings[0].startswith("Componente n. 1: La data di nascita indicata (10/06/2015)")


@pytest.mark.parametrize("raw", ["x" * 1_000_000, ["a"] * 10_000, {"a": 1}, 10**100, object(), b"\x00\xff"])
def test_hostile_input_gets_clean_error(flow, raw):
    for question in flow.questions:
        result = validate_answer(question, raw, TODAY, {"birth_date": object()})
        assert isinstance(result.error, str) or result.ok
        if isinstance(raw, str) and len(raw) > 10_000:
            assert result.error == "La risposta è troppo lunga."
