"""RFC 9162 (and RFC 6962) Merkle tree hashing, inclusion and consistency proofs.

Hashes are SHA-256 with the domain separation of RFC 9162 section 2.1.1:

* a leaf is ``SHA-256(0x00 || data)``;
* an interior node is ``SHA-256(0x01 || left || right)``;
* the empty tree's head is ``SHA-256("")``.

The tree over ``n`` leaves splits at the largest power of two smaller than ``n``:
the left part is always a perfect subtree. Every function here works on a list of
leaf hashes (what a log keeps), runs in loops rather than deep recursion, and
computes a root in O(n) time, so trees of hundreds of thousands of leaves are fine.

The verifiers never raise on bad input: a malformed proof, a hash of the wrong
length or an impossible size simply does not verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Final

from untoc_core.errors import InvalidInput

HASH_SIZE: Final = 32
"""Length in bytes of every hash in the tree (SHA-256)."""

EMPTY_ROOT: Final = hashlib.sha256(b"").digest()
"""The head of the tree with no leaves."""

_LEAF_PREFIX: Final = b"\x00"
_NODE_PREFIX: Final = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """Hash one leaf's data.

    Args:
        data: The leaf's bytes, as logged.

    Returns:
        ``SHA-256(0x00 || data)``.
    """
    return hashlib.sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash an interior node from its two children.

    Args:
        left: The left child's hash.
        right: The right child's hash.

    Returns:
        ``SHA-256(0x01 || left || right)``.
    """
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two strictly smaller than ``size`` (``size`` >= 2)."""
    return 1 << ((size - 1).bit_length() - 1)


def tree_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The Merkle tree head over ``leaf_hashes``, in O(n) time and O(log n) memory.

    Leaves are folded into a stack of perfect subtrees (one per set bit of the
    count, largest first); the stack is then folded from the right, which gives
    exactly the RFC 9162 split at the largest power of two.

    Args:
        leaf_hashes: The leaves' hashes, in log order.

    Returns:
        The 32-byte root; :data:`EMPTY_ROOT` for no leaves.
    """
    stack: list[tuple[bytes, int]] = []
    for value in leaf_hashes:
        _push(stack, value)
    return _head(stack)


def tree_roots(leaf_hashes: Sequence[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """The tree heads over the first ``size`` leaves, for each of ``sizes``.

    One pass over the leaves, however many sizes are asked for: each head is
    folded from the stack of perfect subtrees as the pass reaches its size, so
    checking every checkpoint of a log costs O(n + k log n), not O(k n).

    Args:
        leaf_hashes: The leaves' hashes, in log order.
        sizes: How many leaves each head covers.

    Returns:
        Each size's 32-byte root.

    Raises:
        InvalidInput: a size is negative or above the number of leaves.
    """
    wanted = sorted(set(sizes))
    if wanted and not 0 <= wanted[0] <= wanted[-1] <= len(leaf_hashes):
        msg = f"there are {len(leaf_hashes)} leaves, not {wanted[0]} or {wanted[-1]}"
        raise InvalidInput(msg)
    roots: dict[int, bytes] = {}
    stack: list[tuple[bytes, int]] = []
    count = 0
    for size in wanted:
        while count < size:
            _push(stack, leaf_hashes[count])
            count += 1
        roots[size] = _head(stack)
    return roots


def _push(stack: list[tuple[bytes, int]], value: bytes) -> None:
    """Add one leaf to a stack of perfect subtrees (height by height)."""
    current, height = value, 0
    while stack and stack[-1][1] == height:
        left, _ = stack.pop()
        current = node_hash(left, current)
        height += 1
    stack.append((current, height))


def _head(stack: list[tuple[bytes, int]]) -> bytes:
    """The tree head of a stack of perfect subtrees, folded from the right."""
    if not stack:
        return EMPTY_ROOT
    root = stack[-1][0]
    for left, _ in reversed(stack[:-1]):
        root = node_hash(left, root)
    return root


def inclusion_proof(index: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree over ``leaf_hashes``.

    The path lists sibling subtree roots from the leaf upwards (RFC 9162 section
    2.1.3.1).

    Args:
        index: Zero-based index of the leaf.
        leaf_hashes: The whole tree's leaf hashes.

    Returns:
        The proof; empty for a tree of one leaf.

    Raises:
        InvalidInput: ``index`` is not a leaf of the tree.
    """
    size = len(leaf_hashes)
    if not 0 <= index < size:
        msg = f"leaf {index} is not in a tree of {size} leaves"
        raise InvalidInput(msg)
    downward: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            downward.append(tree_root(leaf_hashes[lo + k : hi]))
            hi = lo + k
        else:
            downward.append(tree_root(leaf_hashes[lo : lo + k]))
            lo += k
    downward.reverse()
    return downward


def root_from_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]
) -> bytes | None:
    """The root an inclusion proof leads to, or None if the proof cannot fit.

    Follows RFC 9162 section 2.1.3.2.

    Args:
        index: Zero-based index the leaf is claimed to have.
        size: Size of the tree the proof is for.
        leaf_hash: The leaf's hash.
        proof: The audit path.

    Returns:
        The computed root, or None when the index, size, lengths or proof length
        are impossible.
    """
    if not 0 <= index < size or len(leaf_hash) != HASH_SIZE:
        return None
    fn, sn, result = index, size - 1, leaf_hash
    for sibling in proof:
        if sn == 0 or len(sibling) != HASH_SIZE:
            return None
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        return None
    return result


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` puts ``leaf_hash`` at ``index`` in the tree ``root``.

    Args:
        index: Zero-based index of the leaf.
        size: Number of leaves of the tree whose head is ``root``.
        leaf_hash: The leaf's hash.
        proof: The audit path, from the leaf upwards.
        root: The tree head to check against.

    Returns:
        True only if the path leads from the leaf exactly to ``root``.
    """
    computed = root_from_inclusion(index, size, leaf_hash, proof)
    return computed is not None and computed == root


def consistency_proof(old_size: int, leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The proof that the first ``old_size`` leaves are a prefix of the tree.

    Follows RFC 9162 section 2.1.4.1 (``PROOF(m, D[n])``), walked iteratively.

    Args:
        old_size: Size of the older tree.
        leaf_hashes: The newer tree's leaf hashes.

    Returns:
        The proof; empty when ``old_size`` is 0 or equals the tree's size.

    Raises:
        InvalidInput: ``old_size`` is negative or larger than the tree.
    """
    size = len(leaf_hashes)
    if not 0 <= old_size <= size:
        msg = f"cannot prove consistency from size {old_size} to size {size}"
        raise InvalidInput(msg)
    if old_size in {0, size}:
        return []
    upward: list[bytes] = []
    lo, hi, m, whole = 0, size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            upward.append(tree_root(leaf_hashes[lo + k : hi]))
            hi = lo + k
        else:
            upward.append(tree_root(leaf_hashes[lo : lo + k]))
            lo += k
            m -= k
            whole = False
    upward.reverse()
    if whole:
        return upward
    return [tree_root(leaf_hashes[lo:hi]), *upward]


def verify_consistency(  # noqa: C901, PLR0911, PLR0912 - one algorithm, kept in one piece as in the RFC
    old_size: int,
    new_size: int,
    old_root: bytes,
    new_root: bytes,
    proof: Sequence[bytes],
) -> bool:
    """Whether ``proof`` shows the tree ``old_root`` is a prefix of ``new_root``.

    Follows RFC 9162 section 2.1.4.2. Equal sizes need an empty proof and equal
    roots; an empty old tree is consistent with any tree when the proof is empty
    and ``old_root`` is the empty tree's head; an old size above the new one never
    verifies.

    Args:
        old_size: Size of the older tree.
        new_size: Size of the newer tree.
        old_root: Head of the older tree.
        new_root: Head of the newer tree.
        proof: The consistency proof.

    Returns:
        True only if the proof reconciles both heads.
    """
    if not 0 <= old_size <= new_size:
        return False
    if len(old_root) != HASH_SIZE or len(new_root) != HASH_SIZE:
        return False
    if any(len(p) != HASH_SIZE for p in proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
