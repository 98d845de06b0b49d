"""Validation of the values a user types, shared by flags, CSV cells and config.

Each parser takes the raw text and the name of the field it came from and returns
a clean value or raises BadInput naming the field and the value. Nothing here
knows whether the text came from a flag or a file.
"""

from __future__ import annotations

import re
from fractions import Fraction

from caseload.domain.errors import BadInput

WORKER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
TOKEN = re.compile(r"^[a-z0-9][a-z0-9_.+-]{0,39}$")  # a skill, language or area
DECIMAL = re.compile(r"^(\d{1,9}(\.\d{1,6})?|\.\d{1,6})$")
RESERVED_WORKER_IDS = ("me", "auto")  # words `--assign` gives a meaning to
MAX_TEXT = 2000


def worker_id(text: str, field: str = "worker") -> str:
    value = text.strip()
    if not WORKER_ID.match(value):
        raise BadInput(
            field, text,
            "is not a worker id (lower-case letters, digits, '.', '_' or '-', starting with a letter or digit)",
        )
    return value


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
    value = text.strip().lower()
    if value not in choices:
        raise BadInput(field, text, f"is not one of {', '.join(choices)}")
    return value


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


def tokens(text: str, field: str, separator: str = ",") -> tuple[str, ...]:
    """A list such as `housing,benefits`: lower-cased, de-duplicated, sorted."""
    items = [item.strip().lower() for item in text.replace(";", separator).split(separator)]
    found = []
    for item in items:
        if not item:
            continue
        if not TOKEN.match(item):
            raise BadInput(field, text, f"has {item!r}, which is not a single word (letters, digits, '-', '_')")
        found.append(item)
    return tuple(sorted(set(found)))


def token(text: str, field: str) -> str | None:
    value = text.strip().lower()
    if not value:
        return None
    if not TOKEN.match(value):
        raise BadInput(field, text, "is not a single word (letters, digits, '-', '_')")
    return value


def text(value: str, field: str, required: bool = False) -> str:
    clean = value.replace("\r\n", "\n").replace("\r", "\n").strip()  # spreadsheets write CRLF inside cells
    if required and not clean:
        raise BadInput(field, value, "is empty")
    if len(clean) > MAX_TEXT:
        raise BadInput(field, clean[:20] + "…", f"is longer than {MAX_TEXT} characters")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in clean):
        raise BadInput(field, "…", "contains control characters")
    return clean
