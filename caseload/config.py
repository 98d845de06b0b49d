"""The YAML config, read into frozen dataclasses with the defaults of DESIGN §3.

Invariants: every number is a Fraction built from the YAML's own text (a custom
loader turns YAML floats into Fractions before Python ever sees a float); an
unknown key, a wrong type or an impossible value raises BadInput naming the key
and the value, so the CLI exits 2 before anything is written.
`config.example.yaml` beside this module shows every key at its default.

Hostile configs (DESIGN §6) are refused before anything is built from them
(`caseload.yaml_text`: size, anchors, nesting, keys named twice, numbers too long or as
YAML 1.1 reads them), and every number must lie in its key's sane range (`RANGES`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from caseload.domain.errors import BadInput, cut
from caseload.domain.fields import NAME
from caseload.domain.figures import fmt
from caseload.domain.model import MAX_ZONES, RISKS, AllocationRules, LoadRules, ZoneThresholds
from caseload.domain.retention import Period, parse_period
from caseload.domain.starters import StarterRules
from caseload.domain.waiting import WaitingRules
from caseload.yaml_text import read_small_file, read_yaml

EXAMPLE = Path(__file__).with_name("config.example.yaml")
MAX_TIERS = 20

# (lowest, highest) allowed for each number, by key; lowest None means "more than 0".
DAYS = (1, 3650)
RANGES: dict[str, tuple[int | None, int]] = {
    "points_per_fte": (None, 10_000),
    "tiers": (None, 1000),
    "status_factors": (0, 10),
    "zones": (0, 1000),
    "caps.max_cases_per_fte": (None, 1000),
    "review_days": DAYS,
    "stale_after_days": DAYS,
    "long_open_days": DAYS,
    "allocation.area_bonus": (0, 1000),
    "allocation.recent_days": DAYS,
    "alerts.excessive_after": (1, 520),
    "alerts.expiring_days": DAYS,
    "waiting.first_contact_days": (0, 3650),  # 0: contact on the day the case comes in
    "waiting.check_in_days": DAYS,
    "starters.protected_percent": (None, 100),
    "starters.protected_weeks": (1, 520),
}


@dataclass(frozen=True)
class Alerts:
    excessive_after: int = 4
    expiring_days: int = 28


@dataclass(frozen=True)
class Config:
    database: str | None = None
    load: LoadRules = field(default_factory=LoadRules)
    default_tier: str = "medium"
    review_days: Mapping[str, int] = field(default_factory=lambda: {"high": 14, "medium": 28, "low": 56})
    stale_after_days: int = 21
    long_open_days: int = 365
    allocation: AllocationRules = field(default_factory=AllocationRules)
    alerts: Alerts = field(default_factory=Alerts)
    waiting: WaitingRules = field(default_factory=WaitingRules)
    retention_after: Period | None = None  # retention.closed_after: closed cases anonymised after it (off: None)
    source: str | None = None  # the file it came from, for messages
    # moving in (DESIGN §11, §2 "Case ids"): a team's own header names, its date order, its case ids
    import_columns: Mapping[str, str] = field(default_factory=dict)
    import_dates: str | None = None  # dmy, mdy or ymd; None: found from the file's dates
    case_id_prefix: str = "C-"
    starters: StarterRules = field(default_factory=StarterRules)  # new starters' protected caseload (off)


def load_config(path: Path | None) -> Config:
    """Read and validate `path`; no path means every default."""
    if path is None:
        return Config()
    return parse_config(read_small_file(path, "config", "a config is a few KB"), str(path))


def parse_config(text: str, source: str = "config") -> Config:
    data = read_yaml(text, source)
    return _Reader(source).config(data)


def with_max_zone(config: Config, given: str | None, flag: str = "--max-zone") -> Config:
    """The config with `--max-zone` (green, amber or red, any case) in place of `allocation.max_zone`;
    unchanged when the flag is not given. Anything else is bad input (exit 2)."""
    from dataclasses import replace

    if given is None:
        return config
    value = given.strip().lower()
    if value not in MAX_ZONES:
        raise BadInput(flag, given, f"is not one of {', '.join(MAX_ZONES)}")
    return replace(config, allocation=replace(config.allocation, max_zone=value))


class _Reader:
    """Walks the YAML mapping, checking every key; each problem names its dotted key."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, value: Any, problem: str) -> BadInput:
        shown = fmt(value) if isinstance(value, Fraction) else value
        return BadInput(f"config {self.source}: {cut(key)}", shown, problem)

    def in_range(self, key: str, value: Fraction | int, rule: str) -> None:
        """Refuse a number outside the sane range RANGES gives for `rule` (a key or a section)."""
        lowest, highest = RANGES[rule]
        low_ok = value > 0 if lowest is None else value >= lowest
        if not low_ok or value > highest:
            low = "more than 0" if lowest is None else f"at least {lowest}"
            raise self.fail(key, value, f"must be {low} and at most {highest}")

    def section(self, data: Any, key: str, allowed: tuple[str, ...] | None) -> dict:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise self.fail(key, data, "must be a mapping")
        for name in data:
            if not isinstance(name, str) or (allowed is not None and name not in allowed):
                expected = f" (expected one of {', '.join(allowed)})" if allowed else ""
                shown = cut(str(name))
                raise self.fail(f"{key}.{shown}" if key else shown, name, f"is not a known key{expected}")
        return data

    def number(self, data: dict, key: str, default: Fraction, prefix: str = "") -> Fraction:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
            raise self.fail(prefix + key, value, "is not a number")
        return Fraction(value)

    def integer(self, data: dict, key: str, default: int, rule: str, prefix: str = "") -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(prefix + key, value, "is not a whole number")
        self.in_range(prefix + key, value, rule)
        return value

    def config(self, data: dict) -> Config:
        top = self.section(data, "", (
            "database", "points_per_fte", "admin_allowance", "tiers", "default_tier", "status_factors",
            "zones", "review_days", "stale_after_days", "long_open_days", "caps", "allocation", "alerts",
            "waiting", "import", "cases", "retention", "starters",
        ))
        defaults = Config()
        database = top.get("database")
        if database is not None and not isinstance(database, str):
            raise self.fail("database", database, "is not a file path")

        points = self.number(top, "points_per_fte", defaults.load.points_per_fte)
        self.in_range("points_per_fte", points, "points_per_fte")
        admin = self.number(top, "admin_allowance", defaults.load.admin_allowance)
        if not 0 <= admin < 1:
            raise self.fail("admin_allowance", admin, "must be at least 0 and below 1")

        tiers = self.section(top.get("tiers"), "tiers", None) or dict(defaults.load.tiers)
        if len(tiers) > MAX_TIERS:
            raise self.fail("tiers", f"{len(tiers)} tiers", f"are too many (at most {MAX_TIERS})")
        tier_weights = {}
        folded: dict[str, str] = {}  # a tier is typed in any case: two names one case apart would be one tier
        for name in tiers:
            if not NAME.match(name):  # a tier is typed in --tier and stored with every case, as spelled here
                raise self.fail(f"tiers.{cut(name)}", name, "is not a tier name (one word: letters, digits, "
                                                            "'-', '_')")
            if name.casefold() in folded:
                raise self.fail(f"tiers.{name}", name, f"differs from tier {folded[name.casefold()]!r} only in case "
                                                       "(tiers are typed in any case: give each its own name)")
            folded[name.casefold()] = name
            weight = self.number(tiers, name, Fraction(0), "tiers.")
            if weight <= 0:
                raise self.fail(f"tiers.{name}", weight, "must be more than 0 (a tier weighs something)")
            self.in_range(f"tiers.{name}", weight, "tiers")
            tier_weights[name] = weight
        default_tier = top.get("default_tier", defaults.default_tier)
        if not isinstance(default_tier, str) or default_tier.casefold() not in folded:
            raise self.fail("default_tier", default_tier, f"is not one of the tiers ({', '.join(tier_weights)})")
        default_tier = folded[default_tier.casefold()]  # the tiers' own spelling: `a3` is `A3`

        factors_in = self.section(top.get("status_factors"), "status_factors", ("active", "monitoring"))
        factors = dict(defaults.load.status_factors)
        for name in factors_in:
            factors[name] = self.number(factors_in, name, Fraction(1), "status_factors.")
            if factors[name] < 0:
                raise self.fail(f"status_factors.{name}", factors[name], "must not be negative")
            self.in_range(f"status_factors.{name}", factors[name], "status_factors")

        zones_in = self.section(top.get("zones"), "zones", ("green_from", "amber_above", "red_from"))
        zd = ZoneThresholds()
        zones = ZoneThresholds(
            self.number(zones_in, "green_from", zd.green_from, "zones."),
            self.number(zones_in, "amber_above", zd.amber_above, "zones."),
            self.number(zones_in, "red_from", zd.red_from, "zones."),
        )
        for name in ("green_from", "amber_above", "red_from"):
            self.in_range(f"zones.{name}", getattr(zones, name), "zones")
        if not 0 < zones.green_from < zones.amber_above < zones.red_from:
            raise self.fail(
                "zones",
                f"{fmt(zones.green_from)}, {fmt(zones.amber_above)}, {fmt(zones.red_from)}",
                "are out of order (need 0 < green_from < amber_above < red_from)",
            )

        caps = self.section(top.get("caps"), "caps", ("max_cases_per_fte",))
        per_fte = caps.get("max_cases_per_fte")
        if per_fte is not None:
            per_fte = self.number(caps, "max_cases_per_fte", Fraction(0), "caps.")
            if per_fte <= 0:
                raise self.fail("caps.max_cases_per_fte", per_fte, "must be more than 0 (or null for no cap)")
            self.in_range("caps.max_cases_per_fte", per_fte, "caps.max_cases_per_fte")

        reviews_in = self.section(top.get("review_days"), "review_days", RISKS)
        review_days = dict(defaults.review_days)
        for risk in reviews_in:
            review_days[risk] = self.integer(reviews_in, risk, 28, "review_days", "review_days.")

        alloc_in = self.section(top.get("allocation"), "allocation",
                                ("area", "area_bonus", "recent_days", "max_zone"))
        area = alloc_in.get("area", "prefer")
        if area not in ("prefer", "require", "ignore"):
            raise self.fail("allocation.area", area, "is not one of prefer, require, ignore")
        bonus = self.number(alloc_in, "area_bonus", Fraction(10), "allocation.")
        if bonus < 0:
            raise self.fail("allocation.area_bonus", bonus, "must not be negative")
        self.in_range("allocation.area_bonus", bonus, "allocation.area_bonus")
        recent = self.integer(alloc_in, "recent_days", 30, "allocation.recent_days", "allocation.")
        max_zone = alloc_in.get("max_zone", "red")
        if max_zone not in MAX_ZONES:
            raise self.fail("allocation.max_zone", max_zone, f"is not one of {', '.join(MAX_ZONES)}")
        allocation = AllocationRules(area, bonus, recent, max_zone)

        alerts_in = self.section(top.get("alerts"), "alerts", ("excessive_after", "expiring_days"))
        alerts = Alerts(
            self.integer(alerts_in, "excessive_after", 4, "alerts.excessive_after", "alerts."),
            self.integer(alerts_in, "expiring_days", 28, "alerts.expiring_days", "alerts."),
        )
        waiting_in = self.section(top.get("waiting"), "waiting", ("first_contact_days", "check_in_days"))
        contact_in = self.section(waiting_in.get("first_contact_days"), "waiting.first_contact_days", RISKS)
        first_contact = dict(WaitingRules().first_contact_days)
        for risk in contact_in:
            first_contact[risk] = self.integer(contact_in, risk, 7, "waiting.first_contact_days",
                                               "waiting.first_contact_days.")
        waiting = WaitingRules(first_contact, self.integer(waiting_in, "check_in_days", 14, "waiting.check_in_days",
                                                           "waiting."))
        imports, id_prefix = self.moving_in(top)
        retention_in = self.section(top.get("retention"), "retention", ("closed_after",))
        retention_after = retention_in.get("closed_after")
        if retention_after is not None:
            try:
                retention_after = parse_period(retention_after)
            except ValueError as problem:
                raise self.fail("retention.closed_after", retention_after, str(problem)) from None
        return Config(
            database=database,
            load=LoadRules(points, admin, tier_weights, factors, zones, per_fte),
            default_tier=default_tier,
            review_days=review_days,
            stale_after_days=self.integer(top, "stale_after_days", 21, "stale_after_days"),
            long_open_days=self.integer(top, "long_open_days", 365, "long_open_days"),
            allocation=allocation,
            alerts=alerts,
            waiting=waiting,
            retention_after=retention_after,
            source=self.source,
            import_columns=imports.get("columns") or {},
            import_dates=imports.get("dates"),
            case_id_prefix=id_prefix,
            starters=self.starters(top),
        )

    def starters(self, top: dict) -> StarterRules:
        """`starters.protected_percent` (more than 0, at most 100) and `starters.protected_weeks`
        (1 to 520): both, or neither (off)."""
        given = self.section(top.get("starters"), "starters", ("protected_percent", "protected_weeks"))
        percent, weeks = given.get("protected_percent"), given.get("protected_weeks")
        if percent is None and weeks is None:
            return StarterRules()
        if percent is None or weeks is None:
            missing = "protected_percent" if percent is None else "protected_weeks"
            raise self.fail(f"starters.{missing}", "", "is needed too: a protected caseload has a size and a length "
                                                       "(give both, or neither to turn it off)")
        percent = self.number(given, "protected_percent", Fraction(0), "starters.")
        self.in_range("starters.protected_percent", percent, "starters.protected_percent")
        return StarterRules(percent, self.integer(given, "protected_weeks", 0, "starters.protected_weeks", "starters."))

    def moving_in(self, top: dict) -> tuple[dict, str]:
        """`import.columns` (a team's header names: `Client name: client`), `import.dates`
        (dmy, mdy or ymd) and `cases.id_prefix` (letters, digits, `-`, `_`, `/`, `.`)."""
        imports = self.section(top.get("import"), "import", ("columns", "dates"))
        columns = imports.get("columns")
        if columns is not None:
            if not isinstance(columns, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                        for k, v in columns.items()):
                raise self.fail("import.columns", columns, "is not a list of `Header name: column` lines")
        dates = imports.get("dates")
        if dates is not None and dates not in ("dmy", "mdy", "ymd"):
            raise self.fail("import.dates", dates, "is not one of dmy, mdy, ymd")
        cases = self.section(top.get("cases"), "cases", ("id_prefix",))
        prefix = cases.get("id_prefix", "C-")
        if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9._/-]{0,19}", prefix):
            raise self.fail("cases.id_prefix", prefix, "is not an id prefix (a letter, then letters, digits, "
                                                       "'.', '_', '/' or '-'; e.g. PR-)")
        return imports, prefix
