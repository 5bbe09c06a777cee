"""Alembic environment: famreel always passes its own connection (see ``storage.db.upgrade``)."""

from alembic import context

from storage.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - famreel never runs alembic without a connection
    raise RuntimeError("run migrations through `famreel db upgrade`")

if connection.dialect.name == "sqlite":
    # batch migrations rebuild a table under a temporary name; without the legacy rename rule
    # SQLite would rewrite (and break) the views that read it (film_summary, film_sources)
    connection.exec_driver_sql("PRAGMA legacy_alter_table=ON")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: batch "move and copy"
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
