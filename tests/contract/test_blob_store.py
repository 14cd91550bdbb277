"""The BlobStore contract, run against every adapter: files on disk and memory."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from untoc_adapters.storage.blobs import (
    FILE_PURGE_METHOD,
    MAX_BLOB_BYTES,
    FileBlobStore,
    MemoryBlobStore,
)
from untoc_core.blobs import BlobCorrupted, BlobMissing, BlobPurged, BlobRef, BlobStore
from untoc_core.errors import (
    ConfigurationError,
    InvalidInput,
    StoreError,
    UntocError,
)

SMALL_LIMIT = 1024

BlobStoreFactory = Callable[..., BlobStore]


@pytest.fixture(params=["file", "memory"])
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStoreFactory:
    """A factory of empty stores of one implementation (keyword: max_bytes)."""
    if request.param == "file":
        return lambda **kwargs: FileBlobStore(tmp_path / "blobs", **kwargs)
    return MemoryBlobStore


@pytest.fixture
def store(make_store: BlobStoreFactory) -> BlobStore:
    return make_store()


@pytest.fixture
def files(tmp_path: Path) -> FileBlobStore:
    return FileBlobStore(tmp_path / "blobs")


def ref_of(data: bytes) -> BlobRef:
    return BlobRef(sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def all_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# --- the contract, for every implementation ---


def test_an_empty_store_lists_no_blobs(store: BlobStore) -> None:
    assert store.refs() == []


def test_put_returns_the_sha256_and_size_and_get_returns_the_bytes(
    store: BlobStore,
) -> None:
    data = b"\x01sealed value bytes\x00\xff"
    ref = store.put(data)
    assert ref == ref_of(data)
    assert store.has(ref)
    assert store.get(ref) == data


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=4096))
def test_any_bytes_round_trip(store: BlobStore, data: bytes) -> None:
    ref = store.put(data)
    assert ref == ref_of(data)
    assert store.get(ref) == data
    assert ref in store.refs()


def test_put_is_idempotent(store: BlobStore) -> None:
    first = store.put(b"same bytes")
    second = store.put(b"same bytes")
    assert first == second
    assert store.refs() == [first]
    assert store.get(first) == b"same bytes"


def test_same_content_gives_the_same_ref_in_another_store(
    make_store: BlobStoreFactory, tmp_path: Path
) -> None:
    other = FileBlobStore(tmp_path / "other")
    assert make_store().put(b"content") == other.put(b"content")
    assert make_store().put(b"content") == MemoryBlobStore().put(b"content")


def test_different_content_gives_different_refs(store: BlobStore) -> None:
    assert store.put(b"a") != store.put(b"b")


def test_get_of_a_blob_never_stored_raises_blob_missing(store: BlobStore) -> None:
    ref = ref_of(b"never put")
    assert not store.has(ref)
    with pytest.raises(BlobMissing) as caught:
        store.get(ref)
    assert caught.value.ref == ref
    assert isinstance(caught.value, InvalidInput)
    assert isinstance(caught.value, UntocError)


def test_a_ref_with_the_wrong_size_is_missing(store: BlobStore) -> None:
    ref = store.put(b"twelve bytes")
    wrong = BlobRef(sha256=ref.sha256, size=ref.size + 1)
    assert not store.has(wrong)
    with pytest.raises(BlobMissing):
        store.get(wrong)


def test_purge_returns_the_record_and_the_blob_is_then_missing(
    store: BlobStore,
) -> None:
    ref = store.put(b"to be shredded")
    kept = store.put(b"to be kept")
    record = store.purge(ref)
    assert isinstance(record, BlobPurged)
    assert (record.sha256, record.size) == (ref.sha256, ref.size)
    assert record.ref == ref
    assert record.method
    assert record.describe().startswith(ref.describe())
    assert not store.has(ref)
    assert store.refs() == [kept]
    with pytest.raises(BlobMissing):
        store.get(ref)


def test_purging_an_absent_blob_raises_blob_missing(store: BlobStore) -> None:
    ref = store.put(b"once")
    store.purge(ref)
    with pytest.raises(BlobMissing):
        store.purge(ref)
    with pytest.raises(BlobMissing):
        store.purge(ref_of(b"never put"))


def test_a_purged_blob_can_be_put_again(store: BlobStore) -> None:
    ref = store.put(b"back again")
    store.purge(ref)
    assert store.put(b"back again") == ref
    assert store.get(ref) == b"back again"


def test_refs_lists_every_blob_sorted_by_sha256(store: BlobStore) -> None:
    blobs = [f"blob {n}".encode() * n for n in range(20)]
    for data in blobs:
        store.put(data)
    listed = store.refs()
    assert listed == sorted(ref_of(d) for d in blobs)
    assert [r.sha256 for r in listed] == sorted(r.sha256 for r in listed)


def test_the_empty_blob_is_a_blob(store: BlobStore) -> None:
    ref = store.put(b"")
    assert ref == BlobRef(
        sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        size=0,
    )
    assert store.has(ref)
    assert store.get(ref) == b""
    assert store.refs() == [ref]


def test_a_blob_larger_than_the_limit_is_refused(
    make_store: BlobStoreFactory,
) -> None:
    store = make_store(max_bytes=SMALL_LIMIT)
    assert store.put(bytes(SMALL_LIMIT)).size == SMALL_LIMIT
    with pytest.raises(InvalidInput, match="larger than"):
        store.put(bytes(SMALL_LIMIT + 1))
    assert store.refs() == [ref_of(bytes(SMALL_LIMIT))]


def test_the_default_limit_is_64_mib(store: BlobStore) -> None:
    assert MAX_BLOB_BYTES == 64 * 1024 * 1024
    with pytest.raises(InvalidInput):
        store.put(bytes(MAX_BLOB_BYTES + 1))
    assert store.refs() == []


# --- BlobRef and BlobPurged values ---


@pytest.mark.parametrize(
    "sha256",
    [
        "",
        "ab",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\n",
        "../../etc/passwd",
    ],
)
def test_a_blob_ref_refuses_a_bad_sha256(sha256: str) -> None:
    with pytest.raises(InvalidInput, match="sha256"):
        BlobRef(sha256=sha256, size=0)
    with pytest.raises(InvalidInput, match="sha256"):
        BlobPurged(sha256=sha256, size=0, method="x")


@pytest.mark.parametrize("size", [-1, True, 1.5])
def test_a_blob_ref_refuses_a_bad_size(size: object) -> None:
    with pytest.raises(InvalidInput, match="size"):
        BlobRef(sha256="0" * 64, size=size)  # type: ignore[arg-type]


def test_a_blob_ref_describes_itself() -> None:
    ref = BlobRef.of(b"hello")
    assert ref.describe() == f"blob sha256:{ref.sha256} (5 bytes)"
    assert BlobRef.of(b"x").describe().endswith("(1 byte)")
    assert ref.matches(b"hello")
    assert not ref.matches(b"hellO")


# --- the file store only ---


def test_blob_files_live_under_a_two_hex_digit_subfolder(
    files: FileBlobStore,
) -> None:
    ref = files.put(b"where am I")
    path = files.path_of(ref)
    assert path == files.folder / ref.sha256[:2] / ref.sha256[2:]
    assert path.read_bytes() == b"where am I"
    assert all_files(files.folder) == [path]


def test_folders_are_0700_and_files_0600(files: FileBlobStore) -> None:
    old = os.umask(0)
    try:
        ref = files.put(b"private")
    finally:
        os.umask(old)
    path = files.path_of(ref)
    assert stat.S_IMODE(files.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_folder_others_may_enter_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    folder.chmod(0o755)
    with pytest.raises(ConfigurationError, match="chmod 700"):
        FileBlobStore(folder)


def test_a_file_that_is_not_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "blobs").write_bytes(b"")
    with pytest.raises(ConfigurationError):
        FileBlobStore(tmp_path / "blobs")


def test_bytes_changed_on_disk_raise_blob_corrupted(files: FileBlobStore) -> None:
    ref = files.put(b"original ciphertext")
    files.path_of(ref).write_bytes(b"original ciphertexT")
    with pytest.raises(BlobCorrupted) as caught:
        files.get(ref)
    assert caught.value.ref == ref
    assert isinstance(caught.value, StoreError)


def test_truncated_bytes_raise_blob_corrupted(files: FileBlobStore) -> None:
    ref = files.put(b"original ciphertext")
    files.path_of(ref).write_bytes(b"original")
    with pytest.raises(BlobCorrupted):
        files.get(ref)


def test_a_corrupted_blob_can_be_purged(files: FileBlobStore) -> None:
    ref = files.put(b"soon broken")
    files.path_of(ref).write_bytes(b"broken")
    record = files.purge(ref)
    assert record.method == FILE_PURGE_METHOD
    assert files.refs() == []
    assert all_files(files.folder) == []


def test_an_existing_blob_is_not_written_again(
    files: FileBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = files.put(b"written once")
    before = files.path_of(ref).stat().st_ino

    def no_write(*_: object, **__: object) -> None:
        pytest.fail("an existing blob was written again")

    monkeypatch.setattr(os, "open", no_write)
    assert files.put(b"written once") == ref
    monkeypatch.undo()
    assert files.path_of(ref).stat().st_ino == before


def test_a_crash_before_the_link_leaves_no_visible_blob(
    files: FileBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", crash)
    with pytest.raises(StoreError, match="cannot write"):
        files.put(b"never lands")
    ref = ref_of(b"never lands")
    assert files.refs() == []
    assert not files.has(ref)
    with pytest.raises(BlobMissing):
        files.get(ref)
    assert all_files(files.folder) == []

    monkeypatch.undo()
    assert files.put(b"never lands") == ref
    assert files.get(ref) == b"never lands"


def test_a_crash_before_the_write_ends_leaves_no_visible_blob(
    files: FileBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_: object, **__: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(StoreError):
        files.put(b"half written")
    monkeypatch.undo()
    assert files.refs() == []
    assert all_files(files.folder) == []


def test_temporary_files_left_by_a_killed_writer_are_ignored(
    files: FileBlobStore,
) -> None:
    ref = ref_of(b"interrupted")
    sub = files.folder / ref.sha256[:2]
    sub.mkdir(mode=0o700)
    (sub / f".{ref.sha256[2:]}.0011223344556677.tmp").write_bytes(b"interrupted")
    (files.folder / "README").write_bytes(b"not a blob")
    (files.folder / "zz").mkdir()
    assert files.refs() == []
    assert not files.has(ref)
    with pytest.raises(BlobMissing):
        files.get(ref)
    assert files.put(b"interrupted") == ref
    assert files.refs() == [ref]


def test_blobs_survive_reopening_the_folder(tmp_path: Path) -> None:
    ref = FileBlobStore(tmp_path / "blobs").put(b"durable")
    reopened = FileBlobStore(tmp_path / "blobs")
    assert reopened.refs() == [ref]
    assert reopened.get(ref) == b"durable"


def test_a_symlink_in_place_of_a_blob_is_not_followed(
    files: FileBlobStore, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"outside")
    ref = ref_of(b"outside")
    path = files.path_of(ref)
    path.parent.mkdir(mode=0o700)
    path.symlink_to(target)
    assert not files.has(ref)
    assert files.refs() == []
    with pytest.raises(StoreError):
        files.get(ref)
