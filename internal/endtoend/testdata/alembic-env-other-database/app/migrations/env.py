from alembic import context
from sqlalchemy import create_engine, pool
from sqlalchemy.engine.url import make_url

config = context.config
target_metadata = None
# The app's own settings, not sqlalchemy.url: another database.
own = make_url(config.get_main_option("sqlalchemy.url")).set(database="postgres")


def run_migrations_offline():
    context.configure(url=str(own), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(own, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
