"""Fixtures shared by every test folder: event stores on each backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.memory import open_memory_store
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store

PG_URL = os.environ.get(
    "UNTOC_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test"
)

StoreFactory = Callable[[], RecorderEventStore]


def _postgres_reachable() -> str | None:
    """None if PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg  # noqa: PLC0415 - only needed when the postgres tests run
    except ImportError as exc:
        return f"psycopg is not installed ({exc})"
    try:
        with psycopg.connect(PG_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL at {PG_URL} is not reachable: {exc}".strip()


@pytest.fixture(scope="session")
def postgres_available() -> None:
    """Skip (or, in CI, fail) when PostgreSQL is not reachable."""
    reason = _postgres_reachable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
    pytest.skip(reason)


@pytest.fixture
def pg_schema(postgres_available: None) -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped after the test."""
    import psycopg  # noqa: PLC0415

    name = f"untoc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    yield name
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{name}" CASCADE')


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store_factory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[StoreFactory]:
    """Opens stores on one backend that share their data (a connection each)."""
    opened: list[RecorderEventStore] = []
    if request.param == "memory":
        shared = open_memory_store()

        def factory() -> RecorderEventStore:
            return shared

        opened.append(shared)
    elif request.param == "sqlite":
        settings = Settings(data_dir=tmp_path, store="sqlite")

        def factory() -> RecorderEventStore:
            store = open_sqlite_store(settings)
            opened.append(store)
            return store

    else:
        schema = request.getfixturevalue("pg_schema")
        settings = Settings(
            data_dir=tmp_path, store="postgres", store_url=f"{PG_URL}?schema={schema}"
        )

        def factory() -> RecorderEventStore:
            store = open_postgres_store(settings)
            opened.append(store)
            return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: StoreFactory) -> RecorderEventStore:
    """One store on each backend."""
    return store_factory()
