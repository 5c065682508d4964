"""Work pool types and code storage: a pool's base job template, a deployment's job
variables and pull steps, and a flow run's own job variables.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (nullable, no default): no table rebuild on SQLite; existing rows
    # read as "the type's default template, no job variables, code on the worker's disk".
    op.add_column("work_pools", sa.Column("base_job_template", sa.JSON(), nullable=True))
    op.add_column("deployments", sa.Column("job_variables", sa.JSON(), nullable=True))
    op.add_column("deployments", sa.Column("pull_steps", sa.JSON(), nullable=True))
    op.add_column("flow_runs", sa.Column("job_variables", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("flow_runs") as batch:
        batch.drop_column("job_variables")
    with op.batch_alter_table("deployments") as batch:
        batch.drop_column("pull_steps")
        batch.drop_column("job_variables")
    with op.batch_alter_table("work_pools") as batch:
        batch.drop_column("base_job_template")
