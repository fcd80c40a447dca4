"""The decree form's payload: flat form fields <-> the service's measure dict."""

from __future__ import annotations

from typing import Any

MODES = {"nuovo": "Nuovo provvedimento", "rettifica": "Rettifica del provvedimento",
         "modifica": "Decreto di modifica", "proroga": "Decreto di proroga"}
DEADLINE_ROWS = 4
MEASURE_FIELDS = ("measure_type", "court", "docket_number", "issued_on", "notified_on", "effective_at", "tasks",
                  "report_period_months", "end_date", "next_hearing")


def decree_payload(form: dict[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {k: form.get(k, "") for k in MEASURE_FIELDS}
    rows = []
    for i in range(DEADLINE_ROWS):
        row = {"kind": form.get(f"dd_kind_{i}", ""), "title": form.get(f"dd_title_{i}", ""), "due": form.get(f"dd_due_{i}", "")}
        if any(v.strip() for v in row.values()):
            rows.append(row)
    payload["decree_deadlines"] = rows
    return payload


def form_defaults(values: dict[str, Any]) -> dict[str, str]:
    out = {k: str(values.get(k, "") or "") for k in MEASURE_FIELDS}
    for i, row in enumerate(list(values.get("decree_deadlines") or [])[:DEADLINE_ROWS]):
        out.update({f"dd_kind_{i}": row.get("kind", ""), f"dd_title_{i}": row.get("title", ""), f"dd_due_{i}": row.get("due", "")})
    return out

__all__ = ["DEADLINE_ROWS", "MEASURE_FIELDS", "MODES", "decree_payload", "form_defaults"]
