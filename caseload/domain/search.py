"""What `find TEXT` looks for (DESIGN §5): the words of the text a lead typed, each as a
full-text (SQLite FTS5) query, and which cases match all of them and where.

A case matches when every word is found somewhere in it: its client, its summary or one
of its notes (a word matches the start of a word, so `quill` finds Quillfeather; case and
accents are ignored by the index). Each word is quoted for FTS5, so punctuation, `AND`,
`NEAR` or a stray `"` in the text are words to find, never query syntax.

The text may be a client's name: a refusal never shows it.
"""

from __future__ import annotations

import re
from typing import Iterable, Mapping

from caseload.domain.errors import BadInput

WORD = re.compile(r"\w+")  # what the index's unicode61 tokenizer keeps as a word (letters, digits)
MAX_WORDS = 10
PLACES = ("client", "summary", "notes")  # where a word can be found, in the order a listing names them


def search_words(text: str, field: str = "TEXT") -> tuple[str, ...]:
    """The distinct words of `text`, in the order typed; refused (bad input, the text never
    shown) when it has none, or more than MAX_WORDS."""
    words = tuple(dict.fromkeys(w.casefold() for w in WORD.findall(text)))
    if not words:
        raise BadInput(field, "", "has no word to search for (letters or digits)")
    if len(words) > MAX_WORDS:
        raise BadInput(field, "", f"has {len(words)} words: give at most {MAX_WORDS}")
    return words


def word_query(word: str) -> str:
    """One word as an FTS5 query: a quoted prefix (`"quill"*`)."""
    return '"' + word.replace('"', '""') + '"*'


def matches(found: Mapping[str, Mapping[str, Iterable[str]]]) -> dict[str, tuple[str, ...]]:
    """The cases every word was found in, each with the places it was found (PLACES order).
    `found[word][place]` is the case ids whose `place` holds that word."""
    per_word = []
    for places in found.values():
        per_word.append({place: set(ids) for place, ids in places.items()})
    if not per_word:
        return {}
    everywhere = [set().union(*places.values()) for places in per_word]
    cases = set.intersection(*everywhere)
    return {case: tuple(p for p in PLACES if any(case in places.get(p, ()) for places in per_word))
            for case in sorted(cases)}
