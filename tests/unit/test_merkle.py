"""RFC 6962 / RFC 9162 Merkle hashing: known answers, properties, bad proofs.

The known answers are the reference vectors shared by the Certificate Transparency
implementations and the Go ``transparency-dev/merkle`` suite: eight leaves, the
tree heads of the first 1 to 8 of them, and a handful of inclusion and consistency
proofs. Test names with a case id follow the confidentiality research (section 3).
"""

# ruff: noqa: N802 - test names carry the research's case ids (T31, T32)

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from untoc_core.audit.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    tree_root,
    tree_roots,
    verify_consistency,
    verify_inclusion,
)
from untoc_core.errors import InvalidInput

LEAF_DATA = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
LEAVES = [leaf_hash(d) for d in LEAF_DATA]

ROOTS = {
    size: bytes.fromhex(h)
    for size, h in {
        1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    }.items()
}

H_96A2 = "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"
H_5F08 = "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"
H_6B47 = "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"
H_BC1A = "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"
H_CA85 = "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"
H_0EBC = "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"
R_1 = "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
R_2 = "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
R_4 = "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"

# (zero-based leaf index, tree size, audit path)
INCLUSION = [
    (0, 8, [H_96A2, H_5F08, H_6B47]),
    (5, 8, [H_BC1A, H_CA85, R_4]),
    (2, 3, [R_2]),
    (1, 5, [R_1, H_5F08, H_BC1A]),
]

# (old size, new size, proof)
CONSISTENCY = [
    (1, 1, []),
    (1, 8, [H_96A2, H_5F08, H_6B47]),
    (6, 8, [H_0EBC, H_CA85, R_4]),
    (2, 5, [H_5F08, H_BC1A]),
]

SOME_HASH = bytes.fromhex(
    "abacaba000000000000000000000000000000000000000000060061e00123456"
)


def hexes(proof: list[bytes]) -> list[str]:
    return [p.hex() for p in proof]


def test_the_empty_tree_head_is_the_hash_of_nothing() -> None:
    assert tree_root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_leaves_and_nodes_are_domain_separated() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert leaf_hash(b"\x01" + LEAVES[0] + LEAVES[1]) != tree_root(LEAVES[:2])


@pytest.mark.parametrize("size", range(1, 9))
def test_tree_heads_match_the_reference_vectors(size: int) -> None:
    assert tree_root(LEAVES[:size]) == ROOTS[size]


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_inclusion_proofs_match_the_reference_vectors(
    index: int, size: int, expected: list[str]
) -> None:
    proof = inclusion_proof(index, LEAVES[:size])
    assert hexes(proof) == expected
    assert verify_inclusion(index, size, LEAVES[index], proof, ROOTS[size])
    assert root_from_inclusion(index, size, LEAVES[index], proof) == ROOTS[size]


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY)
def test_consistency_proofs_match_the_reference_vectors(
    old: int, new: int, expected: list[str]
) -> None:
    proof = consistency_proof(old, LEAVES[:new])
    assert hexes(proof) == expected
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)


def test_a_single_leaf_tree_is_its_own_root_with_an_empty_path() -> None:
    one = leaf_hash(b"data")
    assert tree_root([one]) == one
    assert inclusion_proof(0, [one]) == []
    assert verify_inclusion(0, 1, one, [], one)
    assert not verify_inclusion(0, 1, one, [], EMPTY_ROOT)
    assert not verify_inclusion(0, 1, b"", [], one)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (2, 1), (-1, 4)])
def test_impossible_indexes_never_verify(index: int, size: int) -> None:
    assert not verify_inclusion(index, size, SOME_HASH, [], EMPTY_ROOT)
    assert root_from_inclusion(index, size, SOME_HASH, []) is None


def test_proofs_for_impossible_sizes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="not in a tree"):
        inclusion_proof(8, LEAVES)
    with pytest.raises(InvalidInput, match="cannot prove consistency"):
        consistency_proof(9, LEAVES)
    assert consistency_proof(0, LEAVES) == []


def test_a_large_tree_is_built_and_proved() -> None:
    leaves = [leaf_hash(i.to_bytes(4, "big")) for i in range(100_000)]
    root = tree_root(leaves)
    proof = inclusion_proof(77_777, leaves)
    assert len(proof) == 17
    assert verify_inclusion(77_777, 100_000, leaves[77_777], proof, root)
    old = tree_root(leaves[:65_537])
    assert verify_consistency(
        65_537, 100_000, old, root, consistency_proof(65_537, leaves)
    )


# --- T31: inclusion proofs that must fail ---------------------------------------


@pytest.mark.parametrize(("index", "size", "expected"), INCLUSION)
def test_T31_an_inclusion_proof_with_a_wrong_index_leaf_or_size_is_false(
    index: int, size: int, expected: list[str]
) -> None:
    proof = [bytes.fromhex(h) for h in expected]
    root, leaf = ROOTS[size], LEAVES[index]
    assert verify_inclusion(index, size, leaf, proof, root)
    wrong = [
        (index - 1, size, leaf, proof, root),
        (index + 1, size, leaf, proof, root),
        (index ^ 2, size, leaf, proof, root),
        (index, size * 2, leaf, proof, root),
        (index, size // 2, leaf, proof, root),
        (index, size, leaf_hash(b"WrongLeaf"), proof, root),
        (index, size, LEAVES[(index + 1) % size], proof, root),
        (index, size, leaf, proof, EMPTY_ROOT),
        (index, size, leaf, proof, SOME_HASH),
        (index, size, leaf, [*proof, b""], root),
        (index, size, leaf, [*proof, root], root),
        (index, size, leaf, [b"", *proof], root),
        (index, size, leaf, [root, *proof], root),
        (index, size, leaf, proof[:-1], root),
    ]
    if len(proof) > 1:
        wrong.append((index, size, leaf, [proof[0], SOME_HASH, *proof[1:]], root))
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([flipped[position][0] ^ 8]) + flipped[position][1:]
        wrong.append((index, size, leaf, flipped, root))
    accepted = [case for case in wrong if verify_inclusion(*case)]
    assert accepted == []


# --- T32: consistency proofs that must fail -------------------------------------


@pytest.mark.parametrize(("old", "new", "expected"), CONSISTENCY[1:])
def test_T32_consistency_with_first_above_second_or_a_wrong_old_root_is_false(
    old: int, new: int, expected: list[str]
) -> None:
    proof = [bytes.fromhex(h) for h in expected]
    old_root, new_root = ROOTS[old], ROOTS[new]
    assert verify_consistency(old, new, old_root, new_root, proof)
    wrong = [
        (new, old, new_root, old_root, proof),  # first > second
        (new, old, old_root, new_root, proof),
        (old, new, SOME_HASH, new_root, proof),  # wrong old root
        (old, new, ROOTS[old % 8 + 1], new_root, proof),
        (old, new, old_root, SOME_HASH, proof),
        (old, new, new_root, old_root, proof),
        (old - 1, new, old_root, new_root, proof),
        (old + 1, new, old_root, new_root, proof),
        (old ^ 2, new, old_root, new_root, proof),
        (old, new * 2, old_root, new_root, proof),
        (old, new // 2, old_root, new_root, proof),
        (old, new, old_root, new_root, []),
        (old, new, old_root, new_root, [*proof, old_root]),
        (old, new, old_root, new_root, [*proof, b""]),
        (old, new, old_root, new_root, [new_root, *proof]),
        (old, new, old_root, new_root, [proof[0], *proof]),
        (old, new, old_root, new_root, proof[:-1]),
    ]
    for position in range(len(proof)):
        flipped = list(proof)
        flipped[position] = bytes([flipped[position][0] ^ 16]) + flipped[position][1:]
        wrong.append((old, new, old_root, new_root, flipped))
    accepted = [case[:2] for case in wrong if verify_consistency(*case)]
    assert accepted == []


@pytest.mark.parametrize(
    ("old", "new", "old_root", "new_root", "proof", "expected"),
    [
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [], True),
        (0, 5, EMPTY_ROOT, ROOTS[5], [], True),
        (0, 5, ROOTS[1], ROOTS[5], [], False),
        (3, 3, ROOTS[3], ROOTS[3], [], True),
        (3, 3, ROOTS[3], ROOTS[4], [], False),
        (3, 3, ROOTS[3], ROOTS[3], [EMPTY_ROOT], False),
        (2, 1, ROOTS[2], ROOTS[1], [], False),
        (1, 2, ROOTS[1], ROOTS[2], [], False),
    ],
)
def test_T32_edge_sizes_of_consistency(  # noqa: PLR0917
    old: int,
    new: int,
    old_root: bytes,
    new_root: bytes,
    proof: list[bytes],
    expected: bool,
) -> None:
    assert verify_consistency(old, new, old_root, new_root, proof) is expected


# --- properties ------------------------------------------------------------------

leaf_lists = st.lists(st.binary(max_size=12), min_size=1, max_size=70).map(
    lambda data: [leaf_hash(d) for d in data]
)


@settings(max_examples=60, deadline=None)
@given(leaves=leaf_lists, pick=st.integers(min_value=0))
def test_every_inclusion_proof_verifies_and_a_mutated_one_fails(
    leaves: list[bytes], pick: int
) -> None:
    size = len(leaves)
    root = tree_root(leaves)
    index = pick % size
    proof = inclusion_proof(index, leaves)
    assert verify_inclusion(index, size, leaves[index], proof, root)
    assert not verify_inclusion(index, size, SOME_HASH, proof, root)
    if proof:
        spot = pick % len(proof)
        mutated = list(proof)
        mutated[spot] = bytes([mutated[spot][0] ^ 1]) + mutated[spot][1:]
        assert not verify_inclusion(index, size, leaves[index], mutated, root)


@settings(max_examples=60, deadline=None)
@given(leaves=leaf_lists, pick=st.integers(min_value=0))
def test_every_consistency_proof_verifies_and_a_mutated_one_fails(
    leaves: list[bytes], pick: int
) -> None:
    size = len(leaves)
    old = pick % (size + 1)
    old_root, new_root = tree_root(leaves[:old]), tree_root(leaves)
    proof = consistency_proof(old, leaves)
    assert verify_consistency(old, size, old_root, new_root, proof)
    if proof:
        spot = pick % len(proof)
        mutated = list(proof)
        mutated[spot] = bytes([mutated[spot][0] ^ 1]) + mutated[spot][1:]
        assert not verify_consistency(old, size, old_root, new_root, mutated)
        assert not verify_consistency(old, size, SOME_HASH, new_root, proof)


@settings(max_examples=40, deadline=None)
@given(leaves=leaf_lists)
def test_the_root_equals_the_recursive_definition(leaves: list[bytes]) -> None:
    def reference(part: list[bytes]) -> bytes:
        if len(part) == 1:
            return part[0]
        k = 1
        while k * 2 < len(part):
            k *= 2
        return node_hash(reference(part[:k]), reference(part[k:]))

    assert tree_root(leaves) == reference(leaves)


def test_the_heads_of_several_sizes_are_those_of_rfc_9162() -> None:
    assert tree_roots(LEAVES, [8, 1, 5, 5, 3]) == {n: ROOTS[n] for n in (1, 3, 5, 8)}
    assert tree_roots(LEAVES, [0]) == {0: EMPTY_ROOT}
    assert tree_roots(LEAVES, []) == {}


@settings(max_examples=60)
@given(
    count=st.integers(0, 70),
    sizes=st.lists(st.integers(0, 70), max_size=8),
)
def test_the_heads_of_several_sizes_are_each_prefix_s_head(
    count: int, sizes: list[int]
) -> None:
    hashes = [leaf_hash(i.to_bytes(2, "big")) for i in range(count)]
    asked = [s for s in sizes if s <= count]
    assert tree_roots(hashes, asked) == {s: tree_root(hashes[:s]) for s in asked}


@pytest.mark.parametrize("size", [-1, 9])
def test_a_head_of_a_size_the_leaves_do_not_have_is_refused(size: int) -> None:
    with pytest.raises(InvalidInput, match="8 leaves"):
        tree_roots(LEAVES, [3, size])
