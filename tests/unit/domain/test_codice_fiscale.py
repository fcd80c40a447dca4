"""Codice fiscale: validation, decoding, omocodia, declared-data warnings, provisional ids."""

import random
from datetime import date

import pytest

from tutela_app.domain.codice_fiscale import (
    MSG_CHARS,
    MSG_CHECK,
    MSG_DATE,
    MSG_EMPTY,
    MSG_FUTURE,
    MSG_LENGTH,
    MSG_PLACE,
    MSG_STRUCTURE,
    compare_with_declared,
    encode_cf,
    is_provisional_identifier,
    normalize_cf,
    provisional_identifier,
    validate_cf,
)

MARIO = "RSSMRA80A01F205X"  # Rossi Mario, M, 01/01/1980, Milano (F205)
ANNA = "BNCNNA85C55H501O"  # Bianchi Anna, F, 15/03/1985 (C = March, 55 = 15 + 40), Roma (H501)


def test_normalize_strips_spaces_and_uppercases():
    assert normalize_cf("  rssmra 80a01\tf205x ") == MARIO
    assert normalize_cf(None) == ""  # type: ignore[arg-type]


def test_valid_male_code_is_decoded():
    check = validate_cf(MARIO)
    assert check.valid and check.error is None
    assert check.birth_date == date(1980, 1, 1)
    assert check.sex == "M"
    assert check.birthplace_code == "F205" and check.birthplace_name == "Milano"
    assert check.omocode is False


def test_valid_female_code_day_plus_40():
    check = validate_cf(ANNA.lower())
    assert check.valid
    assert check.birth_date == date(1985, 3, 15)
    assert check.sex == "F"
    assert check.birthplace_code == "H501"


def test_omocodia_variant_is_valid_and_flagged():
    # Last digit of the place code 5 -> R (omocodia table), check character recomputed: S.
    check = validate_cf("RSSMRA80A01F20RS")
    assert check.valid and check.omocode
    assert check.birth_date == date(1980, 1, 1)
    assert check.birthplace_code == "F205"


def test_fully_omocode_variant_is_valid():
    check = validate_cf("RSSMRAULALMFNLRD")  # every substitutable digit replaced
    assert check.valid and check.omocode and check.birth_date == date(1980, 1, 1)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", MSG_EMPTY),
        ("   ", MSG_EMPTY),
        ("RSSMRA80A01F205", MSG_LENGTH),
        ("RSSMRA80A01F205XX", MSG_LENGTH),
        ("RSSMRA80A01F205!", MSG_CHARS),
        ("1SSMRA80A01F205X", MSG_STRUCTURE),
        ("RSSMRA80Z01F205X", MSG_STRUCTURE),  # Z is not a month letter
        ("RSSMRA80A01F205A", MSG_CHECK),
        ("RSSMRA80B31F205Z", MSG_DATE),  # 31 February, correct check character
        ("RSSMRA80A01Z999Y", MSG_PLACE),  # unknown cadastral code, correct check character
        ("X" * 5000, MSG_LENGTH),
    ],
)
def test_invalid_codes_have_specific_italian_errors(raw, message):
    check = validate_cf(raw)
    assert not check.valid
    assert check.error == message


def test_check_character_error_text():
    assert validate_cf("RSSMRA80A01F205A").error == "Carattere di controllo errato."
    assert validate_cf("ABC").error == "Il codice fiscale deve avere 16 caratteri."


def test_birth_date_after_today_is_invalid():
    assert validate_cf(MARIO, today=date(1979, 12, 31)).error == MSG_FUTURE


@pytest.mark.parametrize("raw", [None, 12345, 3.5, ["RSSMRA80A01F205X"], {"a": 1}, b"RSSMRA80A01F205X"])
def test_non_string_input_never_raises(raw):
    assert validate_cf(raw).valid is False


def test_compare_with_declared_no_warning_when_consistent():
    assert compare_with_declared(validate_cf(MARIO), date(1980, 1, 1), "m") == []
    assert compare_with_declared(validate_cf(MARIO), None, None) == []


def test_compare_with_declared_warns_on_date_and_sex():
    warnings = compare_with_declared(validate_cf(MARIO), date(1980, 1, 2), "F")
    assert warnings == [
        "La data di nascita indicata (02/01/1980) non corrisponde a quella del codice fiscale (01/01/1980).",
        "Il sesso indicato (femminile) non corrisponde a quello del codice fiscale (maschile).",
    ]


def test_compare_with_declared_ignores_invalid_code():
    assert compare_with_declared(validate_cf("RSSMRA80A01F205A"), date(2000, 1, 1), "F") == []


def test_encode_by_name_and_by_belfiore_code():
    assert encode_cf("Rossi", "Mario", "M", date(1980, 1, 1), "Milano") == MARIO
    assert encode_cf("Rossi", "Mario", "m", date(1980, 1, 1), "F205") == MARIO
    assert encode_cf("Bianchi", "Anna", "F", date(1985, 3, 15), "Roma") == ANNA


def test_encode_rejects_bad_sex():
    with pytest.raises(ValueError):
        encode_cf("Rossi", "Mario", "X", date(1980, 1, 1), "Milano")


def test_provisional_identifier_deterministic_from_sequence():
    # 7 in base 32 is "7", left-padded to six characters; 32 -> "10".
    assert provisional_identifier("demo", 7) == "PROV-DEMO-000007"
    assert provisional_identifier("demo", 32) == "PROV-DEMO-000010"
    assert provisional_identifier("cesano_boscone", 0) == "PROV-CESANOBOSCONE-000000"


def test_provisional_identifier_random_has_document_format_and_is_never_a_cf():
    rng = random.Random(42)
    for _ in range(200):
        ident = provisional_identifier("DEMO", rng)
        assert ident.startswith("PROV-DEMO-") and len(ident) == len("PROV-DEMO-7K3X9Q")
        assert is_provisional_identifier(ident)
        assert not validate_cf(ident).valid
        assert not any(ch in ident[10:] for ch in "ILOU")


def test_provisional_identifier_rejects_bad_input():
    with pytest.raises(ValueError):
        provisional_identifier("---", 1)
    with pytest.raises(ValueError):
        provisional_identifier("DEMO", -1)
    assert not is_provisional_identifier(MARIO)
