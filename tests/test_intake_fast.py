"""The fast reader of a cases file's common rows (`domain.intake_fast`) agrees with the
general reader (`domain.intake_csv.CaseRows`): a row it accepts, the general reader
accepts too and stores exactly the same way; anything else it leaves to the general
reader. Pure: no database. And through the command, a file of common rows and a file
of awkward ones go in exactly as the general reader alone would put them."""

from datetime import date

from hypothesis import example, given
from hypothesis import strategies as st

from caseload.domain.intake_csv import CASE_FILE, STORED, CaseRows, stored_row
from caseload.domain.intake_fast import FastRows
from caseload.domain.spreadsheet import Row, unguard
from caseload.store.imports import _FILE_CASE_COLUMNS

TODAY = date(2026, 11, 23)
TIERS = ("low", "Medium", "high", "A3")
REVIEW_DAYS = {"low": 56, "medium": 28, "high": 14}
COLUMNS = CASE_FILE.names

WORDS = ["", " ", "  x  ", "\t", "é", "K", "\u212a", "İ", "\u00a0", "\u2028", "\u202e", "\x00", "\x85", "\r\n",
         "\n", ";", ",", ";;", "  a  b  ",
         # as `export` guards a formula character, and as the reader takes the guard off (`unguard`)
         "'+44 7700", "'- referred by GP", "'=SUM(A1)", "'@home", "'\tx", "''+x", "'Brien", "'", "'-3d", "'+2w"]
DATES = ["", "2026-11-23", "2026-11-24", "2025-02-29", "2024-02-29", "2026-1-01", " 2026-01-05 ", "today",
         "+2w", "yesterday", "2026-13-01", "0001-01-01", "9999-12-31", "20261101", "٢٠٢٦-٠١-٠١", "2026-01-01\n",
         "2026-11-01 00:00:00", "2026-11-01T00:00:00", "2026-11-01 13:45", "2026-11-24 00:00:00", "2026-02-30T00:00",
         " 2026-11-02 00:00:00 ", "2026-11-01t00:00", "01/11/2026", "2026-11-01 00:00:00.5"]
CELLS = {
    "client": ["Maria Nguyen", "  Ravi  ", "", " ", "Zoë, Jr", "x" * 2000, "x" * 2001, "a\u202eb", "a\tb"],
    "id": ["", "REF-1", " REF-2 ", "C-0001", "bad id", "a" * 41, "a/b.c_d-e", "é"],
    "summary": ["", "Benefits appeal", "two\nlines", "tab\there", "y" * 2001, " padded "],
    "tier": ["", "low", "LOW", "medium", "MEDIUM", "a3", " high ", "huge", "ﬀ"],
    "risk": ["", "low", "High", " medium ", "severe"],
    "status": ["", "active", "Waiting", "monitoring", "closed", "CLOSED", "open"],
    "needs": ["", "housing", "housing;debt", "Debt; housing;", "housing,debt", "a b", ";", "x" * 41],
    "language": ["", "pl", " EN ", "two words", "x" * 41],
    "area": ["", "north", "North  East", " south ", "a\tb", "x" * 41, "north-east"],
    "requested": ["", "ben", "ASHA", "me", "no one", "gone"],
    "opened": DATES,
    "worker": ["", "asha", " Ben ", "me", "ME", "auto", "Auto", "no one", "x" * 33],
    "next_review": DATES,
    "last_contact": DATES,
    "held_since": DATES,
    "home_worker": ["", "ben", "asha"],
    "cover_until": ["", "2026-12-01"],
    "closed_on": ["", "2026-11-01"],
    "close_reason": ["", "moved away"],
}


@st.composite
def files(draw):
    """A header (client and a random choice of columns, in any order, maybe an ignored
    one) and a row of cells for it, mostly common values with awkward ones mixed in."""
    others = draw(st.lists(st.sampled_from([c for c in COLUMNS if c != "client"]), unique=True))
    columns = draw(st.permutations(["client", *others]))
    columns = list(columns)
    if draw(st.booleans()):
        columns.insert(draw(st.integers(0, len(columns))), None)  # a column left out (--ignore-unknown)
    cells = []
    for name in columns:
        choices = CELLS.get(name, ["", "0123 456"])
        cell = draw(st.sampled_from(choices) | st.sampled_from(WORDS) if draw(st.integers(0, 9)) == 0
                    else st.sampled_from(choices))
        cells.append(cell)
    return columns, cells, draw(st.booleans()), draw(st.sampled_from(["medium", "Medium", "LOW"]))


def general(columns, cells, auto, default_tier, line=7):
    cells = list(cells)
    unguard(cells)  # as `SheetReader.cells` gives every row to both readers
    reader = CaseRows(TIERS, default_tier, REVIEW_DAYS, TODAY, "bench", auto)
    problems = []
    values = {name: cell for name, cell in zip(columns, cells) if name is not None}
    imported = reader.read(Row(line, values), problems)
    return imported, problems


def fast(columns, cells, auto, default_tier, line=7):
    cells = list(cells)
    unguard(cells)
    return FastRows(columns, TIERS, default_tier, REVIEW_DAYS, TODAY, "bench", auto).read(line, cells)


@given(files())
@example((["client", "tier", "opened", "worker"], ["Maria", "", "2026-11-01", "asha"], False, "medium"))
@example((["client", "worker", "held_since", "opened"], ["Maria", "me", "2026-11-02", "2026-11-01"], True, "LOW"))
@example((["client", "status", "worker"], ["Maria", "active", "auto"], False, "medium"))
@example((["client", "summary", "worker", "opened"], ["'+44 7700", "'- GP", "asha", "2026-11-01 00:00:00"], False,
          "medium"))
def test_a_row_the_fast_reader_takes_is_read_the_same_by_the_general_reader(case):
    columns, cells, auto, default_tier = case
    found = fast(columns, cells, auto, default_tier)
    imported, problems = general(columns, cells, auto, default_tier)
    if found is None:
        return  # the general reader's row: what it says is what the user sees
    stored, review_given, contact_given = found
    assert problems == [] and imported is not None
    assert stored == stored_row(imported)
    assert (review_given, contact_given) == (imported.review_given, imported.contact_given)


def test_the_common_rows_of_a_move_take_the_fast_path():
    """Not a speed test: that the fast path is the one the usual rows take."""
    columns = ["client", "id", "summary", "tier", "risk", "needs", "language", "area", "opened", "worker",
               "next_review", "last_contact", "held_since"]
    rows = [["Maria Nguyen 1", "REF-1", "Rent arrears, eviction notice", "high", "low", "housing;debt", "pl",
             "North East", "2025-03-04", "asha", "2026-12-01", "2026-11-02", "2025-03-04"],
            ["Ravi Hughes", "", "Benefits appeal", "low", "medium", "", "", "south", "2024-01-02", "", "", "", ""]]
    for cells in rows:
        assert fast(columns, cells, False, "medium") is not None


def test_the_stored_columns_are_the_kept_columns():
    assert STORED == _FILE_CASE_COLUMNS


def test_a_hostile_character_anywhere_leaves_the_row_to_the_general_reader():
    columns = ["client", "summary", "area"]
    for hidden in ("\u202e", "\x00", "\u2028", "\x9b", "\r"):
        assert fast(columns, ["Maria", f"o{hidden}k", "north"], False, "medium") is None
        imported, problems = general(columns, ["Maria", f"o{hidden}k", "north"], False, "medium")
        assert hidden == "\r" or (imported is None and problems[0].field == "summary")
