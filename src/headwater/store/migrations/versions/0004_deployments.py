"""Deployments, their schedules, projects, work pools and workers; flow runs' claims.

Revision ID: 0004
Revises: 0003
Create Date: 2026-05-13

Written by hand to match `headwater/store/tables.py` exactly (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.String(36)


def upgrade() -> None:
    # Plain ADD COLUMNs (nullable, no default): no table rebuild on SQLite.
    op.add_column("flow_runs", sa.Column("work_pool_id", ID, nullable=True))
    op.add_column("flow_runs", sa.Column("worker_id", ID, nullable=True))
    op.add_column("flow_runs", sa.Column("claimed_start", sa.Double(), nullable=True))
    op.create_index("ix_flow_runs_work_pool_id_state_type", "flow_runs",
                    ["work_pool_id", "state_type", "expected_start_time"])
    op.create_index("ix_flow_runs_deployment_id_state_type", "flow_runs", ["deployment_id", "state_type"])
    op.create_table(
        "projects",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_projects"),
        sa.UniqueConstraint("name", name="uq_projects_name"),
    )
    op.create_table(
        "work_pools",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("concurrency_limit", sa.Integer(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_work_pools"),
        sa.UniqueConstraint("name", name="uq_work_pools_name"),
    )
    op.create_table(
        "deployments",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("flow_name", sa.String(255), nullable=False),
        sa.Column("project_id", ID, nullable=False),
        sa.Column("work_pool_id", ID, nullable=True),
        sa.Column("entrypoint", sa.Text(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("parameter_schema", sa.JSON(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("version", sa.String(255), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("concurrency_limit", sa.Integer(), nullable=True),
        sa.Column("catchup", sa.String(16), nullable=False),
        sa.Column("last_polled", sa.Double(), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deployments"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_deployments_project_id_projects"),
        sa.ForeignKeyConstraint(["work_pool_id"], ["work_pools.id"], name="fk_deployments_work_pool_id_work_pools"),
    )
    op.create_index("ix_deployments_flow_name_name", "deployments", ["flow_name", "name"], unique=True)
    op.create_table(
        "deployment_schedules",
        sa.Column("id", ID, nullable=False),
        sa.Column("deployment_id", ID, nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("scheduled_through", sa.Double(), nullable=True),
        sa.Column("created", sa.Double(), nullable=False),
        sa.Column("updated", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deployment_schedules"),
        sa.ForeignKeyConstraint(["deployment_id"], ["deployments.id"],
                                name="fk_deployment_schedules_deployment_id_deployments"),
    )
    op.create_index("ix_deployment_schedules_deployment_id", "deployment_schedules", ["deployment_id"])
    op.create_table(
        "workers",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("work_pool_id", ID, nullable=False),
        sa.Column("limit", sa.Integer(), nullable=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started", sa.Double(), nullable=False),
        sa.Column("last_heartbeat", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workers"),
        sa.ForeignKeyConstraint(["work_pool_id"], ["work_pools.id"], name="fk_workers_work_pool_id_work_pools"),
    )
    op.create_index("ix_workers_work_pool_id_name", "workers", ["work_pool_id", "name"], unique=True)


def downgrade() -> None:
    op.drop_table("workers")
    op.drop_table("deployment_schedules")
    op.drop_table("deployments")
    op.drop_table("work_pools")
    op.drop_table("projects")
    op.drop_index("ix_flow_runs_deployment_id_state_type", "flow_runs")
    op.drop_index("ix_flow_runs_work_pool_id_state_type", "flow_runs")
    with op.batch_alter_table("flow_runs") as batch:
        batch.drop_column("claimed_start")
        batch.drop_column("worker_id")
        batch.drop_column("work_pool_id")
