"""query views (issue 6): film_summary and film_sources for people who prefer plain SQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

``film_summary``: one row per film, its consensus values, how many conflicts, which sites.
``film_sources``: one row per review of a film, that site's values beside the film's title and
year, one column per content category. Both are plain views (no data of their own), the same
columns on SQLite and PostgreSQL; only a JSON lookup and a string aggregate are spelled per
dialect. The README ("SQL views") documents every column.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("violence", "sex", "language", "substances", "consumerism", "scariness",
              "positive_messages", "role_models")

# a site list in name order, and a number from a JSON object, in each dialect's words
SITE_LIST = {
    "sqlite": "(SELECT group_concat(name, ' ') FROM (SELECT DISTINCT s.name FROM reviews r "
              "JOIN sites s ON s.id = r.site_id WHERE r.film_id = f.id ORDER BY s.name))",
    "postgresql": "(SELECT string_agg(DISTINCT s.name, ' ' ORDER BY s.name) FROM reviews r "
                  "JOIN sites s ON s.id = r.site_id WHERE r.film_id = f.id)",
}
JSON_NUMBER = {
    "sqlite": "json_extract(r.content, '$.{key}')",
    "postgresql": "CAST(r.content ->> '{key}' AS DOUBLE PRECISION)",
}

FILM_SUMMARY = """
CREATE VIEW film_summary AS
SELECT f.id AS film_id, f.title, f.year, f.mpaa_rating, f.runtime_minutes, f.imdb_id,
       f.age, f.quality, {categories}, f.parents_age, f.kids_age,
       f.source_count, f.confidence,
       json_array_length(f.conflicts) AS conflict_count,
       {site_list} AS sites
FROM films f
"""

FILM_SOURCES = """
CREATE VIEW film_sources AS
SELECT r.film_id, f.title AS film_title, f.year AS film_year, s.name AS site, r.url,
       r.title, r.year, r.mpaa_rating, r.runtime_minutes, r.age_min AS age, r.quality,
       {categories}, r.parents_age, r.kids_age, r.verdict, r.reviewer, r.published
FROM reviews r
JOIN films f ON f.id = r.film_id
JOIN sites s ON s.id = r.site_id
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute(FILM_SUMMARY.format(
        categories=", ".join(f"f.{c}" for c in CATEGORIES), site_list=SITE_LIST[dialect]))
    op.execute(FILM_SOURCES.format(categories=", ".join(
        f"{JSON_NUMBER[dialect].format(key=c)} AS {c}" for c in CATEGORIES)))


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS film_sources")
    op.execute("DROP VIEW IF EXISTS film_summary")
