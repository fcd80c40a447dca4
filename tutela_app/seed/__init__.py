"""Synthetic demo data for Tutela (``python -m tutela_app.seed``). Every person is fictional."""

from tutela_app.seed.config import SCALES, SYNTHETIC_ISSUER, TENANTS
from tutela_app.seed.runner import DatabaseNotEmptyError, SeedReport, seed_database, tenant_count

__all__ = ["SCALES", "SYNTHETIC_ISSUER", "TENANTS", "DatabaseNotEmptyError", "SeedReport", "seed_database",
           "tenant_count"]
