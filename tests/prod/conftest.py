"""Production-mode tests share the session's production server (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible, browser_type_launch_args, context, login, page  # noqa: F401
from tests.support.prod_server import WORKERS  # noqa: F401


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/prod/" in str(item.fspath):
            item.add_marker(pytest.mark.prod)


@pytest.fixture(scope="session")
def prod_app(production_server):  # noqa: ANN001, ANN201
    return production_server
