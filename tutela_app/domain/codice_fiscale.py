"""Codice fiscale helpers: a thin, never-raising layer over ``python-codicefiscale``.

Validation is staged so the citizen-facing error (in Italian) says *what* is wrong:
length, characters, structure, check character, encoded date, birthplace code.
Omocodia variants (digits replaced by letters L..V) are valid codes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from codicefiscale import codicefiscale as _cf

Sex = Literal["M", "F"]

CF_LENGTH = 16
_ALNUM_RE = re.compile(r"^[A-Z0-9]+$")
# Positions that omocodia may turn from digit to letter.
_OMOCODIA_POSITIONS = (6, 7, 9, 10, 12, 13, 14)
_OMOCODIA_LETTERS = "LMNPQRSTUV"

MSG_EMPTY = "Inserisci il codice fiscale."
MSG_LENGTH = "Il codice fiscale deve avere 16 caratteri."
MSG_CHARS = "Il codice fiscale può contenere solo lettere e cifre."
MSG_STRUCTURE = (
    "Il formato del codice fiscale non è valido (controlla lettere e cifre nelle varie posizioni)."
)
MSG_CHECK = "Carattere di controllo errato."
MSG_DATE = "La data di nascita contenuta nel codice fiscale non esiste."
MSG_PLACE = "Il codice del luogo di nascita contenuto nel codice fiscale non è riconosciuto."
MSG_FUTURE = "La data di nascita contenuta nel codice fiscale è nel futuro."

# Crockford base32: no I, L, O, U (easy to read aloud, never confused with 1/0).
_PROV_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_PROV_LENGTH = 6
PROVISIONAL_PREFIX = "PROV"


@dataclass(frozen=True)
class CFCheck:
    """Outcome of validating a codice fiscale."""

    valid: bool
    error: str | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    birthplace_name: str | None = None
    birthplace_code: str | None = None
    omocode: bool = False
    normalized: str = ""


def normalize_cf(raw: str) -> str:
    """Strip, upper-case and remove all whitespace."""
    if not isinstance(raw, str):
        return ""
    return "".join(raw.split()).upper()


def _structural_error(code: str) -> str | None:
    if not code:
        return MSG_EMPTY
    if len(code) != CF_LENGTH:
        return MSG_LENGTH
    if not _ALNUM_RE.match(code):
        return MSG_CHARS
    if not _cf.CODICEFISCALE_RE.match(code):
        return MSG_STRUCTURE
    if _cf.encode_cin(code) != code[15]:
        return MSG_CHECK
    return None


def _is_omocode(code: str) -> bool:
    return any(code[i] in _OMOCODIA_LETTERS for i in _OMOCODIA_POSITIONS)


def _decode_error(message: str) -> str:
    if "birthplace" in message:
        return MSG_PLACE
    return MSG_DATE


def validate_cf(raw: object, today: date | None = None) -> CFCheck:
    """Validate and decode a codice fiscale; never raises."""
    code = normalize_cf(raw) if isinstance(raw, str) else ""
    if len(code) > 64:
        return CFCheck(valid=False, error=MSG_LENGTH)
    error = _structural_error(code)
    if error:
        return CFCheck(valid=False, error=error, normalized=code)
    try:
        data = _cf.decode(code)
    except Exception as exc:  # library raises ValueError; be defensive anyway
        return CFCheck(valid=False, error=_decode_error(str(exc)), normalized=code)
    birth = data["birthdate"].date() if isinstance(data["birthdate"], datetime) else None
    if birth and birth > (today or date.today()):
        return CFCheck(valid=False, error=MSG_FUTURE, normalized=code)
    place = data.get("birthplace") or {}
    return CFCheck(
        valid=True,
        normalized=code,
        birth_date=birth,
        sex=data["gender"],
        birthplace_name=place.get("name"),
        birthplace_code=place.get("code"),
        omocode=_is_omocode(code),
    )


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def compare_with_declared(check: CFCheck, birth_date: date | None, sex: str | None) -> list[str]:
    """Italian warnings when the declared birth date / sex disagree with the code."""
    if not check.valid:
        return []
    warnings: list[str] = []
    if birth_date is not None and check.birth_date is not None and birth_date != check.birth_date:
        warnings.append(
            f"La data di nascita indicata ({_fmt(birth_date)}) non corrisponde a quella "
            f"del codice fiscale ({_fmt(check.birth_date)})."
        )
    declared_sex = sex.strip().upper() if isinstance(sex, str) else None
    if declared_sex in ("M", "F") and check.sex and declared_sex != check.sex:
        label = {"M": "maschile", "F": "femminile"}
        warnings.append(
            f"Il sesso indicato ({label[declared_sex]}) non corrisponde a quello "
            f"del codice fiscale ({label[check.sex]})."
        )
    return warnings


def encode_cf(surname: str, name: str, sex: str, birth_date: date, birthplace: str) -> str:
    """Compute the codice fiscale (for synthetic data). Raises ValueError on bad input."""
    if sex.upper() not in ("M", "F"):
        raise ValueError("sex must be 'M' or 'F'")
    return _cf.encode(surname, name, sex.upper(), birth_date.isoformat(), birthplace)  # type: ignore[arg-type]


def _tenant_part(tenant_code: str) -> str:
    cleaned = re.sub(r"[^A-Z0-9]", "", tenant_code.upper())
    if not cleaned:
        raise ValueError("tenant_code must contain letters or digits")
    return cleaned


def _encode_seq(seq: int) -> str:
    if seq < 0 or seq >= len(_PROV_ALPHABET) ** _PROV_LENGTH:
        raise ValueError("sequence out of range")
    chars = []
    for _ in range(_PROV_LENGTH):
        seq, rem = divmod(seq, len(_PROV_ALPHABET))
        chars.append(_PROV_ALPHABET[rem])
    return "".join(reversed(chars))


def provisional_identifier(tenant_code: str, seq_or_random: int | random.Random | None = None) -> str:
    """Provisional identifier for people without a codice fiscale, e.g. ``PROV-DEMO-7K3X9Q``.

    An ``int`` gives a deterministic identifier (sequence encoded in base 32),
    a ``random.Random`` (or None: system randomness) a random one. The hyphens and the
    ``PROV`` prefix guarantee it can never pass as a valid codice fiscale.
    """
    if isinstance(seq_or_random, bool):
        raise ValueError("sequence must be an int")
    if isinstance(seq_or_random, int):
        suffix = _encode_seq(seq_or_random)
    else:
        rng = seq_or_random or random.SystemRandom()
        suffix = "".join(rng.choice(_PROV_ALPHABET) for _ in range(_PROV_LENGTH))
    return f"{PROVISIONAL_PREFIX}-{_tenant_part(tenant_code)}-{suffix}"


_PROV_RE = re.compile(rf"^{PROVISIONAL_PREFIX}-[A-Z0-9]+-[{_PROV_ALPHABET}]{{{_PROV_LENGTH}}}$")


def is_provisional_identifier(value: str) -> bool:
    """True when ``value`` has the provisional identifier format."""
    return isinstance(value, str) and bool(_PROV_RE.match(value))
