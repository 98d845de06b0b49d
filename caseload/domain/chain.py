"""The hash chain that makes the append-only records tamper-evident (DESIGN §6).

Every row of a chained table (the assignment history, the case changes) carries

    hash = sha256_hex(previous + encode(values))

where `values` are the row's stored values, id first, in the table's column order, and
`previous` is the stored hash of the row before it (in id order), or GENESIS for the
first row. Changing, deleting or inserting a row anywhere but at the end changes what
the next row's hash should be, so the first row that no longer matches names where the
record was touched.

Invariants:
- `encode` is unambiguous: two different lists of values never give the same text. It
  is compact JSON of the list: strings are quoted and escaped, numbers are not, null is
  not a string, so `[1,"a"]`, `["1","a"]` and `[1,"a",null]` all differ. Bytes (which
  caseload never writes, but raw SQL can) encode as `{"blob": hex}`, and text that was
  not valid UTF-8 comes back as its original bytes (surrogateescape), so any row a
  database can hold encodes without error.
- `previous` is either GENESIS or 64 hex digits, and an encoding always starts with `[`,
  so `previous + encode(values)` splits back into its two parts in one way only.
- Verification is one pass over rows given one at a time: time linear in their number,
  memory constant; it never needs the rows in a list.

What the chain does not prove: it has no secret key, so someone who rewrites rows and
then recomputes every later hash with this arithmetic is not detected, nor is the
removal of the last rows. It finds a change made with plain SQL, by someone who dropped
the triggers first, anywhere before the end of the record.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Iterator, Sequence

GENESIS = "caseload hash chain, genesis"


def _unusual(value: object) -> object:
    if isinstance(value, bytes):
        return {"blob": value.hex()}
    raise TypeError(f"a {type(value).__name__} cannot be part of a chained row")


# One encoder, made once: json.dumps with non-default options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_unusual)


def _public_encode(values: list | tuple) -> str:
    return _ENCODER.encode(values)


def _fastest_encode():
    """JSONEncoder.encode builds the C encoder anew for every call; building it once saves
    a third of the cost of hashing a row (CSV intake hashes one per case). It is the same
    C encoder with the same options, so the text is the same: checked here on rows of
    every kind, else the public path is used."""
    try:
        iterencode = json.encoder.c_make_encoder(
            None, _unusual, json.encoder.encode_basestring, None, ":", ",", False, False, True)

        def fast(values: list | tuple) -> str:
            return "".join(iterencode(values, 0))

        samples = [(1, "C-0001", None, "é\n\"\\\u2028", 1.5, b"\x00"), [], [None], ["\udce9"]]
        if all(fast(sample) == _public_encode(sample) for sample in samples):
            return fast
    except Exception:  # another Python's json internals: the public path is just as right
        pass
    return _public_encode


_encode = _fastest_encode()


def encode(values: Sequence[object]) -> str:
    """The canonical text of one row's values (ints, floats, strings, None, bytes)."""
    return _encode(values if isinstance(values, (list, tuple)) else list(values))


def link(previous: str, values: Sequence[object]) -> str:
    """The hash of a row whose predecessor's hash is `previous` (GENESIS for the first row)."""
    return hashlib.sha256((previous + encode(values)).encode("utf-8", "surrogateescape")).hexdigest()


def chain(previous: str, rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The hash of each row in turn, the first chained to `previous`."""
    for values in rows:
        previous = link(previous, values)
        yield previous


def first_broken(rows: Iterable[Sequence[object]]) -> object | None:
    """The id of the first row whose stored hash does not match, or None if all do.

    Each row is its values, id first, followed by its stored hash (the table's rows in id
    order, as `SELECT id, ..., hash ... ORDER BY id` gives them). After a row that does
    not match, the rows after it say nothing more, so the search stops there.
    """
    previous = GENESIS
    for row in rows:
        stored = row[-1]
        if stored != link(previous, row[:-1]):
            return row[0]
        previous = stored
    return None
