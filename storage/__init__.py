"""SQLAlchemy models, schema migrations (Alembic) and repository functions."""
