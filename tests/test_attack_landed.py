"""What broke when the newest features were attacked as a team lead, an attacker and a
spreadsheet user would: each test failed before its fix."""

import re

import pytest
from conftest import draw_on_screen


@pytest.fixture
def demo_path(demo_db):
    """The session's demo database (only read here)."""
    return demo_db


def screen(demo_path, width: int, draw) -> str:
    return draw_on_screen(demo_path, width, draw)


def waiting_list(out, db, s):
    from caseload.domain.load import case_weight
    from caseload.domain.waiting import priority, waiting
    from caseload.render.records import draw_waiting
    from caseload.render.rows import waiting_case_row
    from caseload.store.cases import CaseFilter, find_cases

    entries = sorted((waiting(c, s.today, s.config.waiting) for c in find_cases(db, CaseFilter(statuses=("waiting",)))),
                     key=priority)
    draw_waiting(out, [waiting_case_row(e, case_weight(e.case.tier, e.case.status, s.config.load)) for e in entries],
                 s.today)


def report(out, db, s):
    from caseload.app.report import gather as gather_report
    from caseload.app.review import gather
    from caseload.render.documents import report_document as document
    from caseload.render.report import terminal

    terminal(out, document(gather_report(db, s.config, gather(db, s.config, s.today, s.today), None, False), False))


def _flags(text: str) -> list[str]:
    return re.findall(r"FIRST\s+CONTACT\s+OVERDUE|FIRST C\S*", text)


@pytest.mark.parametrize("draw", [waiting_list, report])
@pytest.mark.parametrize("width", [80, 100, 140])
def test_the_waiting_list_never_cuts_its_attention_flag_or_title(demo_path, draw, width):
    """At 80 columns the pool's table was wider than the terminal: Rich cropped
    'FIRST CONTACT OVERDUE' to 'FIRST CON' (no mark) and the title lost its last words."""
    text = screen(demo_path, width, draw)
    lines = text.splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    flags = _flags(text)
    assert flags, text
    assert all(re.fullmatch(r"FIRST\s+CONTACT\s+OVERDUE", f) for f in flags), (flags, text)
    assert re.search(r"more\s+due\s+a\s+check-in", text), text


def _every_text(path) -> str:
    """Every part of a workbook (cells, shared strings, properties) as one text."""
    import zipfile

    with zipfile.ZipFile(path) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_redacted_history_export_does_not_carry_a_client_named_in_a_reason(team, tmp_path, fmt):
    """A lead types reasons freely ("Jane Doe asked for a woman worker"); `export history
    --redact` is for records that travel, so the reasons (free text, never echoed, like
    notes: DESIGN §6) are left out of it; the kind of each change stays."""
    if fmt == "xlsx":
        pytest.importorskip("openpyxl")
    team.ok("intake", "--client", "Jane Doe", "--assign", "asha")
    case = team.ok("cases", "--format", "csv").stdout.splitlines()[-1].split(",")[0]
    team.ok("reassign", case, "--to", "ben", "--reason", "Jane Doe asked for another worker")
    target = tmp_path / f"history.{fmt}"
    team.ok("export", "history", "--format", fmt, "--redact", "--output", str(target))
    text = _every_text(target) if fmt == "xlsx" else target.read_text(encoding="utf-8-sig")
    assert "Jane" not in text and "Doe" not in text
    assert "reassign" in text
    # without --redact the reason is kept whole
    team.ok("export", "history", "--format", fmt, "--output", str(target))
    text = _every_text(target) if fmt == "xlsx" else target.read_text(encoding="utf-8-sig")
    assert "Jane Doe asked" in text


@pytest.mark.parametrize("odd", ["\ufffe", "\uffff"])
def test_a_workbook_stays_readable_when_a_name_holds_a_character_xml_cannot(team, tmp_path, odd):
    """U+FFFE and U+FFFF get through the stored-text check but no XML file may hold them:
    the workbook was written, then refused by openpyxl and read by LibreOffice as a blank
    row. They become '?' like the control characters."""
    openpyxl = pytest.importorskip("openpyxl")
    team.ok("intake", "--client", f"Ann{odd}Lee", "--summary", f"x{odd}y")
    target = tmp_path / "cases.xlsx"
    team.ok("export", "cases", "--format", "xlsx", "--output", str(target))
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    found = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert {"client": "Ann?Lee", "summary": "x?y"}.items() <= found[-1].items()
