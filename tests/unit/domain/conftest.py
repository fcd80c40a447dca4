"""Fixtures for the domain tests (pure Python, no database)."""

import pytest

from tests.unit.domain.intake_helpers import SERVED
from tutela_app.domain.intake_flow import Flow, load_flow, with_served_comuni


@pytest.fixture(scope="session")
def base_flow() -> Flow:
    return load_flow()


@pytest.fixture(scope="session")
def flow(base_flow: Flow) -> Flow:
    return with_served_comuni(base_flow, SERVED)
