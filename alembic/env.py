"""Alembic environment: the database URL comes from Tutela's settings."""

from alembic import context

from tutela_app import models
from tutela_app.db import make_engine
from tutela_app.settings import get_settings

target_metadata = models.metadata


def run_migrations_online() -> None:
    url = context.config.attributes.get("database_url") or get_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
