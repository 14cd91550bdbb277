"""Draw files: a whole simulated cycle as one JSON document, and how to check one.

A draw file (format ``untoc-draw/1``) holds the inputs of a draw (seed, number of
years, the pool of States), the rules it kept, and everything drawn: the review
years, the reviewers of each State and the transcript of every lot. The document is
a deterministic function of its inputs and the rulebook, so it is checked by drawing
the cycle again from the document's own inputs and comparing the two documents, field
by field, in a fixed order: the first difference is reported by its JSON path (for
example ``$.reviews[3].reviewers[1]``). ``inputs_sha256`` (the SHA-256 of the
canonical JSON of the years and the pool, see :func:`inputs_sha256`) catches an
edited input even where the changed input would happen to give the same draw.

Top-level keys, in the order they are written::

    format          "untoc-draw/1"
    seed            the seed, lowercase hex (at least 16 bytes)
    years           the number of years of the cycle
    rules           {"rulebook", "min_reviews", "max_reviews"} (ToR 20)
    inputs_sha256   SHA-256 of the canonical JSON of {"years", "parties"}
    parties         the pool: code, regional_group, legal_traditions, protocols,
                    status; in code order, lists sorted
    review_years    {"1": [codes in draw order], ..., "N": [...]}
    reviews         [{"year", "under_review", "reviewers", "same_region_reviewer"}]
    transcript      the lots in draw order: first the review-year shuffles
                    {"label", "n", "value", "words"}, then the reviewer picks
                    {"label", "candidates", "candidates_sha256", "words", "choice"}
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any, NoReturn

import attrs

from untoc_adapters.solvers import default_solver
from untoc_core.drawing.inputs import party_json
from untoc_core.drawing.pool import DrawParty
from untoc_core.drawing.pool_csv import LEGAL_TRADITIONS
from untoc_core.drawing.simulate import CycleDraw, draw_cycle
from untoc_core.drawing.stream import Lot
from untoc_core.errors import DrawImpossible, InvalidInput
from untoc_core.ports import CompletionSolver
from untoc_core.rules import Rulebook, default_rulebook
from untoc_core.terms import Instrument, TreatyStatus

FORMAT = "untoc-draw/1"
"""The value of ``format`` in every draw file of this layout."""

TOP_LEVEL_KEYS = (
    "format",
    "seed",
    "years",
    "rules",
    "inputs_sha256",
    "parties",
    "review_years",
    "reviews",
    "transcript",
)
"""The keys of a draw file, in the order they are written and compared."""

MIN_SEED_BYTES = 16
MAX_YEARS = 100
"""The most years a simulated cycle may have: a guard against absurd input."""
_HEX = re.compile(r"[0-9a-fA-F]*")
_CODE = re.compile(r"[A-Z]{3}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PROTOCOLS = {p.value: p for p in Instrument.protocols()}
_STATUSES = {"party": TreatyStatus.PARTY, "signatory": TreatyStatus.SIGNATORY}
_SHOWN = 100  # characters of a value shown in a mismatch


@attrs.frozen(kw_only=True)
class Mismatch:
    """The first place where a draw file differs from what its replay gives.

    Attributes:
        path: The JSON path of the field, for example ``$.reviews[3].reviewers[1]``.
        expected: What the replay gives there (JSON text, or a description).
        found: What the file holds there (JSON text, or a description).
        note: Why it matters, when the path alone does not say.
    """

    path: str
    expected: str
    found: str
    note: str = ""

    def __str__(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.path}: expected {self.expected}, found {self.found}{note}"


class DrawFileInvalid(InvalidInput):
    """A draw file holds a value that cannot be replayed; ``mismatch`` says where."""

    def __init__(self, mismatch: Mismatch) -> None:
        super().__init__(str(mismatch))
        self.mismatch = mismatch


# -- writing -------------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """JSON text with sorted keys, no spaces and unescaped non-ASCII characters."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_sha256(years: Any, parties: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``{"years": ..., "parties": ...}``.

    ``parties`` are the JSON values of ``parties`` as they stand (see
    :func:`untoc_core.drawing.inputs.party_json`), put in code order first; the
    text hashed is the UTF-8 of :func:`canonical_json`. Values are hashed as given,
    so this also works on an edited or malformed document.
    """
    ordered = sorted(parties, key=_code_of) if isinstance(parties, list) else parties
    text = canonical_json({"parties": ordered, "years": years})
    # surrogatepass: a lone surrogate (never in a file load_document accepts) still
    # hashes, to some value no well-formed document has.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _code_of(party: Any) -> str:
    code = party.get("code") if isinstance(party, dict) else None
    return code if isinstance(code, str) else ""


def _lot_json(lot: Lot) -> dict[str, Any]:
    return {
        "label": lot.label,
        "n": lot.n,
        "value": lot.value,
        "words": list(lot.words),
    }


def draw_document(
    draw: CycleDraw,
    *,
    seed: bytes,
    years: int,
    pool: Sequence[DrawParty],
    rulebook: Rulebook,
) -> dict[str, Any]:
    """The draw file of a cycle drawn by :func:`draw_cycle` from these inputs."""
    parties = [party_json(p) for p in sorted(pool, key=lambda p: p.code)]
    return {
        "format": FORMAT,
        "seed": seed.hex(),
        "years": years,
        "rules": {
            "rulebook": rulebook.id,
            "min_reviews": rulebook.draw.min_reviews_per_cycle,
            "max_reviews": rulebook.draw.max_reviews_per_cycle,
        },
        "inputs_sha256": inputs_sha256(years, parties),
        "parties": parties,
        "review_years": {
            str(y): list(codes)
            for y, codes in enumerate(draw.years.review_years, start=1)
        },
        "reviews": [
            {
                "year": r.year,
                "under_review": r.under_review,
                "reviewers": list(r.reviewers),
                "same_region_reviewer": r.same_region_reviewer,
            }
            for r in draw.reviews
        ],
        "transcript": [
            *(_lot_json(lot) for lot in draw.years.lots),
            *(
                {
                    "label": p.label,
                    "candidates": p.candidates,
                    "candidates_sha256": p.candidates_sha256,
                    "words": list(p.words),
                    "choice": p.choice,
                }
                for p in draw.transcript
            ),
        ],
    }


def simulate_document(
    pool: Sequence[DrawParty],
    *,
    seed: bytes,
    years: int,
    rulebook: Rulebook | None = None,
    solver: CompletionSolver | None = None,
) -> dict[str, Any]:
    """Draw a whole cycle in memory and return its draw file.

    Args:
        pool: Every State of the cycle (see :mod:`untoc_core.drawing.pool_csv`).
        seed: At least 16 bytes.
        years: Years in the cycle, from 1 to ``MAX_YEARS``.
        rulebook: Gives the fewest and most reviews per State party (ToR 20);
            resolution 5/5 by default.
        solver: Any exact solver; ``default_solver()`` if not given. Every exact
            solver gives the same document.

    Raises:
        DrawImpossible: no draw keeps every rule; the refusal names the rule.
        InvalidInput: the seed is too short, or the years are out of range.
    """
    if len(seed) < MIN_SEED_BYTES:
        msg = f"a seed has at least {MIN_SEED_BYTES} bytes; this one has {len(seed)}"
        raise InvalidInput(msg)
    if not 1 <= years <= MAX_YEARS:
        msg = f"a simulated cycle has 1 to {MAX_YEARS} years, not {years}"
        raise InvalidInput(msg)
    book = rulebook or default_rulebook()
    draw = draw_cycle(
        pool,
        seed=seed,
        years=years,
        min_reviews=book.draw.min_reviews_per_cycle,
        max_reviews=book.draw.max_reviews_per_cycle,
        solver=solver or default_solver(),
    )
    return draw_document(draw, seed=seed, years=years, pool=pool, rulebook=book)


def dumps_document(document: Any) -> str:
    """The text of a draw file: indented JSON, UTF-8 characters kept, final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse_seed(text: str) -> bytes:
    """A seed given as hex digits (either case); at least 16 bytes.

    Raises:
        InvalidInput: the text is not an even number of hex digits, or too short.
    """
    if not _HEX.fullmatch(text):
        bad = next(c for c in text if not _HEX.fullmatch(c))
        msg = f"a seed is written in hex digits 0-9 and a-f; {bad!r} is not one"
        raise InvalidInput(msg)
    if len(text) % 2:
        msg = f"a seed has an even number of hex digits; this one has {len(text)}"
        raise InvalidInput(msg)
    if len(text) < 2 * MIN_SEED_BYTES:
        msg = (
            f"a seed has at least {MIN_SEED_BYTES} bytes ({2 * MIN_SEED_BYTES} hex "
            f"digits); this one has {len(text) // 2}"
        )
        raise InvalidInput(msg)
    return bytes.fromhex(text)


# -- reading -------------------------------------------------------------------------


def load_document(text: str, *, source: str) -> Any:
    """Parse the JSON of a draw file, refusing what JSON parsers disagree on.

    A key repeated in one object, ``NaN`` or ``Infinity``, and a string holding a
    lone surrogate (half of a UTF-16 pair, which is not text) are refused, so that
    every reader sees the same document.

    Raises:
        InvalidInput: the text is not such JSON; the message names the line.
    """
    try:
        document = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_constant=_no_constant,
        )
        canonical_json(document).encode("utf-8")
    except UnicodeEncodeError:
        msg = (
            f"{source}: not valid JSON for a draw file: a string holds a lone surrogate"
        )
        raise InvalidInput(msg) from None
    except json.JSONDecodeError as exc:
        msg = (
            f"{source}: not valid JSON: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno})"
        )
        raise InvalidInput(msg) from None
    except ValueError as exc:
        msg = f"{source}: not valid JSON for a draw file: {exc}"
        raise InvalidInput(msg) from None
    except RecursionError:
        msg = f"{source}: not valid JSON for a draw file: nested too deeply"
        raise InvalidInput(msg) from None
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            msg = f"the key {key!r} appears twice in one object"
            raise ValueError(msg)
        found[key] = value
    return found


def _no_constant(name: str) -> Any:
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def parties_from_json(value: Any, path: str = "$.parties") -> tuple[DrawParty, ...]:
    """The pool of a draw file's ``parties``, in code order.

    Raises:
        DrawFileInvalid: a value cannot be a State of a pool; names its path.
    """
    if not isinstance(value, list):
        _refuse(path, "a list of States", value)
    found: list[DrawParty] = []
    seen: set[str] = set()
    for i, item in enumerate(value):
        party = _party_from_json(item, f"{path}[{i}]")
        if party.code in seen:
            _refuse(f"{path}[{i}].code", "a code not listed before", party.code)
        seen.add(party.code)
        found.append(party)
    return tuple(sorted(found, key=lambda p: p.code))


def _party_from_json(item: Any, path: str) -> DrawParty:
    if not isinstance(item, dict):
        _refuse(path, "an object", item)
    for key in ("code", "regional_group", "legal_traditions", "protocols", "status"):
        if key not in item:
            _refuse(_member(path, key), f"a value for {key!r}", _MISSING)
    code = item["code"]
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        _refuse(_member(path, "code"), "a three-letter code such as AGO", code)
    group = item["regional_group"]
    if group is not None and (not isinstance(group, str) or not group.strip()):
        _refuse(_member(path, "regional_group"), "a group's name or null", group)
    traditions = _names(item, path, "legal_traditions", LEGAL_TRADITIONS)
    names = _names(item, path, "protocols", tuple(_PROTOCOLS))
    status = _STATUSES.get(item["status"]) if isinstance(item["status"], str) else None
    if status is None:
        _refuse(_member(path, "status"), '"party" or "signatory"', item["status"])
    if status is TreatyStatus.SIGNATORY and names:
        _refuse(
            _member(path, "protocols"),
            "[] for a signatory (Convention, art. 37(2))",
            names,
        )
    return DrawParty(
        code=code,
        regional_group=group,
        legal_traditions=frozenset(traditions),
        protocols=frozenset(_PROTOCOLS[p] for p in names),
        status=status,
    )


def _names(
    item: dict[str, Any], path: str, key: str, known: Sequence[str]
) -> list[str]:
    """The list ``item[key]``, each member one of ``known``."""
    where = _member(path, key)
    value = item[key]
    if not isinstance(value, list):
        _refuse(where, "a list", value)
    for i, name in enumerate(value):
        if name not in known:
            _refuse(f"{where}[{i}]", f"one of {', '.join(known)}", name)
    return value


def _refuse(path: str, expected: str, found: Any) -> NoReturn:
    """Raise :class:`DrawFileInvalid` for the value at ``path``."""
    raise DrawFileInvalid(Mismatch(path=path, expected=expected, found=_show(found)))


# -- comparing -----------------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


_MISSING: Any = _Missing()


def _show(value: Any) -> str:
    """A value as short JSON text, for a message."""
    if value is _MISSING:
        return "nothing (no such key)"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _member(path: str, key: str) -> str:
    """The path of a member: ``$.a`` for a plain name, ``$['1']`` otherwise."""
    if _NAME.fullmatch(key):
        return f"{path}.{key}"
    quoted = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{path}['{quoted}']"


def first_difference(expected: Any, found: Any, path: str = "$") -> Mismatch | None:
    """The first place where ``found`` differs from ``expected``, or ``None``.

    Objects are walked in the order of ``expected``'s keys, then ``found``'s keys that
    ``expected`` lacks; lists item by item, then a difference in length. Values of
    different JSON types differ (``1``, ``1.0`` and ``true`` are three values).
    """
    if isinstance(expected, dict):
        if not isinstance(found, dict):
            return Mismatch(path=path, expected=_show(expected), found=_show(found))
        return _object_difference(expected, found, path)
    if isinstance(expected, list):
        if not isinstance(found, list):
            return Mismatch(path=path, expected=_show(expected), found=_show(found))
        return _list_difference(expected, found, path)
    if type(expected) is not type(found) or expected != found:
        return Mismatch(path=path, expected=_show(expected), found=_show(found))
    return None


def _object_difference(
    expected: dict[str, Any], found: dict[str, Any], path: str
) -> Mismatch | None:
    for key, value in expected.items():
        diff = first_difference(value, found.get(key, _MISSING), _member(path, key))
        if diff is not None:
            return diff
    extra = next((key for key in found if key not in expected), None)
    if extra is None:
        return None
    return Mismatch(
        path=_member(path, extra),
        expected="nothing",
        found=_show(found[extra]),
        note="this key is not part of the format",
    )


def _list_difference(
    expected: list[Any], found: list[Any], path: str
) -> Mismatch | None:
    for i, (e, f) in enumerate(zip(expected, found, strict=False)):
        diff = first_difference(e, f, f"{path}[{i}]")
        if diff is not None:
            return diff
    if len(expected) == len(found):
        return None
    i = min(len(expected), len(found))
    return Mismatch(
        path=f"{path}[{i}]",
        expected=_show(expected[i]) if i < len(expected) else "nothing",
        found=_show(found[i]) if i < len(found) else "nothing",
        note=f"the list has {len(found)} items, not {len(expected)}",
    )


def verify_document(
    document: Any,
    *,
    rulebook: Rulebook | None = None,
    solver: CompletionSolver | None = None,
) -> Mismatch | None:
    """Check a draw file by drawing it again; ``None`` if every field matches.

    In order: the ``format``; ``inputs_sha256`` against the document's own
    ``years`` and ``parties``; that the seed, years and parties can be replayed;
    then the whole document against the one the replay gives (see
    :func:`first_difference`).

    Args:
        document: The parsed JSON (see :func:`load_document`).
        rulebook: The rules to replay with; resolution 5/5 by default.
        solver: Any exact solver; ``default_solver()`` if not given.

    Returns:
        The first mismatch, or ``None``.
    """
    if not isinstance(document, dict):
        return Mismatch(path="$", expected="a JSON object", found=_show(document))
    header = _header_mismatch(document)
    if header is not None:
        return header
    try:
        seed, years, pool = _inputs(document)
    except DrawFileInvalid as exc:
        return exc.mismatch
    book = rulebook or default_rulebook()
    try:
        if solver is None:
            replayed = json.loads(_replayed_text(seed, years, pool, book))
        else:
            replayed = simulate_document(
                pool, seed=seed, years=years, rulebook=book, solver=solver
            )
    except DrawImpossible as exc:
        return Mismatch(
            path="$.parties",
            expected="a pool that can be drawn",
            found="one that cannot",
            note=str(exc),
        )
    return first_difference(replayed, document)


def _header_mismatch(document: dict[str, Any]) -> Mismatch | None:
    """A wrong ``format``, a missing input, or an ``inputs_sha256`` that differs."""
    found_format = document.get("format", _MISSING)
    if type(found_format) is not str or found_format != FORMAT:
        return Mismatch(
            path="$.format",
            expected=_show(FORMAT),
            found=_show(found_format),
            note="not a draw file of this format",
        )
    for key in ("seed", "years", "parties"):
        if key not in document:
            return Mismatch(path=_member("$", key), expected="a value", found="nothing")
    recomputed = inputs_sha256(document["years"], document["parties"])
    stored = document.get("inputs_sha256", _MISSING)
    if type(stored) is not str or stored != recomputed:
        return Mismatch(
            path="$.inputs_sha256",
            expected=_show(recomputed),
            found=_show(stored),
            note="the SHA-256 of this file's years and parties: one of them, or the "
            "hash, was changed",
        )
    return None


def _inputs(document: dict[str, Any]) -> tuple[bytes, int, tuple[DrawParty, ...]]:
    """The seed, years and pool of a document, or ``DrawFileInvalid``."""
    seed_text = document["seed"]
    if not isinstance(seed_text, str):
        _refuse("$.seed", "a hex string", seed_text)
    try:
        seed = parse_seed(seed_text)
    except InvalidInput as exc:
        raise DrawFileInvalid(
            Mismatch(
                path="$.seed",
                expected=f"at least {2 * MIN_SEED_BYTES} hex digits",
                found=_show(seed_text),
                note=str(exc),
            )
        ) from None
    years = document["years"]
    if type(years) is not int or not 1 <= years <= MAX_YEARS:
        _refuse("$.years", f"a whole number of years from 1 to {MAX_YEARS}", years)
    return seed, years, parties_from_json(document["parties"])


@functools.lru_cache(maxsize=8)
def _replayed_text(
    seed: bytes, years: int, pool: tuple[DrawParty, ...], rulebook: Rulebook
) -> str:
    """The replayed document as JSON text, kept for documents with the same inputs.

    Checking many edited copies of one file replays it once; the text (not the
    dict) is kept so that no caller can change what the next one gets.
    """
    document = simulate_document(pool, seed=seed, years=years, rulebook=rulebook)
    return json.dumps(document)
