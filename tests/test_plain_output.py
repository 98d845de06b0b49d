"""Views written to a pipe or a file (`render.plain`): the same text caseload's Rich console
would write there, without loading it (DESIGN §5, §8); and every printed string one line,
whatever stored text it holds. The terminal's console (Rich's, through
`render.console`), set up as for a pipe, is the reference."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from caseload.render.console import load_bar, new_table, zone_badge
from caseload.render.plain import WIDE, PlainConsole, Styled, heading


def rich_writes(*objects) -> str:
    from caseload.render.console import _terminal_class

    out = io.StringIO()
    _terminal_class()(file=out, width=WIDE, force_terminal=False, soft_wrap=True, markup=False, highlight=False,
                      emoji=False).print(*objects)
    return out.getvalue()


def plain_writes(*objects) -> str:
    out = io.StringIO()
    PlainConsole(out).print(*objects)
    return out.getvalue()


# Letters, brackets Rich markup would read, backslashes, joiners, the control characters Rich
# drops, escapes and line breaks.
TEXT = st.lists(st.sampled_from(list("ab [/]\\é漢\u200b\u200d\u0301👍") + [
    "[bold]", "[/bold]", "\x07", "\x08", "\x0b", "\x0c", "\r", "\t", "\x1b", "\n", "\u2028", "\x9b"]),
    max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT, TEXT)
def test_a_line_of_text_is_written_as_rich_writes_it_to_a_pipe(first, second):
    assert plain_writes(first) == rich_writes(first)
    assert plain_writes(first, second) == rich_writes(first, second)
    line = heading(first).append(second)
    assert plain_writes(line) == rich_writes(line)
    written = plain_writes(f"x{first}{second}")  # stored text cannot start a line or send an escape
    assert written.count("\n") == 1 and not set(written) & set("\x1b\x9b\r\u2028\x07")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(TEXT, st.sampled_from([None, "bold", "dim", "red"])), max_size=4))
def test_styled_text_keeps_its_words_and_writes_them_as_rich_does_to_a_pipe(parts):
    text = Styled("base ", "bold")
    for part, style in parts:
        text.append(part, style)
    assert text.plain == "base " + "".join(part for part, _ in parts)
    assert plain_writes(text) == rich_writes(text)


def test_a_piped_table_is_aligned_text_with_every_cell_whole():
    table = new_table("worker", "load %", "zone", "notes", title="Zone review", right=("load %",))
    table.add_row("asha (Asha Patel)", "121.1%", zone_badge("red"), "a long note " * 20)
    table.add_row("ben", "9.5%", zone_badge("green"), "")
    table.add_section()
    table.add_row(Styled("team", "bold"), "70%", zone_badge("amber"), "")
    lines = plain_writes(table).split("\n")
    assert lines[0] == "Zone review"
    assert lines[1].split() == ["worker", "load", "%", "zone", "notes"]
    assert lines[3].startswith("asha (Asha Patel)  121.1%   RED     a long note") and lines[3].endswith("note")
    assert lines[4] == "ben                  9.5%   GREEN"  # right-aligned figures, no trailing space
    assert lines[5] == "" and lines[6].startswith("team")  # a blank line between sections
    assert "\x1b" not in "\n".join(lines)


def test_a_name_stored_with_a_line_break_and_escapes_cannot_forge_a_line(team):
    import sqlite3

    db = sqlite3.connect(team.db)
    team.ok("intake", "--client", "Ann", "--assign", "ben")
    db.execute("UPDATE workers SET name = ? WHERE id = 'ben'", ["Ben\nC-9999  forged  row \x1b[31mRED\x1b]8;;http://e\x1b\\"])
    db.execute("UPDATE workers SET name = ? WHERE id = 'asha'", ["\nC-9997  forged, first thing on the line"])
    db.execute("UPDATE cases SET client = 'Ann' || char(10) || 'C-9998  forged', area = 'x' || char(27) || '[31m'")
    db.commit()
    for args in (("worker", "show", "ben"), ("worker", "show", "asha"), ("show", "C-0001"), ("zone-review",),
                 ("report",)):
        out = team.ok(*args).stdout
        assert "\x1b" not in out, args
        assert not [line for line in out.splitlines() if line.startswith("C-999")], args  # ⏎C-999… is shown


def test_a_load_bar_reads_in_plain_text():
    from fractions import Fraction

    assert load_bar(Fraction(50), "green", width=10).plain == "█████·····|"
    assert load_bar(Fraction(125), "red", width=8).plain == "████████|██"
