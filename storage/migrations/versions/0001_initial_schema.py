"""initial schema: sites, films, reviews, crawl_runs

Revision ID: 0001
Revises: 
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('crawl_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('command', sa.Text(), nullable=True),
    sa.Column('sites', sa.JSON(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('items_new', sa.Integer(), nullable=False),
    sa.Column('items_updated', sa.Integer(), nullable=False),
    sa.Column('items_unchanged', sa.Integer(), nullable=False),
    sa.Column('items_dropped', sa.Integer(), nullable=False),
    sa.Column('films_touched', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_runs'))
    )
    op.create_table('films',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=512), nullable=False),
    sa.Column('title_key', sa.String(length=512), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('mpaa_rating', sa.String(length=8), nullable=True),
    sa.Column('runtime_minutes', sa.Float(), nullable=True),
    sa.Column('imdb_id', sa.String(length=16), nullable=True),
    sa.Column('age', sa.Float(), nullable=True),
    sa.Column('quality', sa.Float(), nullable=True),
    sa.Column('violence', sa.Float(), nullable=True),
    sa.Column('sex', sa.Float(), nullable=True),
    sa.Column('language', sa.Float(), nullable=True),
    sa.Column('substances', sa.Float(), nullable=True),
    sa.Column('consumerism', sa.Float(), nullable=True),
    sa.Column('scariness', sa.Float(), nullable=True),
    sa.Column('positive_messages', sa.Float(), nullable=True),
    sa.Column('role_models', sa.Float(), nullable=True),
    sa.Column('parents_age', sa.Float(), nullable=True),
    sa.Column('kids_age', sa.Float(), nullable=True),
    sa.Column('source_count', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('by_site', sa.JSON(), nullable=False),
    sa.Column('conflicts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_films'))
    )
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_films_imdb_id'), ['imdb_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_films_title_key'), ['title_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_films_year'), ['year'], unique=False)

    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('host', sa.String(length=128), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('name', name=op.f('uq_sites_name'))
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=1024), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('film_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=512), nullable=False),
    sa.Column('title_key', sa.String(length=512), nullable=False),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('mpaa_rating', sa.String(length=8), nullable=True),
    sa.Column('runtime_minutes', sa.Integer(), nullable=True),
    sa.Column('release_date', sa.String(length=10), nullable=True),
    sa.Column('directors', sa.JSON(), nullable=False),
    sa.Column('cast', sa.JSON(), nullable=False),
    sa.Column('genres', sa.JSON(), nullable=False),
    sa.Column('imdb_id', sa.String(length=16), nullable=True),
    sa.Column('age_native', sa.String(length=64), nullable=True),
    sa.Column('age_min', sa.Integer(), nullable=True),
    sa.Column('quality_native', sa.String(length=64), nullable=True),
    sa.Column('quality', sa.Float(), nullable=True),
    sa.Column('content_native', sa.JSON(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('extra_ratings', sa.JSON(), nullable=False),
    sa.Column('parents_age', sa.Integer(), nullable=True),
    sa.Column('parents_count', sa.Integer(), nullable=True),
    sa.Column('kids_age', sa.Integer(), nullable=True),
    sa.Column('kids_count', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('pros', sa.Text(), nullable=True),
    sa.Column('cons', sa.Text(), nullable=True),
    sa.Column('reviewer', sa.String(length=256), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('fetched_at', sa.String(length=32), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('needs_merge', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['film_id'], ['films.id'], name=op.f('fk_reviews_film_id_films'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_reviews_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('url', name=op.f('uq_reviews_url'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_film_id'), ['film_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_imdb_id'), ['imdb_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_needs_merge'), ['needs_merge'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_title_key'), ['title_key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_title_key'))
        batch_op.drop_index(batch_op.f('ix_reviews_site_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_needs_merge'))
        batch_op.drop_index(batch_op.f('ix_reviews_imdb_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_film_id'))

    op.drop_table('reviews')
    op.drop_table('sites')
    with op.batch_alter_table('films', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_films_year'))
        batch_op.drop_index(batch_op.f('ix_films_title_key'))
        batch_op.drop_index(batch_op.f('ix_films_imdb_id'))

    op.drop_table('films')
    op.drop_table('crawl_runs')
