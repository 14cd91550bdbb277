"""The transparency log over the store's rows, and the audit that checks the rows.

:class:`TransparencyLog` follows the store: it gives each new row the next leaf
index (its own contiguous numbering), keeps every leaf's data and hash, and states
signed checkpoints. :class:`LogSnapshot` is the frozen copy of its leaves that an
auditor is handed (or exports).

:func:`verify_rows` is the auditor's check (research section 2.7):

1. open the checkpoint note with the trusted keys (a bad note is a
   ``bad-signature`` fault and ends the audit);
2. recompute every leaf from the rows, in position order, with the contiguous
   index, and compare the tree head with the checkpoint's root;
3. if they differ, compare leaf by leaf with the log's own leaves to name the first
   bad position and the kind of fault (altered, missing, reordered, truncated);
4. check that an older remembered checkpoint is a prefix of the rows (and verify
   the log's consistency proof, if one is given): a rewritten history fails here;
5. check each stream on its own: versions from 1 without gaps or repeats, and no
   body stored twice (a replayed event).
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable, Sequence

import attrs

from untoc_core.audit.checkpoint import (
    Checkpoint,
    CheckpointRejected,
    CheckpointSigner,
    SignatureVerifier,
    open_checkpoint,
    sign_checkpoint,
)
from untoc_core.audit.leaves import LeafData, StoredRow
from untoc_core.audit.merkle import (
    consistency_proof,
    inclusion_proof,
    tree_root,
    tree_roots,
    verify_consistency,
)
from untoc_core.errors import InvalidInput


@attrs.frozen(kw_only=True)
class LogSnapshot:
    """The leaves of a transparency log at one moment, frozen.

    Attributes:
        origin: The log's origin, as written in its checkpoints.
        leaves: The leaves in index order; leaf ``i`` must have index ``i``.
    """

    origin: str
    leaves: tuple[LeafData, ...]
    leaf_hashes: tuple[bytes, ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        for i, leaf in enumerate(self.leaves):
            if leaf.index != i:
                msg = f"leaf {i} of the log carries index {leaf.index}"
                raise InvalidInput(msg)
        hashes = tuple(leaf.leaf_hash() for leaf in self.leaves)
        object.__setattr__(self, "leaf_hashes", hashes)

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self.leaves)

    def root(self, size: int | None = None) -> bytes:
        """The tree head over the first ``size`` leaves (all of them by default).

        Args:
            size: How many leaves; None for all.

        Returns:
            The 32-byte root.

        Raises:
            InvalidInput: ``size`` is negative or above the log's size.
        """
        count = self.size if size is None else size
        if not 0 <= count <= self.size:
            msg = f"the log has {self.size} leaves, not {count}"
            raise InvalidInput(msg)
        return tree_root(self.leaf_hashes[:count])

    def roots(self, sizes: Iterable[int]) -> dict[int, bytes]:
        """The tree heads over the first ``size`` leaves, for each of ``sizes``.

        One pass over the leaves (:func:`~untoc_core.audit.merkle.tree_roots`).

        Raises:
            InvalidInput: a size is negative or above the log's size.
        """
        return tree_roots(self.leaf_hashes, sizes)

    def checkpoint(self, size: int | None = None) -> Checkpoint:
        """The checkpoint for the first ``size`` leaves (all by default).

        Args:
            size: How many leaves; None for all.

        Returns:
            The unsigned checkpoint.
        """
        count = self.size if size is None else size
        return Checkpoint(origin=self.origin, size=count, root=self.root(count))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of ``size`` leaves.

        Args:
            index: The leaf.
            size: The tree size; None for the whole log.

        Returns:
            The proof, from the leaf upwards.
        """
        count = self.size if size is None else size
        return inclusion_proof(index, self.leaf_hashes[:count])

    def consistency_proof(
        self, old_size: int, new_size: int | None = None
    ) -> list[bytes]:
        """The proof that the tree of ``old_size`` leaves is a prefix of ``new_size``.

        Args:
            old_size: The older tree's size.
            new_size: The newer tree's size; None for the whole log.

        Returns:
            The RFC 9162 consistency proof.
        """
        count = self.size if new_size is None else new_size
        if not 0 <= count <= self.size:
            msg = f"the log has {self.size} leaves, not {count}"
            raise InvalidInput(msg)
        return consistency_proof(old_size, self.leaf_hashes[:count])


class TransparencyLog:
    """An append-only Merkle log that follows the store's rows.

    Each row appended gets the next leaf index; rows must come in increasing
    position order, and a row at or before the last logged position is refused, so
    the log cannot be fed the same row twice.
    """

    def __init__(self, origin: str, leaves: Iterable[LeafData] = ()) -> None:
        if not origin or "\n" in origin:
            msg = "a log origin must be one non-empty line"
            raise InvalidInput(msg)
        snapshot = LogSnapshot(origin=origin, leaves=tuple(leaves))
        self.origin = origin
        self._leaves = list(snapshot.leaves)
        self._hashes = list(snapshot.leaf_hashes)

    @property
    def size(self) -> int:
        """The number of leaves logged."""
        return len(self._leaves)

    @property
    def last_position(self) -> int:
        """The store position of the last logged row, or 0."""
        return self._leaves[-1].position if self._leaves else 0

    def append_rows(
        self, rows: Iterable[StoredRow], *, logged_at: str = ""
    ) -> list[LeafData]:
        """Log rows read from the store, in position order.

        Args:
            rows: New rows, each after the last logged position.
            logged_at: The time they are logged (RFC 3339 UTC), kept in each leaf;
                empty for none.

        Returns:
            The leaves added.

        Raises:
            InvalidInput: a row's position is not after the previous one; nothing
                from this call is logged.
        """
        added: list[LeafData] = []
        last = self.last_position
        for row in rows:
            if row.position <= last:
                msg = (
                    f"row at position {row.position} is not after position {last}; "
                    "the log takes each row once, in order"
                )
                raise InvalidInput(msg)
            added.append(LeafData.from_row(self.size + len(added), row, logged_at))
            last = row.position
        self._leaves.extend(added)
        self._hashes.extend(leaf.leaf_hash() for leaf in added)
        return added

    def snapshot(self) -> LogSnapshot:
        """A frozen copy of the log's leaves.

        Returns:
            The snapshot.
        """
        return LogSnapshot(origin=self.origin, leaves=tuple(self._leaves))

    def root(self) -> bytes:
        """The current tree head.

        Returns:
            The 32-byte root.
        """
        return tree_root(self._hashes)

    def checkpoint(self) -> Checkpoint:
        """The checkpoint of the log as it is now.

        Returns:
            The unsigned checkpoint.
        """
        return Checkpoint(origin=self.origin, size=self.size, root=self.root())

    def sign(self, signer: CheckpointSigner) -> str:
        """The current checkpoint as a signed note.

        Args:
            signer: The log's key.

        Returns:
            The note text.
        """
        return sign_checkpoint(self.checkpoint(), signer)


class FaultKind(enum.StrEnum):
    """What kind of tampering the audit found."""

    ALTERED = "altered"
    """A logged row's content (stream, version, type or body) changed."""
    MISSING = "missing"
    """A logged row is gone, or a stream skips a version."""
    REORDERED = "reordered"
    """Rows moved: a logged row is found at another place."""
    TRUNCATED = "truncated"
    """The store ends before the checkpoint's size, or history before a
    remembered checkpoint was rewritten."""
    BAD_SIGNATURE = "bad-signature"
    """A checkpoint note failed to open: edited, unsigned by a trusted key,
    malformed or for another origin."""
    REPLAYED = "replayed"
    """An event appears twice: the same stream version, or the same stored body
    again in its stream."""
    LOG_MISMATCH = "log-mismatch"
    """The log's own leaves do not reproduce the checkpoint, so they cannot be
    used to locate a fault."""


@attrs.frozen(kw_only=True)
class AuditFault:
    """One problem the audit found.

    Attributes:
        kind: What kind of fault.
        position: The first store position concerned, or None if the fault is about
            the log as a whole (a bad signature, a rewritten prefix).
        index: The leaf index concerned, when known.
        detail: A sentence for the auditor.
    """

    kind: FaultKind
    position: int | None
    index: int | None
    detail: str


@attrs.frozen(kw_only=True)
class AuditResult:
    """The outcome of :func:`verify_rows`.

    Attributes:
        rows: How many rows were checked.
        root: The tree head recomputed over all rows.
        checkpoint: The trusted checkpoint the rows were compared with, if any.
        unlogged: Rows after the checkpoint's size, which it does not cover.
        faults: Every fault found, whole-log faults first, then by position.
    """

    rows: int
    root: bytes
    checkpoint: Checkpoint | None
    unlogged: int
    faults: tuple[AuditFault, ...]

    @property
    def ok(self) -> bool:
        """True if no fault was found."""
        return not self.faults

    @property
    def first_fault(self) -> AuditFault | None:
        """The fault to report first, or None."""
        return self.faults[0] if self.faults else None

    @property
    def first_bad_position(self) -> int | None:
        """The lowest store position named by a fault, or None."""
        positions = [f.position for f in self.faults if f.position is not None]
        return min(positions, default=None)


def _open(
    note: Checkpoint | str,
    verifiers: Sequence[SignatureVerifier],
    origin: str | None,
    what: str,
) -> Checkpoint | AuditFault:
    if isinstance(note, Checkpoint):
        if origin is not None and note.origin != origin:
            detail = f"the {what} is for {note.origin!r}, expected {origin!r}"
            return AuditFault(
                kind=FaultKind.BAD_SIGNATURE, position=None, index=None, detail=detail
            )
        return note
    try:
        return open_checkpoint(note, verifiers, origin=origin).checkpoint
    except CheckpointRejected as exc:
        return AuditFault(
            kind=FaultKind.BAD_SIGNATURE,
            position=None,
            index=None,
            detail=f"the {what} is rejected: {exc}",
        )


def verify_rows(  # noqa: PLR0913 - the auditor's inputs, all optional but the rows
    rows: Iterable[StoredRow],
    checkpoint: Checkpoint | str | None = None,
    *,
    verifiers: Sequence[SignatureVerifier] = (),
    origin: str | None = None,
    log: LogSnapshot | None = None,
    previous: Checkpoint | str | None = None,
    proof: Sequence[bytes] | None = None,
) -> AuditResult:
    """Audit the store's rows against a trusted checkpoint and the log's leaves.

    The rows must be every row of the store from the first, in position order (as
    :func:`untoc_adapters.audit.rows.read_rows` returns them).

    Args:
        rows: The stored rows.
        checkpoint: The latest checkpoint: a signed note (opened with
            ``verifiers``), an already trusted :class:`Checkpoint`, or None to run
            only the per-stream checks.
        verifiers: The trusted keys for the notes.
        origin: The log origin the checkpoints must state; None accepts any.
        log: The log's leaves, used to name the first bad position when the rows
            do not reproduce the checkpoint.
        previous: An older checkpoint the auditor remembers (note or trusted
            checkpoint); the rows must extend it.
        proof: The log's consistency proof from ``previous`` to ``checkpoint``, to
            verify as well.

    Returns:
        The result, with every fault found.

    Raises:
        InvalidInput: the rows are not in strictly increasing position order.
    """
    listed = list(rows)
    for before, after in itertools.pairwise(listed):
        if after.position <= before.position:
            msg = (
                f"rows must come in increasing position order: {after.position} "
                f"follows {before.position}"
            )
            raise InvalidInput(msg)
    times = [leaf.logged_at for leaf in log.leaves] if log is not None else []
    leaves = [
        LeafData.from_row(i, row, times[i] if i < len(times) else "")
        for i, row in enumerate(listed)
    ]
    hashes = [leaf.leaf_hash() for leaf in leaves]
    root = tree_root(hashes)

    trusted: Checkpoint | None = None
    whole: list[AuditFault] = []
    located: list[AuditFault] = []
    if checkpoint is not None:
        opened = _open(checkpoint, verifiers, origin, "checkpoint")
        if isinstance(opened, AuditFault):
            return AuditResult(
                rows=len(listed),
                root=root,
                checkpoint=None,
                unlogged=0,
                faults=(opened,),
            )
        trusted = opened
        fault = _against_checkpoint(listed, leaves, hashes, trusted, log)
        if fault is not None:
            (whole if fault.position is None else located).append(fault)
    if previous is not None:
        opened_previous = _open(previous, verifiers, origin, "remembered checkpoint")
        if isinstance(opened_previous, AuditFault):
            whole.append(opened_previous)
        else:
            whole.extend(_against_previous(hashes, opened_previous, trusted, proof))
    located.extend(_stream_faults(leaves))
    located.sort(key=lambda f: f.position or 0)
    unlogged = max(0, len(listed) - trusted.size) if trusted is not None else 0
    return AuditResult(
        rows=len(listed),
        root=root,
        checkpoint=trusted,
        unlogged=unlogged,
        faults=(*whole, *located),
    )


def _against_checkpoint(
    rows: list[StoredRow],
    leaves: list[LeafData],
    hashes: list[bytes],
    trusted: Checkpoint,
    log: LogSnapshot | None,
) -> AuditFault | None:
    size = trusted.size
    if len(rows) >= size and tree_root(hashes[:size]) == trusted.root:
        return None
    if log is None or log.size < size or log.root(size) != trusted.root:
        if len(rows) < size and log is None:
            return AuditFault(
                kind=FaultKind.TRUNCATED,
                position=None,
                index=len(rows),
                detail=f"the store has {len(rows)} rows; the checkpoint covers {size}",
            )
        detail = (
            "the rows do not reproduce the checkpoint root; give the log's leaves to "
            "locate the fault"
            if log is None
            else "the log's leaves do not reproduce the checkpoint root either"
        )
        kind = FaultKind.ALTERED if log is None else FaultKind.LOG_MISMATCH
        return AuditFault(kind=kind, position=None, index=None, detail=detail)
    return _first_difference(rows, leaves, hashes, log, size)


def _first_difference(
    rows: list[StoredRow],
    leaves: list[LeafData],
    hashes: list[bytes],
    log: LogSnapshot,
    size: int,
) -> AuditFault:
    logged = log.leaves[:size]
    by_event = {(leaf.stream, leaf.version): leaf.index for leaf in logged}
    by_body = {leaf.state_sha256: leaf.index for leaf in logged}
    present = {row.position for row in rows}
    for i in range(size):
        want = logged[i]
        if i >= len(rows):
            return AuditFault(
                kind=FaultKind.TRUNCATED,
                position=want.position,
                index=i,
                detail=(
                    f"the store ends after {len(rows)} rows; leaf {i} "
                    f"({want.stream}@{want.version}) is gone"
                ),
            )
        if hashes[i] == log.leaf_hashes[i]:
            continue
        got = leaves[i]
        if want.position not in present and want.position < got.position:
            return AuditFault(
                kind=FaultKind.MISSING,
                position=want.position,
                index=i,
                detail=f"the row of leaf {i} ({want.stream}@{want.version}) is gone",
            )
        moved = by_event.get((got.stream, got.version), i)
        if moved == i:
            moved = by_body.get(got.state_sha256, i)
        if moved != i:
            return AuditFault(
                kind=FaultKind.REORDERED,
                position=got.position,
                index=i,
                detail=(
                    f"position {got.position} holds what the log has as leaf {moved}, "
                    f"not leaf {i}"
                ),
            )
        changed = [
            name
            for name in ("position", "stream", "version", "topic", "state_sha256")
            if getattr(got, name) != getattr(want, name)
        ]
        return AuditFault(
            kind=FaultKind.ALTERED,
            position=got.position,
            index=i,
            detail=f"leaf {i} differs from the log in {', '.join(changed)}",
        )
    msg = "the rows reproduce the log but not its checkpoint"  # pragma: no cover
    raise AssertionError(msg)  # pragma: no cover - the caller compared the roots


def _against_previous(
    hashes: list[bytes],
    previous: Checkpoint,
    trusted: Checkpoint | None,
    proof: Sequence[bytes] | None,
) -> list[AuditFault]:
    faults: list[AuditFault] = []
    newest = trusted.size if trusted is not None else len(hashes)
    if trusted is not None and trusted.origin != previous.origin:
        detail = (
            f"the remembered checkpoint is for {previous.origin!r}, "
            f"the checkpoint for {trusted.origin!r}"
        )
        return [
            AuditFault(
                kind=FaultKind.BAD_SIGNATURE, position=None, index=None, detail=detail
            )
        ]
    if previous.size > newest or previous.size > len(hashes):
        detail = (
            f"the log shrank: the remembered checkpoint has {previous.size} leaves, "
            f"now there are {min(newest, len(hashes))}"
        )
        return [
            AuditFault(
                kind=FaultKind.TRUNCATED, position=None, index=None, detail=detail
            )
        ]
    if (
        proof is not None
        and trusted is not None
        and not verify_consistency(
            previous.size, trusted.size, previous.root, trusted.root, proof
        )
    ):
        detail = (
            f"the consistency proof from size {previous.size} to {trusted.size} "
            "does not verify"
        )
        faults.append(
            AuditFault(
                kind=FaultKind.TRUNCATED, position=None, index=None, detail=detail
            )
        )
    if tree_root(hashes[: previous.size]) != previous.root:
        detail = (
            f"the first {previous.size} rows no longer reproduce the remembered "
            "checkpoint: history was rewritten"
        )
        faults.append(
            AuditFault(
                kind=FaultKind.TRUNCATED, position=None, index=None, detail=detail
            )
        )
    return faults


def _stream_faults(rows: list[LeafData]) -> list[AuditFault]:
    faults: list[AuditFault] = []
    versions: dict[str, int] = {}
    seen: set[tuple[str, int]] = set()
    bodies: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.stream, row.version)
        body = (row.stream, row.state_sha256)
        last = versions.get(row.stream, 0)
        if key in seen:
            faults.append(
                AuditFault(
                    kind=FaultKind.REPLAYED,
                    position=row.position,
                    index=None,
                    detail=f"{row.stream}@{row.version} appears a second time",
                )
            )
        elif body in bodies:
            faults.append(
                AuditFault(
                    kind=FaultKind.REPLAYED,
                    position=row.position,
                    index=None,
                    detail=(
                        f"{row.stream}@{row.version} repeats the stored body of the "
                        f"row at position {bodies[body]}"
                    ),
                )
            )
        elif row.version < last:
            faults.append(
                AuditFault(
                    kind=FaultKind.REORDERED,
                    position=row.position,
                    index=None,
                    detail=f"{row.stream}@{row.version} comes after version {last}",
                )
            )
        elif row.version != last + 1:
            faults.append(
                AuditFault(
                    kind=FaultKind.MISSING,
                    position=row.position,
                    index=None,
                    detail=(f"{row.stream} jumps from version {last} to {row.version}"),
                )
            )
        seen.add(key)
        bodies.setdefault(body, row.position)
        versions[row.stream] = max(last, row.version)
    return faults
