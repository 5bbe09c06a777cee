"""crawl state (issue 5): jobs and their cycles, per-request state, run locks, run counters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUN_COUNTERS = ("pages_not_modified", "pages_failed", "checks_failed")


def upgrade() -> None:
    op.create_table(
        "crawl_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=600), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("baseline_reviews", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_jobs")),
        sa.UniqueConstraint("site", "mode", name=op.f("uq_crawl_jobs_site")),
    )
    op.create_table(
        "crawl_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("site", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("cycle", sa.Integer(), nullable=True),
        sa.Column("etag", sa.String(length=256), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("links", sa.JSON(), nullable=True),
        sa.Column("request", sa.JSON(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["crawl_jobs.id"],
                                name=op.f("fk_crawl_urls_job_id_crawl_jobs"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_urls")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_crawl_urls_fingerprint")),
    )
    with op.batch_alter_table("crawl_urls", schema=None) as batch_op:
        batch_op.create_index("ix_crawl_urls_job_cycle", ["job_id", "cycle", "status"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_crawl_urls_site"), ["site"], unique=False)
    op.create_table(
        "crawl_locks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crawl_locks")),
    )
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        for name in RUN_COUNTERS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        for name in reversed(RUN_COUNTERS):
            batch_op.drop_column(name)
    op.drop_table("crawl_locks")
    with op.batch_alter_table("crawl_urls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_crawl_urls_site"))
        batch_op.drop_index("ix_crawl_urls_job_cycle")
    op.drop_table("crawl_urls")
    op.drop_table("crawl_jobs")
