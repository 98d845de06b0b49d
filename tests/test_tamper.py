"""Tamper-evident history (DESIGN §6, §9): the assignment record and the case changes
refuse UPDATE, DELETE and INSERT OR REPLACE, even in raw SQL; each row's hash is chained
to the row before, so someone who drops the triggers and rewrites the record with raw
SQL is named by `doctor`, row and all; and a trigger replaced by one that does nothing
is named too.

First the chain's arithmetic on its own (no database), then what a team lead sees."""

from caseload.domain.chain import GENESIS, chain, encode, first_broken, link


# -- the arithmetic -------------------------------------------------------------

def rows_of(values: list[tuple]) -> list[tuple]:
    """Rows as a table holds them: values (id first) followed by the chained hash."""
    return [(*row, digest) for row, digest in zip(values, chain(GENESIS, values))]


RECORD = [
    (1, "C-0001", None, None, "intake", None, "lead", "2026-11-01T09:00:00+00:00"),
    (2, "C-0001", "asha", None, "assign", None, "lead", "2026-11-01T09:05:00+00:00"),
    (3, "C-0002", None, None, "intake", "imported from ünïcode.csv", "lead", "2026-11-02T09:00:00+00:00"),
    (4, "C-0001", "ben", "asha", "reassign", "needs an Urdu speaker", "lead", "2026-11-03T09:00:00+00:00"),
]


def test_the_encoding_of_a_row_is_unambiguous():
    lists = [
        [1, "a"], ["1", "a"], [1, "a", None], [1, "a", "null"], [1, "a,b"], [1, "a", "b"], [1, 'a","b'],
        [1, ""], [1, None], [1], [1, "a\nb"], [1, "a\\nb"], [1.0, "a"], [1, b"a"], [1, '{"blob":"61"}'],
    ]
    encodings = [encode(values) for values in lists]
    assert len(set(encodings)) == len(lists)
    assert encode([3, "é", None]) == '[3,"é",null]'  # compact, and text as itself (not \\u escapes)


def test_each_hash_depends_on_the_previous_one_and_on_every_value():
    first = link(GENESIS, RECORD[0])
    assert len(first) == 64 and int(first, 16) >= 0
    assert first == link(GENESIS, list(RECORD[0]))  # a list or a tuple of the same values
    assert link(first, RECORD[1]) != link(GENESIS, RECORD[1])
    for i in range(len(RECORD[1])):
        changed = list(RECORD[1])
        changed[i] = "x" if changed[i] != "x" else "y"
        assert link(first, changed) != link(first, RECORD[1]), i
    assert list(chain(GENESIS, RECORD))[1] == link(first, RECORD[1])


def test_an_untouched_record_verifies():
    assert first_broken(rows_of(RECORD)) is None
    assert first_broken([]) is None


def test_a_changed_value_names_its_row():
    rows = rows_of(RECORD)
    rows[2] = (*rows[2][:5], "a different reason", *rows[2][6:])
    assert first_broken(rows) == 3


def test_a_deleted_row_names_the_row_after_it():
    rows = rows_of(RECORD)
    del rows[1]
    assert first_broken(rows) == 3


def test_rows_swapped_or_hashes_missing_are_named():
    rows = rows_of(RECORD)
    assert first_broken([rows[0], rows[2], rows[1], rows[3]]) == 3
    assert first_broken([*rows[:3], (*rows[3][:-1], None)]) == 4
    assert first_broken([(*rows[0][:-1], "0" * 64), *rows[1:]]) == 1


def test_a_recomputed_hash_does_not_hide_a_change_from_the_rows_after_it():
    rows = rows_of(RECORD)
    forged = (*RECORD[1][:5], "forged", *RECORD[1][6:])
    rows[1] = (*forged, link(rows[0][-1], forged))  # the attacker fixes this row's hash only
    assert first_broken(rows) == 3


def test_verification_streams_and_stops_at_the_first_broken_row():
    good = rows_of(RECORD)

    def stream():
        yield from good[:2]
        yield (*good[2][:-1], "f" * 64)
        raise AssertionError("read past the first broken row")

    assert first_broken(stream()) == 3
    assert first_broken(iter(good)) is None  # any iterable, never a list it builds


def test_bytes_and_text_that_was_not_utf8_still_encode():
    assert encode([1, b"\x00\xff"]) == '[1,{"blob":"00ff"}]'
    broken = b"caf\xe9".decode("utf-8", "surrogateescape")  # how doctor reads such text
    assert len(link(GENESIS, [1, broken])) == 64
