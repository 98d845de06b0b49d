"""A what-if table of weights (`zone-review --weights FILE`, `forecast --weights FILE`,
DESIGN §12): a small YAML file of `tiers` and `status_factors`, read and checked as the
config is (`caseload.config`: no anchors or aliases, no deep nesting, numbers exact and in
each key's sane range), so a bad file exits 2 naming the key before anything is shown.

    tiers:            # any of the config's tiers (named in any case); the rest keep their weight
      high: 8
      low: 2.5
    status_factors:   # active and/or monitoring; the rest keep their factor
      monitoring: 0.75

Nothing is stored and the config is not changed: the file only says how the team would look.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from caseload.config import Config, _Reader
from caseload.domain.errors import BadInput, cut
from caseload.domain.figures import fmt
from caseload.domain.model import LoadRules
from caseload.domain.weights import rules_under
from caseload.yaml_text import read_small_file, read_yaml


def read_weights_file(path: Path, config: Config) -> LoadRules:
    """The config's load rules with the file's tiers and status factors in place of its own."""
    return parse_weights(read_small_file(path, "--weights", "a table is a few lines"), str(path), config)


class _TableReader(_Reader):
    """The config's reader, its messages naming the file given to --weights."""

    def fail(self, key: str, value, problem: str) -> BadInput:
        shown = fmt(value) if isinstance(value, Fraction) else value
        return BadInput(f"--weights {self.source}: {cut(key)}", shown, problem)


def parse_weights(text: str, source: str, config: Config) -> LoadRules:
    reader = _TableReader(source)
    top = reader.section(read_yaml(text, f"--weights {source}"), "", ("tiers", "status_factors"))
    if not top.get("tiers") and not top.get("status_factors"):
        raise reader.fail("tiers", "", "is missing: give tiers and/or status_factors to compare with the config")
    folded = {name.casefold(): name for name in config.load.tiers}
    tiers_in = reader.section(top.get("tiers"), "tiers", None)
    tiers: dict[str, Fraction] = {}
    for name in tiers_in:
        tier = folded.get(name.casefold())
        if tier is None:
            raise reader.fail(f"tiers.{cut(name)}", name, f"is not one of the config's tiers "
                                                          f"({', '.join(config.load.tiers)})")
        if tier in tiers:
            raise reader.fail(f"tiers.{name}", name, f"names tier {tier!r} twice")
        weight = reader.number(tiers_in, name, Fraction(0), "tiers.")
        if weight <= 0:
            raise reader.fail(f"tiers.{name}", weight, "must be more than 0 (a tier weighs something)")
        reader.in_range(f"tiers.{name}", weight, "tiers")
        tiers[tier] = weight
    factors_in = reader.section(top.get("status_factors"), "status_factors", ("active", "monitoring"))
    factors: dict[str, Fraction] = {}
    for name in factors_in:
        factors[name] = reader.number(factors_in, name, Fraction(1), "status_factors.")
        if factors[name] < 0:
            raise reader.fail(f"status_factors.{name}", factors[name], "must not be negative")
        reader.in_range(f"status_factors.{name}", factors[name], "status_factors")
    return rules_under(config.load, tiers, factors)
