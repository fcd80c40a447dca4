"""Validation of the household-members answer (kind ``members``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .codice_fiscale import compare_with_declared, validate_cf
from .intake_values import parse_date

MAX_MEMBERS = 30
MAX_NAME = 80
RELATIONS: dict[str, str] = {
    "coniuge": "Coniuge o partner",
    "figlio": "Figlio/a",
    "genitore": "Genitore",
    "fratello": "Fratello/sorella",
    "nonno": "Nonno/a",
    "altro_parente": "Altro parente",
    "altro": "Altra persona convivente",
}
SEXES = ("M", "F")

MemberResult = tuple[dict[str, Any] | None, str | None, list[str]]


def _name(raw: Any, label: str) -> tuple[str | None, str | None]:
    if not isinstance(raw, str) or not raw.strip():
        return None, f"manca il {label}."
    if len(raw.strip()) > MAX_NAME:
        return None, f"il {label} è troppo lungo (al massimo {MAX_NAME} caratteri)."
    return raw.strip(), None


def _validate_member(raw: Any, today: date) -> MemberResult:
    if not isinstance(raw, dict):
        return None, "dati non validi.", []
    nome, err = _name(raw.get("nome"), "nome")
    if err:
        return None, err, []
    cognome, err = _name(raw.get("cognome"), "cognome")
    if err:
        return None, err, []
    birth = parse_date(raw.get("data_nascita"))
    if birth is None:
        return None, "data di nascita mancante o non valida (usa gg/mm/aaaa).", []
    if birth > today or birth.year < 1900:
        return None, "la data di nascita non è plausibile.", []
    sesso = raw.get("sesso")
    if sesso not in SEXES:
        return None, "indica il sesso (F o M).", []
    relazione = raw.get("relazione")
    if relazione not in RELATIONS:
        return None, "scegli la relazione con la persona tra quelle proposte.", []
    member = {
        "nome": nome,
        "cognome": cognome,
        "data_nascita": birth.isoformat(),
        "sesso": sesso,
        "relazione": relazione,
        "codice_fiscale": None,
    }
    warnings: list[str] = []
    cf_raw = raw.get("codice_fiscale")
    if isinstance(cf_raw, str) and cf_raw.strip():
        check = validate_cf(cf_raw, today)
        if not check.valid:
            return None, f"codice fiscale non valido. {check.error}", []
        member["codice_fiscale"] = check.normalized
        warnings = compare_with_declared(check, birth, sesso)
    elif cf_raw not in (None, ""):
        return None, "codice fiscale non valido.", []
    return member, None, warnings


def validate_members(raw: Any, today: date) -> tuple[list[dict[str, Any]] | None, str | None, list[str]]:
    """(normalised members, Italian error, warnings). Errors name the member's position."""
    if not isinstance(raw, list):
        return None, "Elenco dei componenti non valido.", []
    if len(raw) > MAX_MEMBERS:
        return None, f"Si possono indicare al massimo {MAX_MEMBERS} componenti.", []
    members: list[dict[str, Any]] = []
    warnings: list[str] = []
    for i, item in enumerate(raw, start=1):
        member, error, member_warnings = _validate_member(item, today)
        if error or member is None:
            return None, f"Componente n. {i}: {error}", []
        members.append(member)
        warnings += [f"Componente n. {i}: {w}" for w in member_warnings]
    return members, None, warnings
