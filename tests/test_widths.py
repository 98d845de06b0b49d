"""Tables at any width (DESIGN §5): on a terminal of 80, 100 or 140 columns no word or
number is broken across lines, and from 100 columns up each worker's row is one line;
below that the least important columns (notes, then the bar, then the name) give way.
Rendered with Rich's own Console at a fixed width, as a terminal would show them."""

import pytest
from conftest import draw_on_screen


@pytest.fixture
def demo_path(demo_db):
    """The session's demo database (only read here)."""
    return demo_db


def screen(demo_path, width: int, draw) -> list[str]:
    return draw_on_screen(demo_path, width, draw).splitlines()


def zone_review(out, db, s):
    from caseload.app.review import gather
    from caseload.render.review import draw_review

    draw_review(out, gather(db, s.config, s.today, s.today))


def report(out, db, s):
    from caseload.app.report import gather as gather_report
    from caseload.app.review import gather
    from caseload.render.documents import report_document as document
    from caseload.render.report import terminal

    terminal(out, document(gather_report(db, s.config, gather(db, s.config, s.today, s.today), None, False), False))


def cases(out, db, s):
    from caseload.domain.load import case_weight
    from caseload.render.records import draw_cases
    from caseload.render.rows import case_row
    from caseload.store.cases import CaseFilter, find_cases

    draw_cases(out, [case_row(c, case_weight(c.tier, c.status, s.config.load))
                     for c in find_cases(db, CaseFilter())])


def team(out, db, s):
    from caseload.app.team import with_capacity
    from caseload.render.records import draw_team
    from caseload.render.rows import worker_row

    draw_team(out, [worker_row(w, c) for w, c in with_capacity(db, s.config, s.today, False)], s.today)


WORKERS = ("asha", "ben", "chloe", "dev", "ewa", "farah", "george")


@pytest.mark.parametrize("width", [80, 100, 140])
@pytest.mark.parametrize("draw", [zone_review, report, cases, team])
def test_no_line_is_wider_than_the_terminal_and_no_word_is_split(demo_path, width, draw):
    lines = screen(demo_path, width, draw)
    assert all(len(line.rstrip()) <= width for line in lines)
    for line in lines:
        words = line.split()
        # a word cut at the end of a line would continue at the start of the next: a zone, a
        # number or a date never does; zone words are whole wherever they appear
        for word in words:
            if word.rstrip("…").upper() in ("RED", "AMBER", "GREEN", "BLUE") or word in ("GREE", "AMBE", "BLU"):
                assert word in ("RED", "AMBER", "GREEN", "BLUE", "red", "amber", "green", "blue"), line
    text = "\n".join(lines)
    for broken in ("capac\n", "GREE\n", "housi\n", "mental-\n"):
        assert broken not in text


@pytest.mark.parametrize("width", [100, 140])
@pytest.mark.parametrize("draw", [zone_review, report, team])
def test_from_100_columns_each_worker_is_one_line(demo_path, width, draw):
    lines = screen(demo_path, width, draw)
    start_at = next(i for i, line in enumerate(lines) if line.split()[:1] in (["worker"], ["id"]))
    block = []
    for line in lines[start_at + 2:]:  # past the header and its rule
        if not line.strip():
            break
        block.append(line.split()[0])
    for worker in WORKERS:
        assert block.count(worker) == 1, (worker, block)
    assert all(word in WORKERS or word in ("hana", "lead", "kasia") for word in block), block  # no continuation lines


def test_at_80_columns_the_zone_review_keeps_the_figures_and_the_short_notes(demo_path):
    lines = screen(demo_path, 80, zone_review)
    assert max(len(line.rstrip()) for line in lines) <= 80
    header = next(line for line in lines if line.split()[:1] == ["worker"])
    assert header.split() == ["worker", "cases", "high", "risk", "load", "capacity", "load", "%", "zone", "notes"]
    asha = next(line for line in lines if line.split()[:1] == ["asha"])
    assert asha.split() == ["asha", "25", "7", "109", "90", "121.1%", "RED", "EXC", "6w"]
    ewa = next(line for line in lines if line.split()[:1] == ["ewa"])
    assert ewa.split()[-2:] == ["abs,", "cvd2"]  # absent, and two of her cases covered
    chloe = next(line for line in lines if line.split()[:1] == ["chloe"])
    assert chloe.split()[-1] == "cov2"
    # the notes had no room for the overdue reviews and stale contacts: they are listed
    # under the table, by worker, most first (what the wider view says in the notes)
    wide = {line.split()[0]: line for line in screen(demo_path, 140, zone_review) if line.split()[:1] in (
        ["asha"], ["ewa"], ["chloe"])}
    overdue = next(line for line in lines if line.startswith("Overdue reviews: "))
    stale = next(line for line in lines if line.startswith("Stale contact: "))
    for worker in ("asha", "ewa", "chloe"):
        assert f"{worker} {wide[worker].split(' overdue')[0].split()[-1]}" in overdue, (worker, overdue)
        assert f"{worker} {wide[worker].split(' stale')[0].split()[-1]}" in stale, (worker, stale)
    counts = [int(part.split()[1]) for part in overdue.removeprefix("Overdue reviews: ").split(", ")]
    assert counts == sorted(counts, reverse=True)
    # a waiting case's line that wraps keeps its indent: no word of it back at the margin
    attention = lines.index(next(line for line in lines if line.startswith("Needs attention")))
    for line in lines[attention + 1:]:
        if line.startswith("Covers past") or line.startswith("Since"):
            break
        assert line.startswith("  "), line


def test_a_wide_terminal_says_overdue_and_stale_in_the_notes_only(demo_path):
    lines = screen(demo_path, 140, zone_review)
    assert not any(line.startswith(("Overdue reviews", "Stale contact")) for line in lines)
    assert "2 overdue" in next(line for line in lines if line.split()[:1] == ["asha"])


def test_at_120_columns_the_zone_review_gives_the_notes_in_words(demo_path):
    lines = screen(demo_path, 120, zone_review)
    ewa = next(line for line in lines if line.split()[:1] == ["ewa"])
    assert "absent to 11-28, 2 covered, 2 overdue, 3 stale" in ewa and "|" not in ewa
    assert "EXCESSIVE: red 6 wks" in next(line for line in lines if line.split()[:1] == ["asha"])


def test_at_140_columns_the_zone_review_shows_names_bars_and_notes(demo_path):
    lines = screen(demo_path, 140, zone_review)
    asha = next(line for line in lines if line.split()[:1] == ["asha"])
    assert "(Asha Patel)" in asha and "overdue" in asha
    wide = screen(demo_path, 200, zone_review)  # room for the bar too
    assert "|" in next(line for line in wide if line.split()[:1] == ["asha"])


def test_leaving_absent_and_over_cap_survive_at_80_columns(team, db_path):
    """A leaver, an absent worker and one over their count cap, on an 80-column terminal:
    the words shorten (`leav 12-07`, `abs 12-07`, `cap+2` or shorter) but never vanish."""
    team.ok("worker", "edit", "cara", "--max-cases", "1")
    for _ in range(3):
        team.ok("intake", "--client", "x", "--assign", "cara")
    team.ok("worker", "leave", "ben", "--on", "2026-12-07")
    team.ok("intake", "--client", "y", "--assign", "ben")
    team.ok("worker", "absent", "asha", "--from", "today", "--until", "2026-12-07", "--reason", "sickness")
    team.ok("intake", "--client", "z", "--assign", "asha")
    for width in (80, 120):
        lines = screen(db_path, width, zone_review)
        assert max(len(line.rstrip()) for line in lines) <= width
        row = {line.split()[0]: line for line in lines if line.split()[:1] in (["asha"], ["ben"], ["cara"])}
        assert "leav" in row["ben"] and "abs" in row["asha"], width
        assert ("cap+2" if width == 80 else "over cap (1)") in row["cara"], width
    wide = screen(db_path, 200, zone_review)
    assert any("leaving 2026-12-07" in line for line in wide) and any("over cap (1)" in line for line in wide)


def test_at_80_columns_the_waiting_pool_still_names_who_waits(demo_path):
    def waiting(out, db, s):
        from caseload.app.waiting import pool
        from caseload.domain.load import case_weight
        from caseload.render.records import draw_waiting
        from caseload.render.rows import waiting_case_row

        rules = s.config.load
        draw_waiting(out, [waiting_case_row(w, case_weight(w.case.tier, w.case.status, rules))
                           for w in pool(db, s.config, s.today)], s.today)

    lines = screen(demo_path, 80, waiting)
    header = next(line for line in lines if line.split()[:1] == ["id"])
    assert "client" in header and "attention" in header and "check-in due" not in header, header
    assert all(len(line.rstrip()) <= 80 for line in lines)


def test_at_40_columns_the_zone_review_lists_what_the_notes_had_no_room_for(demo_path):
    """The notes column itself gives way last: its short notes are then listed under the
    table, so absent, red for weeks, covering and covered are still said."""
    lines = screen(demo_path, 40, zone_review)
    assert all(len(line.rstrip()) <= 40 for line in lines)
    text = " ".join(line.strip() for line in lines)
    assert "Notes: asha EXC 6w; chloe cov2; ewa abs, cvd2" in text, text
    assert "Overdue reviews: " in text and "Stale contact: " in text
