"""The YAML config, read into frozen dataclasses with the defaults of DESIGN §3.

Invariants: every number is a Fraction built from the YAML's own text (a custom
loader turns YAML floats into Fractions before Python ever sees a float); an
unknown key, a wrong type or an impossible value raises BadInput naming the key
and the value, so the CLI exits 2 before anything is written.
`config.example.yaml` beside this module shows every key at its default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Mapping

from caseload.domain.errors import BadInput
from caseload.domain.figures import fmt
from caseload.domain.model import MAX_ZONES, RISKS, AllocationRules, LoadRules, ZoneThresholds

EXAMPLE = Path(__file__).with_name("config.example.yaml")


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
    source: str | None = None  # the file it came from, for messages


def load_config(path: Path | None) -> Config:
    """Read and validate `path`; no path means every default."""
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput("config", str(path), "does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput("config", str(path), f"cannot be read ({error.__class__.__name__})") from None
    return parse_config(text, str(path))


def parse_config(text: str, source: str = "config") -> Config:
    data = _read_yaml(text, source)
    return _Reader(source).config(data)


def _read_yaml(text: str, source: str) -> dict:
    import yaml  # deferred: 30 ms of start-up that --help and --version do not need

    class ExactLoader(yaml.SafeLoader):
        """SafeLoader whose floats are Fractions of the written text."""

    def construct_exact(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        written = loader.construct_scalar(node).replace("_", "")
        try:
            return Fraction(written)
        except (ValueError, ZeroDivisionError):
            return written  # .inf, .nan: refused later as "not a number"

    ExactLoader.add_constructor("tag:yaml.org,2002:float", construct_exact)
    try:
        data = yaml.load(text, Loader=ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(error, "problem", None) or "is not valid YAML"
        raise BadInput(source, "…", f"is not valid YAML ({where}{problem})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadInput(source, type(data).__name__, "must be a mapping of keys to values")
    return data


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
        return BadInput(f"config {self.source}: {key}", shown, problem)

    def section(self, data: Any, key: str, allowed: tuple[str, ...] | None) -> dict:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise self.fail(key, data, "must be a mapping")
        for name in data:
            if not isinstance(name, str) or (allowed is not None and name not in allowed):
                expected = f" (expected one of {', '.join(allowed)})" if allowed else ""
                raise self.fail(f"{key}.{name}" if key else str(name), name, f"is not a known key{expected}")
        return data

    def number(self, data: dict, key: str, default: Fraction, prefix: str = "") -> Fraction:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
            raise self.fail(prefix + key, value, "is not a number")
        return Fraction(value)

    def integer(self, data: dict, key: str, default: int, minimum: int, prefix: str = "") -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(prefix + key, value, "is not a whole number")
        if value < minimum:
            raise self.fail(prefix + key, value, f"must be at least {minimum}")
        return value

    def config(self, data: dict) -> Config:
        top = self.section(data, "", (
            "database", "points_per_fte", "admin_allowance", "tiers", "default_tier", "status_factors",
            "zones", "review_days", "stale_after_days", "long_open_days", "caps", "allocation", "alerts",
        ))
        defaults = Config()
        database = top.get("database")
        if database is not None and not isinstance(database, str):
            raise self.fail("database", database, "is not a file path")

        points = self.number(top, "points_per_fte", defaults.load.points_per_fte)
        if points <= 0:
            raise self.fail("points_per_fte", points, "must be more than 0")
        admin = self.number(top, "admin_allowance", defaults.load.admin_allowance)
        if not 0 <= admin < 1:
            raise self.fail("admin_allowance", admin, "must be at least 0 and below 1")

        tiers = self.section(top.get("tiers"), "tiers", None) or dict(defaults.load.tiers)
        tier_weights = {}
        for name in tiers:
            weight = self.number(tiers, name, Fraction(0), "tiers.")
            if weight <= 0:
                raise self.fail(f"tiers.{name}", weight, "must be more than 0 (a tier weighs something)")
            tier_weights[name] = weight
        default_tier = top.get("default_tier", defaults.default_tier)
        if default_tier not in tier_weights:
            raise self.fail("default_tier", default_tier, f"is not one of the tiers ({', '.join(tier_weights)})")

        factors_in = self.section(top.get("status_factors"), "status_factors", ("active", "monitoring"))
        factors = dict(defaults.load.status_factors)
        for name in factors_in:
            factors[name] = self.number(factors_in, name, Fraction(1), "status_factors.")
            if factors[name] < 0:
                raise self.fail(f"status_factors.{name}", factors[name], "must not be negative")

        zones_in = self.section(top.get("zones"), "zones", ("green_from", "amber_above", "red_from"))
        zd = ZoneThresholds()
        zones = ZoneThresholds(
            self.number(zones_in, "green_from", zd.green_from, "zones."),
            self.number(zones_in, "amber_above", zd.amber_above, "zones."),
            self.number(zones_in, "red_from", zd.red_from, "zones."),
        )
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

        reviews_in = self.section(top.get("review_days"), "review_days", RISKS)
        review_days = dict(defaults.review_days)
        for risk in reviews_in:
            review_days[risk] = self.integer(reviews_in, risk, 28, 1, "review_days.")

        alloc_in = self.section(top.get("allocation"), "allocation",
                                ("area", "area_bonus", "recent_days", "max_zone"))
        area = alloc_in.get("area", "prefer")
        if area not in ("prefer", "require", "ignore"):
            raise self.fail("allocation.area", area, "is not one of prefer, require, ignore")
        bonus = self.number(alloc_in, "area_bonus", Fraction(10), "allocation.")
        if bonus < 0:
            raise self.fail("allocation.area_bonus", bonus, "must not be negative")
        max_zone = alloc_in.get("max_zone", "red")
        if max_zone not in MAX_ZONES:
            raise self.fail("allocation.max_zone", max_zone, f"is not one of {', '.join(MAX_ZONES)}")
        allocation = AllocationRules(area, bonus, self.integer(alloc_in, "recent_days", 30, 1, "allocation."),
                                     max_zone)

        alerts_in = self.section(top.get("alerts"), "alerts", ("excessive_after", "expiring_days"))
        alerts = Alerts(
            self.integer(alerts_in, "excessive_after", 4, 1, "alerts."),
            self.integer(alerts_in, "expiring_days", 28, 1, "alerts."),
        )
        return Config(
            database=database,
            load=LoadRules(points, admin, tier_weights, factors, zones, per_fte),
            default_tier=default_tier,
            review_days=review_days,
            stale_after_days=self.integer(top, "stale_after_days", 21, 1),
            long_open_days=self.integer(top, "long_open_days", 365, 1),
            allocation=allocation,
            alerts=alerts,
            source=self.source,
        )
