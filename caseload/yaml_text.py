"""YAML as caseload reads it (a config, a `--weights` table): PyYAML's SafeLoader made
exact and hostile-proof (DESIGN §6).

- every YAML float is a Fraction of the written text, so no number ever passes through a
  binary float; a whole number is one only as people write it (YAML 1.1 also reads 017 as
  15, 0x10 as 16, 0b101 as 5 and 1:30 as 90: such text stays text and is refused later as
  "not a number" by the key that wanted one);
- a file larger than MAX_CONFIG_BYTES is never parsed; an anchor or alias (so an alias
  bomb never expands), nesting deeper than MAX_DEPTH, a key named twice in one mapping (YAML
  keeps the last silently) are refused with their line; a number written with more than
  MAX_NUMBER_TEXT characters or a large exponent is never computed.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from caseload.domain.errors import BadInput, cut

MAX_CONFIG_BYTES = 64 * 1024  # the commented example is under 3 KB; YAML parses at ~5 s a megabyte
MAX_DEPTH = 10  # a valid config nests 3 deep
MAX_NUMBER_TEXT = 40  # characters of a number as written: longer is refused, not computed
_SMALL_EXPONENT = re.compile(r"[^eE]*([eE][-+]?\d{1,3})?")  # 1.5e+3 yes, 1e+999999999 never computed
_PLAIN_WHOLE = re.compile(r"[-+]?(0|[1-9][0-9_]*)")  # a whole number as people write one


def read_small_file(path: Path, field: str, what: str) -> str:
    """The text of a YAML file given as `field` (`config`, `--weights`), or BadInput naming
    it: missing, unreadable, not UTF-8, or larger than MAX_CONFIG_BYTES (read no further:
    a huge file is refused unread; `what` says what such a file should be, "a config is a
    few KB")."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_CONFIG_BYTES + 1)
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise BadInput(field, path, "does not exist") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(field, path, f"cannot be read ({error.__class__.__name__})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise BadInput(field, path, f"is larger than {MAX_CONFIG_BYTES // 1024} KB ({what})")
    return text


def read_yaml(text: str, source: str) -> dict:
    """The mapping `text` holds (empty: {}), or BadInput naming `source`."""
    import yaml  # deferred: 30 ms of start-up that --help and --version do not need

    if len(text) > MAX_CONFIG_BYTES:
        raise BadInput(source, "", f"is larger than {MAX_CONFIG_BYTES // 1024} KB (a config is a few KB)")

    class ExactLoader(yaml.SafeLoader):
        """SafeLoader whose floats are Fractions of the written text, and whose composer
        refuses anchors, aliases and deep nesting before building the node they are on."""

        depth = 0

        def compose_node(self, parent, index):
            event = self.peek_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise BadInput(source, "", f"uses a YAML anchor or alias (line {line}): write each value out")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise BadInput(source, "", f"nests deeper than {MAX_DEPTH} levels (line {line})")
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_mapping(self, node, deep=False):
            """A mapping that names one key twice is refused: YAML would keep the last
            silently, and the lead would not know which weight counts."""
            seen = set()
            for key_node, _value in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise BadInput(source, "", f"names the key {cut(key, 40)!r} twice "
                                               f"(line {key_node.start_mark.line + 1}): keep one")
                seen.add(key)
            return super().construct_mapping(node, deep)

    def construct_exact(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        written = loader.construct_scalar(node).replace("_", "")
        if len(written) > MAX_NUMBER_TEXT or not _SMALL_EXPONENT.fullmatch(written):
            return written  # refused later as "not a number", never computed
        try:
            return Fraction(written)
        except (ValueError, ZeroDivisionError):
            return written  # .inf, .nan: refused later as "not a number"

    def construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        written = loader.construct_scalar(node)
        if len(written) > MAX_NUMBER_TEXT or not _PLAIN_WHOLE.fullmatch(written):
            return written  # refused later as "not a whole number" (or not a number), never computed
        return yaml.SafeLoader.construct_yaml_int(loader, node)

    ExactLoader.add_constructor("tag:yaml.org,2002:float", construct_exact)
    ExactLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
    try:
        data = yaml.load(text, Loader=ExactLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = cut(str(getattr(error, "problem", None) or "is not valid YAML"), 80)
        raise BadInput(source, "…", f"is not valid YAML ({where}{problem})") from None
    except (ValueError, OverflowError):  # a timestamp such as 2026-02-30, which PyYAML builds as a date
        raise BadInput(source, "…", "is not valid YAML (a value that looks like a date is not one)") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadInput(source, type(data).__name__, "must be a mapping of keys to values")
    return data
