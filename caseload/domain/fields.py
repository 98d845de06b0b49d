"""Validation of the values a user types, shared by flags, CSV cells and config.

Each parser takes the raw text and the name of the field it came from and returns
a clean value or raises BadInput naming the field and the value. Nothing here
knows whether the text came from a flag or a file: what a message may show of the
value (a free text never, a file's cell only when it looks like a token, anything
else cut to 40 characters) is decided once, in `BadInput` (domain/errors.py).

A free text (`text`) is refused when it holds a character that could disguise what
is printed: C0 controls (a line break and a tab only in a multi-line text: notes and
summaries), DEL, C1 controls, the line and paragraph separators U+2028/U+2029, the
bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and
lone surrogates (bytes that were not UTF-8). One compiled regex finds them, in time
linear in the text.

Names as people type them (DESIGN §2): a worker id is folded to lower case here, once,
so `ASHA`, `Asha` and `asha` are one worker wherever an id is typed (flags, CSV cells,
`--as`, `me`); skills, languages and areas are kept in lower case too, so they match
ignoring case, and an area may hold single spaces (`North East` is `north east`). A
name the config defines (a tier) keeps the config's spelling: `named` finds it ignoring
case and returns it as the config writes it.
"""

from __future__ import annotations

import re
from fractions import Fraction

from caseload.domain.errors import BadInput, Described, cut

WORKER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
TOKEN = re.compile(r"^[a-z0-9][a-z0-9_.+-]{0,39}$")  # a skill or language
AREA = re.compile(r"^(?=.{1,40}$)[a-z0-9][a-z0-9_.+-]*( [a-z0-9_.+-]+)*$")  # words with single spaces
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$")  # a tier name in the config, in its own spelling
DECIMAL = re.compile(r"^(\d{1,9}(\.\d{1,6})?|\.\d{1,6})$")
RESERVED_WORKER_IDS = ("me", "auto")  # words `--assign` gives a meaning to
MAX_TEXT = 2000
# A cell a spreadsheet runs as a formula starts with one of these: exports guard it with a
# leading ' (render.numbers, render.xlsx) and a moved-in file's cell loses that ' again
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HIDDEN = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
REFUSED_IN_TEXT = re.compile(f"[{_HIDDEN}]")  # in a multi-line text: line breaks and tabs are fine
REFUSED_IN_LINE = re.compile(f"[\t\n{_HIDDEN}]")  # in a one-line text: a name, a reason


def worker_id(text: str, field: str = "worker") -> str:
    """A worker id as stored: trimmed and in lower case (`ASHA` is `asha`)."""
    value = text.strip().lower()
    if not WORKER_ID.match(value):
        raise BadInput(
            field, text,
            "is not a worker id (letters, digits, '.', '_' or '-', starting with a letter or digit)",
        )
    return value


def worker_or_word(text: str, field: str, words: tuple[str, ...] = ("me",)) -> str:
    """A worker id, or one of `words` (`me`, `auto`) in any case, lower-cased."""
    word = text.strip().lower()
    return word if word in words else worker_id(text, field)


def as_worker_id(text: str) -> str | None:
    """The stored form of a worker id typed as `text`, or None when it is not one (for
    checks that report other problems first and must not raise)."""
    value = text.strip().lower()
    return value if WORKER_ID.match(value) else None


def new_worker_id(text: str, field: str = "id") -> str:
    value = worker_id(text, field)
    if value in RESERVED_WORKER_IDS:
        raise BadInput(field, text, f"is reserved ({', '.join(RESERVED_WORKER_IDS)} have a meaning in --assign)")
    return value


def case_id(text: str, field: str = "id") -> str:
    value = text.strip()
    if not CASE_ID.match(value):
        raise BadInput(field, text, "is not a case id (letters, digits, '.', '_', '/' or '-', at most 40)")
    return value


def choice(text: str, choices: tuple[str, ...] | list[str], field: str) -> str:
    """One of a fixed set of lower-case words (a risk, a status), typed in any case."""
    value = text.strip().lower()
    if value not in choices:
        raise BadInput(field, text, f"is not one of {', '.join(choices)}")
    return value


def named(text: str, names: tuple[str, ...] | list[str], field: str) -> str:
    """One of the names the config defines (a tier), typed in any case, returned in the
    config's spelling: `a3` is `A3` when the config says `A3`. The config never holds two
    names that differ only in case (config.py refuses it), so the match is unique."""
    value = text.strip().casefold()
    for name in names:
        if name.casefold() == value:
            return name
    raise BadInput(field, text, f"is not one of {', '.join(names)}")


def decimal(text: str, field: str) -> Fraction:
    """A non-negative decimal number typed as text, kept exact."""
    value = str(text).strip()
    if not DECIMAL.match(value):
        raise BadInput(field, text, "is not a number")
    return Fraction(value)


def fte(text: str, field: str = "fte") -> Fraction:
    value = str(text).strip()
    if not DECIMAL.match(value) or not 0 < Fraction(value) <= 1:
        raise BadInput(field, text, "is not a full-time equivalent (more than 0, at most 1.0)")
    return Fraction(value)


def count(text: str, field: str, minimum: int = 0) -> int:
    value = str(text).strip()
    if not re.fullmatch(r"\d{1,9}", value) or int(value) < minimum:
        raise BadInput(field, text, f"is not a whole number of at least {minimum}")
    return int(value)


def tokens(text: str, field: str, separator: str = ",", spaces: bool = True) -> tuple[str, ...]:
    """A list such as `housing,mental health`: lower-cased, runs of spaces made one,
    de-duplicated, sorted. Skills and needs may hold spaces (DESIGN §2); with `spaces`
    False (languages) each item is one word. A refused item is shown: it is the team's
    vocabulary, not personal data."""
    items = [item.strip().lower() for item in text.replace(";", separator).split(separator)]
    found = []
    for item in items:
        if not item:
            continue
        if spaces:
            item = re.sub(" +", " ", item)
            if not AREA.match(item):
                raise BadInput(field, Described(cut(repr(item)[1:-1])), "is not a skill (words of letters, digits, "
                               "'-', '_', separated by single spaces; at most 40 characters)")
        elif not TOKEN.match(item):
            raise BadInput(field, item, "is not a single word (letters, digits, '-', '_')")  # the item, not the list
        found.append(item)
    return tuple(sorted(set(found)))


def token(text: str, field: str) -> str | None:
    value = text.strip().lower()
    if not value:
        return None
    if not TOKEN.match(value):
        raise BadInput(field, text, "is not a single word (letters, digits, '-', '_')")
    return value


def area(text: str, field: str) -> str | None:
    """An area such as `North East`: lower-cased, runs of spaces made one (`north east`);
    empty is no area. Only plain spaces join words: a tab or a line break is refused."""
    value = re.sub(" +", " ", text.strip()).lower()
    if not value:
        return None
    if not AREA.match(value):
        raise BadInput(field, text, "is not an area (words of letters, digits, '-', '_', "
                                    "separated by single spaces; at most 40 characters)")
    return value


def text(value: str, field: str, required: bool = False, multiline: bool = False) -> str:
    """A free text (a name, a summary, a note, a reason): trimmed, CRLF made LF, at most
    MAX_TEXT characters, without hidden characters (see the module docstring); a line
    break or a tab only when `multiline`. A refusal describes the text, never shows it."""
    clean = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # spreadsheets write CRLF inside cells
    if required and not clean:
        raise BadInput(field, value, "is empty", private=True)
    if len(clean) > MAX_TEXT:
        raise BadInput(field, clean, f"is longer than {MAX_TEXT} characters", private=True)
    found = (REFUSED_IN_TEXT if multiline else REFUSED_IN_LINE).search(clean)
    if found:
        raise BadInput(field, clean, f"contains {hidden_character(found.group())}", private=True)
    return clean


def hidden_character(char: str) -> str:
    """What a refused character is, in words and by its code point (never the text around it)."""
    code = f"U+{ord(char):04X}"
    if char == "\n":
        return "a line break (it must be one line)"
    if char == "\t":
        return "a tab (it must be one line)"
    if "\ud800" <= char <= "\udfff":
        return f"bytes that are not UTF-8 text ({code})"
    if char in "\u2028\u2029":
        return f"a line or paragraph separator ({code})"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return f"a bidirectional text control ({code})"
    return f"a control character ({code})"
