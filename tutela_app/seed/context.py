"""Shared state of one seeding run: randomness, clock, writer, tenants and staff pools."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from faker import Faker

from tutela_app.seed.config import Scale, TenantSpec
from tutela_app.seed.writer import BulkWriter

ROME = ZoneInfo("Europe/Rome")


def at(d: date, hour: int = 10, minute: int = 0) -> datetime:
    """A tz-aware UTC datetime for a local (Europe/Rome) time of day."""
    return datetime.combine(d, time(hour, minute), tzinfo=ROME).astimezone(UTC)


@dataclass
class TenantInfo:
    id: int
    spec: TenantSpec
    staff: dict[str, list[int]] = field(default_factory=dict)  # profession/role -> staff ids
    demo_staff: dict[str, int] = field(default_factory=dict)  # login username -> staff id


@dataclass
class Ctx:
    rng: random.Random
    fake: Faker
    today: date
    scale: Scale
    writer: BulkWriter
    tenants: dict[str, TenantInfo] = field(default_factory=dict)
    staff_profession: dict[int, str | None] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.writer.now

    def days_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    def between(self, start: date, end: date) -> date:
        """A random day in [start, end] (start when the range is empty)."""
        span = (end - start).days
        return start if span <= 0 else start + timedelta(days=self.rng.randint(0, span))

    def ts(self, d: date) -> datetime:
        """A plausible office-hours moment on day ``d``."""
        return at(d, self.rng.randint(8, 17), self.rng.randrange(0, 60, 5))

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq, weights=None):  # noqa: ANN001, ANN201
        if weights is None:
            return self.rng.choice(seq)
        return self.rng.choices(seq, weights=weights, k=1)[0]
