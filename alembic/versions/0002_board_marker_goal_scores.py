"""board live-marker index; baseline and latest review score kept on goal

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 02:20:00

* ``ix_case_changed`` (tenant_id, service, updated_at): the board's live marker (count and
  latest ``updated_at`` per Comune) is read from the index alone.
* ``goal.baseline_score`` / ``latest_score`` / ``latest_on`` (+ ``ix_goal_attainment``):
  goal attainment by intervention type becomes one GROUP BY over goals instead of two
  correlated evaluation lookups per goal. Existing rows are filled from ``evaluation``.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BACKFILL = """
UPDATE goal SET
  baseline_score = (SELECT e.score FROM evaluation e WHERE e.goal_id = goal.id AND e.is_baseline
                    ORDER BY e.evaluated_on, e.id LIMIT 1),
  latest_score = (SELECT e.score FROM evaluation e WHERE e.goal_id = goal.id AND NOT e.is_baseline
                  ORDER BY e.evaluated_on DESC, e.id DESC LIMIT 1),
  latest_on = (SELECT e.evaluated_on FROM evaluation e WHERE e.goal_id = goal.id AND NOT e.is_baseline
               ORDER BY e.evaluated_on DESC, e.id DESC LIMIT 1)
"""


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index("ix_case_changed", ["tenant_id", "service", "updated_at"], unique=False)
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("baseline_score", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("latest_score", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("latest_on", sa.Date(), nullable=True))
    op.execute(_BACKFILL)
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index("ix_goal_attainment", ["tenant_id", "latest_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index("ix_goal_attainment")
        batch_op.drop_column("latest_on")
        batch_op.drop_column("latest_score")
        batch_op.drop_column("baseline_score")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index("ix_case_changed")
