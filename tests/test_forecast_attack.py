"""The forecast and the report's Runway, tried the way a team lead breaks them: run on a
weekday (events between today and the first Monday), a worker already away today, a
config with other zone boundaries, the report printed in black and white.

The team is `test_forecast`'s (asha away 23 Nov to Wed 2 Dec, her cases covered by dan
until Fri 4 Dec; ben reduced 50 % until Sun 6 Dec; cara leaving Fri 11 Dec; eve starting
Mon 14 Dec)."""

import json
import re

from test_forecast import known, known_template, weeks_of  # noqa: F401  (fixtures)


def forecast_on(cli, today, *args):
    return json.loads(cli.ok("forecast", "--format", "json", *args, env={"CASELOAD_TODAY": today}).stdout)


def test_a_return_and_a_reduction_ending_before_the_first_monday_are_in_the_first_week(known):
    # Tuesday 1 Dec: the first Monday is 7 Dec; asha is back on Thu 3 Dec and ben's
    # reduction ends on Sun 6 Dec, both "from today" in the first week
    doc = forecast_on(known, "2026-12-01", "--weeks", "1")
    assert doc["weeks"] == ["2026-12-07"]
    assert "back from leave Thu 3 Dec" in weeks_of(doc, "asha")[0]["events"]
    assert weeks_of(doc, "ben")[0]["events"] == ["reduction ends Sun 6 Dec"]


def test_a_worker_already_away_today_says_so_in_the_first_week(known):
    # asha has been away since today (23 Nov) until Wed 2 Dec: her 0 % BLUE is not room today
    doc = forecast_on(known, "2026-11-23", "--weeks", "2")
    assert weeks_of(doc, "asha")[0]["events"] == ["away until Wed 2 Dec (leave)"]
    assert weeks_of(doc, "asha")[1]["events"][0] == "back from leave Thu 3 Dec"
    # the next day, still away: said again in the first week, and only there
    doc = forecast_on(known, "2026-11-24", "--weeks", "2")
    assert weeks_of(doc, "asha")[0]["events"][0] == "away until Wed 2 Dec (leave)"
    assert not any(e.startswith("away") for e in weeks_of(doc, "asha")[1]["events"])


def contrast(one: str, two: str) -> float:
    """WCAG contrast ratio of two #rgb / #rrggbb colours."""
    def luminance(colour: str) -> float:
        colour = colour.lstrip("#")
        if len(colour) == 3:
            colour = "".join(c * 2 for c in colour)
        channels = [int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_zone_badge_and_runway_cell_reads_in_colour_and_in_black_and_white(known, tmp_path):
    # a zone's word or letter on its colour: at least 4.5:1 (WCAG AA for small bold text),
    # so AMBER on orange stays readable on screen and on a grey printout
    known.ok("report", "--format", "html", "--output", str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text()
    zoned = re.findall(r'<(?:span|td)[^>]*style="background:(#[0-9a-f]{3,6});color:(#[0-9a-f]{3,6})"[^>]*>'
                       r'([^<]*)<', page)
    texts = {text for _bg, _fg, text in zoned}
    assert {"RED", "BLUE"} <= texts and any(t.endswith(" R") for t in texts)  # badges and Runway cells
    assert not re.search(r'class="badge" style="background:#[0-9a-f]+"', page)  # every badge says its text colour
    for background, colour, text in zoned:
        assert contrast(background, colour) >= 4.5, (text, background, colour)


def test_the_charts_zone_bands_are_the_configs(known, tmp_path):
    # a team whose config puts green from 80, amber above 90 and red from 120: the charts'
    # bands say so (they were drawn at 95 / 100 / 110 whatever the config)
    config = tmp_path / "caseload.yaml"
    config.write_text("zones:\n  green_from: 80\n  amber_above: 90\n  red_from: 120\n")
    for day in ("2026-11-09", "2026-11-16", "2026-11-23"):
        known.ok("--config", str(config), "zone-review", "--record", env={"CASELOAD_TODAY": day})
    known.ok("--config", str(config), "report", "--format", "html", "--output", str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text()
    bands = re.findall(r"<title>(blue|green|amber|red) band: ([\d.]+)% to ([\d.]+)%</title>", page)
    assert bands and set(bands) == {("blue", "0", "80"), ("green", "80", "90"), ("amber", "90", "120"),
                                    ("red", "120", "140")}  # some red above red_from


def test_headroom_is_explained_with_the_configs_amber_threshold(known, tmp_path):
    config = tmp_path / "caseload.yaml"
    config.write_text("zones:\n  green_from: 80\n  amber_above: 90\n  red_from: 120\n")
    out = known.ok("--config", str(config), "forecast", "--weeks", "1").stdout
    assert "points below 90%" in " ".join(out.split()) and "below 100%" not in out
