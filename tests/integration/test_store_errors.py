"""How the stores fail: bad settings, and a write that loses a race at insert time."""

from __future__ import annotations

import datetime as dt
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from untoc_adapters.settings import Settings
from untoc_adapters.storage.base import RecorderEventStore
from untoc_adapters.storage.postgres import open_postgres_store
from untoc_adapters.storage.sqlite import open_sqlite_store
from untoc_core.errors import ConcurrencyConflict, ConfigurationError, StoreError
from untoc_core.ports import NewEvents
from untoc_core.registry.events import ExpertListCirculated

T0 = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
PASSWORD = "s3cret-pw"  # noqa: S105 - must never appear in a message


def circulated(n: int) -> ExpertListCirculated:
    return ExpertListCirculated(
        circulated_on=dt.date(2026, 1, n), expert_ids=frozenset({f"x{n}"})
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# -- opening a store with bad settings ------------------------------------------


def test_a_data_folder_that_is_a_file_is_a_store_error(tmp_path: Path) -> None:
    file = tmp_path / "not-a-folder"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="not-a-folder") as caught:
        open_sqlite_store(Settings(data_dir=file))
    assert "it is a file" in str(caught.value)


def test_a_data_folder_under_a_file_is_a_store_error(tmp_path: Path) -> None:
    file = tmp_path / "not-a-folder"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match=r"cannot create the folder .*not-a-folder"):
        open_sqlite_store(Settings(data_dir=file / "sub"))


def test_a_file_that_is_not_sqlite_is_a_store_error(tmp_path: Path) -> None:
    file = tmp_path / "notes.db"
    file.write_text("these are notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match=r"notes\.db") as caught:
        open_sqlite_store(Settings(data_dir=tmp_path, store_url=str(file)))
    assert "not a database" in str(caught.value)


def test_an_unreachable_postgres_server_fails_fast_without_the_password() -> None:
    port = free_port()
    url = f"postgresql://untoc:{PASSWORD}@127.0.0.1:{port}/test"
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        open_postgres_store(Settings(store="postgres", store_url=url))
    assert time.monotonic() - started < 15
    message = str(caught.value)
    assert f"postgresql://untoc:***@127.0.0.1:{port}/test" in message
    assert PASSWORD not in message
    assert "\n" not in message


def test_a_malformed_postgres_url_is_a_configuration_error() -> None:
    url = f"postgresql://untoc:{PASSWORD}@127.0.0.1:port/test"
    with pytest.raises(ConfigurationError, match="malformed") as caught:
        open_postgres_store(Settings(store="postgres", store_url=url))
    assert PASSWORD not in str(caught.value)
    url = f"mysql://untoc:{PASSWORD}@127.0.0.1/test"
    with pytest.raises(ConfigurationError, match="mysql://untoc:\\*\\*\\*@") as caught:
        open_postgres_store(Settings(store="postgres", store_url=url))
    assert PASSWORD not in str(caught.value)


@pytest.mark.postgres
def test_a_missing_postgres_database_or_schema_is_a_store_error(
    postgres_available: None,
) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/untoc_no_such_db"
    with pytest.raises(StoreError, match='"untoc_no_such_db" does not exist'):
        open_postgres_store(Settings(store="postgres", store_url=url))
    url = "postgresql://postgres@127.0.0.1:5432/test?schema=untoc_no_such_schema"
    with pytest.raises(StoreError, match="untoc_no_such_schema"):
        open_postgres_store(Settings(store="postgres", store_url=url))


# -- a write that passes the version check but loses the race at insert ----------


def test_a_conflict_found_only_at_insert_writes_nothing_from_any_batch(
    store_factory: Callable[[], RecorderEventStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = store_factory()
    store.append(
        NewEvents(stream="b", expected_version=0, events=(circulated(1),)),
        recorded_at=T0,
        actor="secretariat",
    )
    before = store.last_position()
    batches = (
        NewEvents(
            stream="a", expected_version=0, events=(circulated(2), circulated(3))
        ),
        NewEvents(stream="b", expected_version=0, events=(circulated(4),)),
    )
    # The pre-check sees every stream where the batches expect it, as if another
    # writer appended to "b" between the check and the insert.
    real_head = store._head
    lies = {b.stream: b.expected_version for b in batches}

    def head(stream: str) -> int:
        if lies:
            return lies.pop(stream)
        return real_head(stream)

    monkeypatch.setattr(store, "_head", head)
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append(*batches, recorded_at=T0, actor="secretariat")
    assert (caught.value.stream, caught.value.expected, caught.value.actual) == (
        "b",
        0,
        1,
    )
    monkeypatch.undo()
    reader = store_factory()
    assert reader.read_stream("a") == []
    assert reader.stream_version("a") == 0
    assert [r.event for r in reader.read_stream("b")] == [circulated(1)]
    assert reader.last_position() == before
