"""CLI: ``python -m tutela_app.seed [--scale demo|large] [--if-empty] [--seed N] [--today YYYY-MM-DD]``."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from tutela_app.db import get_engine
from tutela_app.seed.config import SCALES
from tutela_app.seed.runner import seed_database, tenant_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tutela_app.seed", description="Dati dimostrativi sintetici.")
    parser.add_argument("--scale", choices=list(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--if-empty", action="store_true", help="non fare nulla se il database contiene già dati")
    parser.add_argument("--force", action="store_true", help="(non supportato) seminare un database non vuoto")
    parser.add_argument("--today", type=date.fromisoformat, default=None, help="data di riferimento (test)")
    args = parser.parse_args(argv)
    engine = get_engine()
    if tenant_count(engine):
        if args.if_empty:
            print("Il database contiene già dei dati: seed non necessario, nessuna modifica.")  # noqa: T201
            return 0
        refusal = ("Il database non è vuoto (tabella tenant con righe): seed rifiutato. "
                   "Usa un database nuovo (alembic upgrade head) oppure --if-empty.")
        print(refusal, file=sys.stderr)  # noqa: T201
        if args.force:
            print("--force non è supportato: svuota o ricrea il database.", file=sys.stderr)  # noqa: T201
        return 2
    report = seed_database(engine, scale=args.scale, seed=args.seed, today=args.today)
    print("\n".join(report.lines()))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
