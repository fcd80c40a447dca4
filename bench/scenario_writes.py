"""The two writing scenarios: S1 answers intake questions, S4 saves case edits.

S1: each user has its own draft accesso (``fixtures.prepare``) open in the wizard and
answers the question on screen with a valid synthetic answer. When the flow reaches a
question the robot does not fill in (household members, codice fiscale, multichoice) or
the summary, it goes back to the "cognome" question from the transcript (an untimed
``edit_question``, as an operator correcting an answer) and answers that; the measured
action is always one ``submit_answer``/``choose`` to the update with the saved answer.

S4: users share "hot" case files (``HOT_USERS_PER_CASE`` users per case): each action
snapshots the summary (``start_edit``, untimed, the click on "Modifica") and saves a new
text (``save_edit``, measured). A refused save (the colleague saved first) is the correct
optimistic-lock outcome, counted as a conflict, not an error; the user's next action then
re-applies their text on the colleague's version (``reapply_mine``, measured). Every acknowledged
save is checked against the database afterwards (``fixtures.verify_edits``).
"""

from __future__ import annotations

import time

from bench.fixtures import HOT_USERS_PER_CASE
from bench.scenarios import CASE_FILE, WIZARD, RunContext, state_name
from bench.users import Outcome, SimUser, v

TEXT_ANSWERS = {"referrer_phone": "02 1234567", "referrer_name": "Servizio scolastico", "surname": "Prova",
                "name": "Bench", "birthplace": "Milano", "referrer_relation": "zia"}
#: choices that keep the robot on the short path (no codice fiscale, no ISEE figures)
PREFERRED = {"has_cf": "no", "isee_relevant": "no", "privacy_notice_given": "si", "who_comes": "persona"}
ANSWERABLE = {"text", "longtext", "date", "money", "choice", "yesno"}


def intake_page(user: SimUser, ctx: RunContext) -> tuple[str, dict[str, str]]:
    accesso = ctx.fixtures.accessi[user.index % len(ctx.fixtures.accessi)]
    return f"/sportello/accesso/{accesso}", {"accesso_id": str(accesso)}


def _answer(user: SimUser, wiz: str, n: int) -> tuple[str, dict] | None:
    kind, qid = user.get(wiz, "q_kind", ""), user.get(wiz, "q_id", "")
    if not qid or kind not in ANSWERABLE:
        return None
    if kind in ("choice", "yesno"):
        options = [o.get("value", "") for o in user.get(wiz, "q_options", []) or []]
        preferred = PREFERRED.get(qid)
        value = preferred if preferred in options else (options[0] if options else PREFERRED.get(qid, "no"))
        return "choose", {"value": value}
    if kind == "date":
        text = "12/03/2015" if qid == "birth_date" else "01/06/2026"
    elif kind == "money":
        text = "9500"
    elif kind == "longtext":
        text = f"Richiesta di informazioni sui servizi (prova di carico {n})."
    else:
        text = TEXT_ANSWERS.get(qid, f"Prova {n}")
    return "submit_answer", {"form_data": {"answer": text}}


async def answer_question(user: SimUser, ctx: RunContext, t0: float) -> Outcome:
    wiz = state_name(*WIZARD)
    n = user.scratch["intake_n"] = user.scratch.get("intake_n", 0) + 1
    step = _answer(user, wiz, n)
    if step is None:  # go back to an earlier text question (untimed navigation inside the wizard)
        ctx.bump("S1 edit_question")
        back = await user.request(f"{wiz}.edit_question", {"question_id": "surname"},
                                  lambda d, _u: v("q_id") in d.get(wiz, {}))
        if not back.ok:
            return back
        step = _answer(user, wiz, n)
        if step is None:
            return Outcome(False, 0.0, 0, "no answerable question")
    handler, payload = step
    before = user.get(wiz, "version", 0)

    def done(delta: dict, _u: SimUser) -> bool | str:
        values = delta.get(wiz, {})
        if values.get(v("error")):
            return "answer refused: " + str(values[v("error")])[:80]
        if v("version") in values:
            return True if values[v("version")] != before else "answer not saved"
        return False

    return await user.request(f"{wiz}.{handler}", payload, done, t0=t0)


def _hot_case(user: SimUser, ctx: RunContext) -> int:
    hot = ctx.fixtures.hot_cases
    return hot[(user.index // HOT_USERS_PER_CASE) % len(hot)]


def edit_page(user: SimUser, ctx: RunContext) -> tuple[str, dict[str, str]]:
    case_id = _hot_case(user, ctx)
    return f"/casi/{case_id}", {"case_id": str(case_id)}


async def save_edit(user: SimUser, ctx: RunContext, t0: float) -> Outcome:
    """One save: after a refused save (conflict panel shown) the user re-applies their text
    on top of the colleague's version (``reapply_mine``); otherwise "Modifica" (``start_edit``,
    untimed) then ``save_edit``. Latency = the save's round trip plus any time the action
    waited behind the user's previous one (open loop)."""
    cf = state_name(*CASE_FILE)
    case_id = _hot_case(user, ctx)
    late_ms = max(0.0, time.perf_counter() - t0) * 1000.0
    n = user.scratch["edit_n"] = user.scratch.get("edit_n", 0) + 1
    if user.get(cf, "conflict_kind") == "summary":
        pending = [t for t in ctx.attempted.get(case_id, []) if f"utente {user.index} " in t]
        text = pending[-1] if pending else ""
        handler, payload = "reapply_mine", {}
        ctx.bump("S4 reapply")
    else:
        snap = await user.request(f"{cf}.start_edit", {"kind": "summary", "record_id": str(case_id)},
                                  lambda d, _u: v("edit_summary") in d.get(cf, {}))
        if not snap.ok:
            snap.latency_ms += late_ms
            return snap
        text = f"Sintesi aggiornata {ctx.run_tag} utente {user.index} modifica {n}."
        handler, payload = "save_edit", {"kind": "summary", "form_data": {"summary": text}}
        ctx.attempted.setdefault(case_id, []).append(text)

    def done(delta: dict, _u: SimUser) -> bool | str:
        values = delta.get(cf, {})
        if values.get(v("conflict_kind")) == "summary":
            return True
        if values.get(v("message")) == "Modifica salvata.":
            return True
        if values.get(v("errors")):
            return "edit refused: " + ",".join(sorted(values[v("errors")]))[:80]
        return False

    outcome = await user.request(f"{cf}.{handler}", payload, done)
    outcome.latency_ms += late_ms
    if outcome.ok:
        if user.get(cf, "conflict_kind") == "summary":
            ctx.bump("S4 conflicts")
        else:
            ctx.bump("S4 saved")
            ctx.saved.setdefault(case_id, []).append(text)
    return outcome
