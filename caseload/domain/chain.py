"""The hash chain that makes the append-only records tamper-evident (DESIGN §6), and the
salted seal that lets personal data leave the record without breaking it.

A chained table's columns are of two kinds: public ones (ids, kinds, workers, actors,
times: what the record is about) and personal ones (free text: reasons, note text, the
old and new values of a case change; `Layout` names them). Every row carries

    seal = sha256_hex("seal:" + salt + encode(personal values))
    hash = sha256_hex(previous + encode(public values, id first, then seal))

where `salt` is random per row (32 hex digits, made by the store) and `previous` is the
stored hash of the row before it (in id order), or GENESIS for the first row. Changing,
deleting or inserting a row anywhere but at the end changes what the next row's hash
should be, so the first row that no longer matches names where the record was touched.

Erasure (retention, a request) deletes a row's personal values and its salt, and keeps
its seal: the chain still verifies, and what was erased cannot be guessed back from the
seal (the salt is gone with it). A row without a salt must hold only erased values
(`Layout.erased`): so raw SQL that drops a salt can erase text, never rewrite it.

Invariants:
- `encode` is unambiguous: two different lists of values never give the same text. It
  is compact JSON (`json.dumps` with fixed separators, keys sorted, text as itself):
  strings are quoted and escaped, numbers are not, null is not a string, so `[1,"a"]`,
  `["1","a"]` and `[1,"a",null]` all differ. Bytes (which caseload never writes, but raw
  SQL can) encode as `{"blob": hex}`, and text that was not valid UTF-8 comes back as its
  original bytes (surrogateescape), so any row a database can hold encodes without error.
- `previous` is either GENESIS or 64 hex digits, and an encoding always starts with `[`,
  so `previous + encode(values)` splits back into its two parts in one way only; a salt
  is 32 hex digits, so `salt + encode(values)` does too.
- Verification is one pass over rows given one at a time: time linear in their number,
  memory constant; it never needs the rows in a list.

What the chain alone does not prove: it has no secret key, so someone who rewrites rows
and recomputes every later hash with this arithmetic is not detected by it, nor is the
removal of the last rows. The witness (`domain.witness`, a copy of the chain's head kept
outside the database) is what finds those.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

GENESIS = "caseload hash chain, genesis"
SALT_HEX_DIGITS = 32


def _unusual(value: object) -> object:
    if isinstance(value, bytes):
        return {"blob": value.hex()}
    raise TypeError(f"a {type(value).__name__} cannot be part of a chained row")


# Made once: `json.dumps` with these options would build a new encoder for every row.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_unusual)
_encode = _ENCODER.encode


def encode(values: Sequence[object]) -> str:
    """The canonical text of one row's values (ints, floats, strings, None, bytes)."""
    return _encode(values if isinstance(values, (list, tuple)) else list(values))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def link(previous: str, values: Sequence[object]) -> str:
    """The hash of a row whose predecessor's hash is `previous` (GENESIS for the first row)."""
    return _sha256(previous + encode(values))


def seal(salt: str, personal: Sequence[object]) -> str:
    """What a row's hash commits to in place of its personal values: their salted hash."""
    return _sha256("seal:" + salt + encode(personal))


def chain(previous: str, rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The hash of each row in turn (each row its public values and seal), the first
    chained to `previous`."""
    for values in rows:
        previous = link(previous, values)
        yield previous


@dataclass(frozen=True)
class Layout:
    """How a chained table's rows are read for checking: `public` values (id first), then
    `personal` ones, then salt, seal and hash. `erased` holds what each personal column
    holds once erased (None, or a fixed text where the column may not be empty)."""

    public: int
    personal: int
    erased: tuple[object, ...]

    def sealed_row(self, row: Sequence[object], salt: str) -> tuple[tuple, str]:
        """(public values and seal, seal) of a new row: its values without salt or hashes."""
        personal = tuple(row[self.public:self.public + self.personal])
        sealed = seal(salt, personal)
        return (*row[:self.public], sealed), sealed

    def linked(self, previous: str, rows: Sequence[tuple], salts: Sequence[str],
               encoded: dict) -> tuple[list[tuple], str]:
        """New rows (each its public then personal values, a tuple) with their salt, seal and
        hash appended, the first chained to `previous`; and the last hash. What `sealed_row`
        and `link` give, row after row, in one loop: `encoded`, a dict the caller keeps
        across calls, remembers the encoding of personal values that repeat (an import's
        rows all have the same reason)."""
        public, end = self.public, self.public + self.personal
        sha256 = hashlib.sha256
        done = []
        for row, salt in zip(rows, salts):
            personal = row[public:end]
            text = encoded.get(personal)
            if text is None:
                if len(encoded) >= _REMEMBERED:
                    encoded.clear()
                text = encoded[personal] = encode(personal)
            sealed = sha256(("seal:" + salt + text).encode("utf-8", "surrogateescape")).hexdigest()
            previous = sha256((previous + _encode([*row[:public], sealed])).encode("utf-8", "surrogateescape")
                              ).hexdigest()
            done.append((*row, salt, sealed, previous))
        return done, previous


_REMEMBERED = 256  # distinct personal values a `linked` caller's dict keeps


def first_broken(rows: Iterable[Sequence[object]], layout: Layout) -> object | None:
    """The id of the first row that does not match, or None if all do.

    Each row is its public values (id first), its personal values, its salt, seal and
    stored hash, as `SELECT ... ORDER BY id` gives them. A row does not match when its
    seal is not the salted hash of its personal values (or, erased, they are not the
    erased values), or its hash is not its chain link. After a row that does not match,
    the rows after it say nothing more, so the search stops there.
    """
    previous = GENESIS
    public, personal = layout.public, layout.public + layout.personal
    for row in rows:
        salt, sealed, stored = row[-3], row[-2], row[-1]
        values = tuple(row[public:personal])
        if salt is None:
            if values != layout.erased:
                return row[0]
        elif sealed != seal(salt, values):
            return row[0]
        if sealed is None or stored != link(previous, (*row[:public], sealed)):
            return row[0]
        previous = stored
    return None
