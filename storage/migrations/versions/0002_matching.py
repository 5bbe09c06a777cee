"""matching (issue 4): blocking keys of films, manual match decisions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

``film_keys``: every film's blocking keys (``aggregator.matching.block_keys``), so a merge of new
reviews reads only the films that share a key with them. ``match_decisions``: what
``famreel link`` and ``famreel unlink`` decided, review by review, respected by every merge.
Existing films get their keys from a ``famreel merge --full`` (or as they are next touched).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "film_keys",
        sa.Column("film_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["film_id"], ["films.id"],
                                name=op.f("fk_film_keys_film_id_films"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("film_id", "key", name=op.f("pk_film_keys")),
    )
    with op.batch_alter_table("film_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_film_keys_key"), ["key"], unique=False)
    op.create_table(
        "match_decisions",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("other_review_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"],
                                name=op.f("fk_match_decisions_review_id_reviews"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["other_review_id"], ["reviews.id"],
                                name=op.f("fk_match_decisions_other_review_id_reviews"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("review_id", "other_review_id",
                                name=op.f("pk_match_decisions")),
    )
    with op.batch_alter_table("match_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_decisions_other_review_id"),
                              ["other_review_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("match_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_decisions_other_review_id"))
    op.drop_table("match_decisions")
    with op.batch_alter_table("film_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_film_keys_key"))
    op.drop_table("film_keys")
