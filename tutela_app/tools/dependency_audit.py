# ruff: noqa: T201 (a command-line tool: it reports on stdout)
"""Known-vulnerability audit of Tutela's dependencies (``make audit``; CI runs it).

* Python: ``pip-audit -r requirements.lock`` (the pinned tree that is deployed).
* Node: ``npm audit --omit=dev --json`` in every directory with a ``package-lock.json``
  that Tutela ships or runs (the dev OpenID provider, the e2e helpers).

Exit 1 on any unhandled finding of severity high or critical. pip-audit's advisory
service gives no severity, so every Python finding counts as high until it is handled.
A finding is handled by an entry in ``deploy/audit-allowlist.toml`` with its advisory id,
a reason and a ``review_by`` date; an expired entry no longer handles anything.
When the advisory data cannot be reached (offline, proxy refusing the audit endpoint)
the audit says so plainly and exits 0: it cannot prove anything either way.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tutela_app.settings import PROJECT_ROOT

ALLOWLIST = PROJECT_ROOT / "deploy" / "audit-allowlist.toml"
NPM_DIRS = (PROJECT_ROOT / "devtools" / "oidc", PROJECT_ROOT / "tests" / "e2e" / "js")
BLOCKING = {"high", "critical"}
NETWORK_MARKERS = (
    "ConnectionError", "NameResolutionError", "Max retries exceeded", "Name or service not known",
    "Temporary failure in name resolution", "ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET",
    "ETIMEDOUT", "network", "audit endpoint returned an error", "Method Not Allowed", "getaddrinfo",
)


@dataclass(frozen=True)
class Finding:
    ecosystem: str
    package: str
    advisory_ids: tuple[str, ...]
    severity: str
    fix: str = ""


@dataclass
class Report:
    findings: list[Finding]
    unreachable: list[str]  # sources whose advisory data could not be fetched
    notes: list[str]


def load_allowlist(path: Path = ALLOWLIST, today: date | None = None) -> tuple[set[str], list[str]]:
    """Advisory ids handled today, and notes on expired or malformed entries."""
    today = today or date.today()
    if not path.exists():
        return set(), []
    data = tomllib.loads(path.read_text())
    handled: set[str] = set()
    notes: list[str] = []
    for entry in data.get("ignore", []):
        ident, reason, review = entry.get("id"), entry.get("reason"), entry.get("review_by")
        if not ident or not reason or not review:
            notes.append(f"allowlist: incomplete entry ignored (id, reason and review_by are required): {ident!r}")
            continue
        if date.fromisoformat(str(review)) < today:
            notes.append(f"allowlist: {ident} expired on {review}: review it")
            continue
        handled.add(ident)
    return handled, notes


def parse_pip_audit(payload: dict) -> tuple[list[Finding], bool]:
    """Findings, and whether the advisory data was actually reached."""
    deps = payload.get("dependencies", [])
    findings = [
        Finding("pypi", dep["name"], tuple([v["id"], *v.get("aliases", [])]), "high", ", ".join(v.get("fix_versions", [])))
        for dep in deps for v in dep.get("vulns", [])
    ]
    audited = [d for d in deps if "skip_reason" not in d]
    return findings, bool(audited) or not deps


def parse_npm_audit(payload: dict, where: str) -> tuple[list[Finding], bool]:
    if "vulnerabilities" not in payload:
        return [], False
    findings = []
    for name, vuln in payload["vulnerabilities"].items():
        ids = tuple(sorted({
            str(v.get("url", "")).rsplit("/", 1)[-1] or str(v.get("source"))
            for v in vuln.get("via", []) if isinstance(v, dict)
        }))
        fix = vuln.get("fixAvailable")
        findings.append(Finding(f"npm:{where}", name, ids or (name,), vuln.get("severity", "high"), "yes" if fix else ""))
    return findings, True


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603


def audit_python() -> tuple[list[Finding], bool, str]:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    proc = _run([str(pip_audit), "-r", "requirements.lock", "--no-deps", "--disable-pip",
                 "--format", "json", "--progress-spinner", "off"], PROJECT_ROOT)
    try:
        payload = json.loads(proc.stdout)
    except json.JSONDecodeError:
        offline = any(m in proc.stderr for m in NETWORK_MARKERS)
        if offline:
            return [], False, "pip-audit: advisory service unreachable"
        raise RuntimeError(f"pip-audit failed: {proc.stderr.strip()[-800:]}") from None
    findings, reached = parse_pip_audit(payload)
    return findings, reached, "" if reached else "pip-audit: no package could be checked (PyPI advisory index unreachable)"


def audit_npm(directory: Path) -> tuple[list[Finding], bool, str]:
    npm = Path(sys.executable).with_name("npm")
    proc = _run([str(npm) if npm.exists() else "npm", "audit", "--omit=dev", "--json"], directory)
    where = directory.relative_to(PROJECT_ROOT).as_posix()
    try:
        payload = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        payload = {}
    findings, reached = parse_npm_audit(payload, where)
    if not reached:
        detail = str(payload.get("message") or proc.stderr.strip().splitlines()[-1:] or "errore sconosciuto")
        if not any(m in detail + proc.stderr for m in NETWORK_MARKERS):
            raise RuntimeError(f"npm audit failed in {where}: {detail[:400]}")
        return [], False, f"npm audit ({where}): npm advisory data unreachable ({detail[:160]})"
    return findings, True, ""


def run_audit() -> Report:
    report = Report([], [], [])
    sources = [audit_python] + [lambda d=d: audit_npm(d) for d in NPM_DIRS if (d / "package-lock.json").exists()]
    for source in sources:
        findings, reached, message = source()
        report.findings.extend(findings)
        if not reached:
            report.unreachable.append(message)
    return report


def blocking(findings: list[Finding], handled: set[str]) -> list[Finding]:
    return [f for f in findings if f.severity in BLOCKING and not set(f.advisory_ids) & handled]


def main() -> int:
    handled, notes = load_allowlist()
    report = run_audit()
    for note in notes:
        print(f"WARNING {note}")
    for finding in report.findings:
        state = "handled" if set(finding.advisory_ids) & handled else finding.severity.upper()
        print(f"[{state}] {finding.ecosystem} {finding.package} {' '.join(finding.advisory_ids)}"
              + (f" (fix: {finding.fix})" if finding.fix else ""))
    for message in report.unreachable:
        print(f"NOT VERIFIED: {message}. The audit says nothing about these dependencies: "
              "run it again with access to the advisory data.")
    bad = blocking(report.findings, handled)
    if bad:
        print(f"AUDIT FAILED: {len(bad)} unhandled high/critical vulnerabilities "
              f"(fix them or justify them in {ALLOWLIST.relative_to(PROJECT_ROOT)}).")
        return 1
    if report.unreachable and not report.findings:
        print("Audit not performed: no advisory data reachable (not counted as a failure).")
    else:
        print("Dependency audit: no unhandled high or critical vulnerability.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
