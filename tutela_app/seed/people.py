"""Synthetic persons (valid codici fiscali or provisional ids) and households."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from codicefiscale import codicefiscale as cf

from tutela_app.seed.config import FOREIGN_PLACES, ITALIAN_PLACES
from tutela_app.seed.context import Ctx

PROV_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # as tutela_app.domain.codice_fiscale


def birth_for_age(ctx: Ctx, lo: int, hi: int, ref: date | None = None) -> date:
    """A birth date giving an age in [lo, hi] completed years on ``ref`` (default today)."""
    ref = ref or ctx.today
    oldest = date(ref.year - hi - 1, ref.month, min(ref.day, 28)) + timedelta(days=1)
    youngest = date(ref.year - lo, ref.month, min(ref.day, 28))
    return ctx.between(oldest, min(youngest, ctx.today))


class People:
    """Creates Person, Household and HouseholdMember rows for one run."""

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        fake = ctx.fake
        self.male = sorted({fake.first_name_male() for _ in range(600)})
        self.female = sorted({fake.first_name_female() for _ in range(600)})
        self.surnames = sorted({fake.last_name() for _ in range(1500)})
        self.streets = sorted({fake.street_name() for _ in range(400)})
        self.place_codes = {p: cf.encode_birthplace(p) for p in ITALIAN_PLACES}
        self.place_codes.update({p: cf.encode_birthplace(p) for p, _ in FOREIGN_PLACES})
        self.cfs: dict[int, set[str]] = {}
        self.provs: set[str] = set()

    # -- identity -------------------------------------------------------------------------
    def codice_fiscale(self, tenant_id: int, surname: str, given: str, sex: str, birth: date, place: str) -> str:
        taken = self.cfs.setdefault(tenant_id, set())
        head = cf.encode_lastname(surname) + cf.encode_firstname(given)
        while True:
            body = head + cf.encode_birthdate(datetime(birth.year, birth.month, birth.day), sex)  # type: ignore[arg-type]
            body += self.place_codes[place]
            code = body + cf.encode_cin(body)
            if code not in taken:
                taken.add(code)
                return code
            birth -= timedelta(days=1)  # astronomically rare: a homonym born the same day

    def provisional_id(self, tenant_code: str) -> str:
        part = re.sub(r"[^A-Z0-9]", "", tenant_code.upper())
        while True:
            value = f"PROV-{part}-" + "".join(self.ctx.rng.choice(PROV_ALPHABET) for _ in range(6))
            if value not in self.provs:
                self.provs.add(value)
                return value

    def address(self, tenant_code: str) -> str:
        place = self.ctx.tenants[tenant_code].spec.place
        return f"Via {self.ctx.rng.choice(self.streets)} {self.ctx.rng.randint(1, 160)}, {place}"

    # -- persons ----------------------------------------------------------------------------
    def person(
        self, tenant_code: str, birth: date, *, sex: str | None = None, surname: str | None = None,
        foreign: bool | None = None, address: str | None = None, created: date | None = None,
    ) -> dict:
        ctx = self.ctx
        rng = ctx.rng
        tenant = ctx.tenants[tenant_code]
        sex = sex or rng.choice("MF")
        given = rng.choice(self.male if sex == "M" else self.female)
        surname = surname or rng.choice(self.surnames)
        if foreign is None:
            foreign = ctx.chance(0.15)
        if foreign:
            place, citizenship = rng.choice(FOREIGN_PLACES)
        else:
            place, citizenship = rng.choice(ITALIAN_PLACES), "Italiana"
        provisional = foreign and ctx.chance(0.12)
        row = {
            "tenant_id": tenant.id,
            "codice_fiscale": None if provisional else self.codice_fiscale(tenant.id, surname, given, sex, birth, place),
            "provisional_id": self.provisional_id(tenant_code) if provisional else None,
            "surname": surname, "given_name": given, "sex": sex, "birth_date": birth,
            "birthplace": place, "citizenship": citizenship,
            "residence_tenant_code": tenant_code if ctx.chance(0.97) else None,
            "address": address or self.address(tenant_code),
            "phone": f"3{rng.randint(20, 49)} {rng.randint(1_000_000, 9_999_999)}" if birth.year < ctx.today.year - 14 else None,
        }
        ts = ctx.ts(created or ctx.today)
        ctx.writer.add("person", row, ts)
        return row

    def household(self, tenant_code: str, label: str, address: str, created: date) -> int:
        ctx = self.ctx
        return ctx.writer.add("household", {
            "tenant_id": ctx.tenants[tenant_code].id, "label": label, "address": address,
        }, ctx.ts(created))

    def member(self, household_id: int, person: dict, relationship: str, since: date, reference: bool = False) -> None:
        self.ctx.writer.add("householdmember", {
            "household_id": household_id, "person_id": person["id"], "relationship": relationship,
            "is_reference_person": reference, "since": since, "until": None,
        })

    # -- families -----------------------------------------------------------------------------
    def family_of_minor(self, tenant_code: str, child_birth: date, created: date) -> tuple[int, dict, list[tuple[dict, str]]]:
        """A household around a minor: mother, often father, siblings, sometimes a grandparent."""
        ctx = self.ctx
        rng = ctx.rng
        surname = rng.choice(self.surnames)
        foreign = ctx.chance(0.2)
        address = self.address(tenant_code)
        since = created - timedelta(days=rng.randint(200, 3000))
        hh = self.household(tenant_code, f"Nucleo {surname}", address, created)
        mother_age = rng.randint(19, 42)
        mother = self.person(tenant_code, child_birth - timedelta(days=365 * mother_age + rng.randint(0, 364)),
                             sex="F", surname=rng.choice(self.surnames), foreign=foreign, address=address,
                             created=created)
        self.member(hh, mother, "madre", since, reference=True)
        members = [(mother, "madre")]
        if ctx.chance(0.65):
            father = self.person(tenant_code, mother["birth_date"] - timedelta(days=rng.randint(-700, 3000)),
                                 sex="M", surname=surname, foreign=foreign, address=address, created=created)
            self.member(hh, father, "padre", since)
            members.append((father, "padre"))
        child = self.person(tenant_code, child_birth, surname=surname, foreign=foreign and ctx.chance(0.4),
                            address=address, created=created)
        self.member(hh, child, "figlio/a", since)
        members.append((child, "figlio/a"))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            birth = child_birth + timedelta(days=rng.randint(-2500, 2500))
            if birth < ctx.today and birth > mother["birth_date"] + timedelta(days=365 * 17):
                sib = self.person(tenant_code, birth, surname=surname, foreign=False, address=address, created=created)
                self.member(hh, sib, "figlio/a", since)
                members.append((sib, "figlio/a"))
        if ctx.chance(0.15):
            nonno = self.person(tenant_code, mother["birth_date"] - timedelta(days=rng.randint(8000, 11000)),
                                foreign=foreign, address=address, created=created)
            self.member(hh, nonno, "nonno/a", since)
            members.append((nonno, "nonno/a"))
        return hh, child, members

    def adult_household(self, tenant_code: str, birth: date, created: date) -> tuple[int | None, dict, list[tuple[dict, str]]]:
        """An adult, alone or with partner and children."""
        ctx = self.ctx
        rng = ctx.rng
        address = self.address(tenant_code)
        adult = self.person(tenant_code, birth, address=address, created=created)
        if ctx.chance(0.3):
            return None, adult, [(adult, "richiedente")]
        since = created - timedelta(days=rng.randint(100, 5000))
        hh = self.household(tenant_code, f"Nucleo {adult['surname']}", address, created)
        self.member(hh, adult, "richiedente", since, reference=True)
        members = [(adult, "richiedente")]
        if ctx.chance(0.5):
            partner = self.person(tenant_code, birth + timedelta(days=rng.randint(-2000, 2000)),
                                  sex="F" if adult["sex"] == "M" else "M", address=address, created=created)
            self.member(hh, partner, "coniuge", since)
            members.append((partner, "coniuge"))
        age = (ctx.today - birth).days // 365
        for _ in range(rng.choice((0, 1, 2)) if 22 < age < 60 else 0):
            child_age = rng.randint(0, min(17, age - 19))
            kid = self.person(tenant_code, birth_for_age(ctx, child_age, child_age),
                              surname=adult["surname"], address=address, created=created)
            self.member(hh, kid, "figlio/a", since)
            members.append((kid, "figlio/a"))
        return hh, adult, members
