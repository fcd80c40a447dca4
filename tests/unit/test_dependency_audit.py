"""The audit's decisions: which findings block, what the allowlist handles, what 'offline' is.

Payloads are the JSON shapes pip-audit 2.x and npm 10 print (captured, trimmed).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tutela_app.tools import dependency_audit as da

PIP_WITH_VULN = {"dependencies": [
    {"name": "jinja2", "version": "3.1.2", "vulns": [
        {"id": "PYSEC-2024-1", "fix_versions": ["3.1.3"], "aliases": ["GHSA-h5c8-rqwp-cp95"], "description": "x"}]},
    {"name": "httpx", "version": "0.28.1", "vulns": []},
]}
PIP_OFFLINE = {"dependencies": [
    {"name": "alembic", "skip_reason": "Dependency not found on PyPI and could not be audited: alembic (1.20.1)"},
]}
NPM_WITH_VULNS = {"auditReportVersion": 2, "vulnerabilities": {
    "jose": {"name": "jose", "severity": "critical", "fixAvailable": True,
             "via": [{"source": 1, "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc"}]},
    "debug": {"name": "debug", "severity": "low", "fixAvailable": False,
              "via": [{"source": 2, "url": "https://github.com/advisories/GHSA-low-low-low"}]},
}}
NPM_405 = {"message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
           "statusCode": 405}


def test_python_findings_block_unless_handled() -> None:
    findings, reached = da.parse_pip_audit(PIP_WITH_VULN)
    assert reached and len(findings) == 1
    assert da.blocking(findings, set()) == findings
    assert da.blocking(findings, {"GHSA-h5c8-rqwp-cp95"}) == []


def test_all_skipped_means_the_advisory_data_was_not_reached() -> None:
    findings, reached = da.parse_pip_audit(PIP_OFFLINE)
    assert findings == [] and reached is False


def test_npm_high_and_critical_block_low_does_not() -> None:
    findings, reached = da.parse_npm_audit(NPM_WITH_VULNS, "devtools/oidc")
    assert reached
    bad = da.blocking(findings, set())
    assert [f.package for f in bad] == ["jose"]
    assert da.blocking(findings, {"GHSA-aaaa-bbbb-cccc"}) == []


def test_npm_error_payload_is_unreachable_not_clean() -> None:
    findings, reached = da.parse_npm_audit(NPM_405, "tests/e2e/js")
    assert findings == [] and reached is False
    assert any(m in NPM_405["message"] for m in da.NETWORK_MARKERS)


def test_allowlist_needs_reason_and_expires(tmp_path: Path) -> None:
    path = tmp_path / "allow.toml"
    path.write_text(
        '[[ignore]]\nid = "GHSA-ok"\nreason = "not reachable"\nreview_by = 2030-01-01\n'
        '[[ignore]]\nid = "GHSA-old"\nreason = "was fine"\nreview_by = 2020-01-01\n'
        '[[ignore]]\nid = "GHSA-noreason"\nreview_by = 2030-01-01\n'
    )
    handled, notes = da.load_allowlist(path, today=date(2026, 6, 1))
    assert handled == {"GHSA-ok"}
    assert any("GHSA-old" in n for n in notes) and any("GHSA-noreason" in n for n in notes)


def test_shipped_allowlist_parses() -> None:
    handled, notes = da.load_allowlist()
    assert notes == []
    assert isinstance(handled, set)
