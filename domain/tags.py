"""Tags on contacts (customers and parties), used to select a campaign's targets.

A tag is one word: letters (any alphabet, with their accents), digits, '-' and '_', at most MAX_TAG characters, stored
in lower case without a leading '#'. `+vip -old` adds vip and removes old; a bare word adds.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from domain.errors import N_, InvalidInput

MAX_TAG = 32
MAX_TAGS_PER_CONTACT = 20
_EXTRA = frozenset("-_")


def normalize_tag(text: str) -> str:
    """'#VIP' -> 'vip'; refuses empty, too long, or characters other than letters, digits, - and _."""
    tag = unicodedata.normalize("NFC", (text or "").strip().lstrip("#").casefold())
    if not tag:
        raise InvalidInput(N_("A tag cannot be empty."))
    if len(tag) > MAX_TAG:
        raise InvalidInput(N_("A tag can have at most {count} characters: '{tag}'."), count=MAX_TAG,
                           tag=tag[:MAX_TAG] + "...")
    if not all(ch.isalnum() or ch in _EXTRA or unicodedata.category(ch).startswith("M") for ch in tag):
        raise InvalidInput(N_("'{tag}' is not a tag: use letters, digits, - and _ only."), tag=text.strip())
    return tag


def parse_tags(text: str) -> tuple[str, ...]:
    """Several tags separated by spaces or commas, normalised, without duplicates, in order given."""
    seen: dict[str, None] = {}
    for word in (text or "").replace(",", " ").split():
        seen[normalize_tag(word)] = None
    return tuple(seen)


@dataclass(frozen=True)
class TagChange:
    add: tuple[str, ...]
    remove: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> TagChange:
        """`+vip -old new`: '+' or no sign adds, '-' removes; a tag both added and removed is refused."""
        add: dict[str, None] = {}
        remove: dict[str, None] = {}
        for word in (text or "").replace(",", " ").split():
            if word.startswith("-"):
                remove[normalize_tag(word[1:])] = None
            else:
                add[normalize_tag(word[1:] if word.startswith("+") else word)] = None
        both = set(add) & set(remove)
        if both:
            raise InvalidInput(N_("'{tag}' is both added and removed."), tag=sorted(both)[0])
        if not add and not remove:
            raise InvalidInput(N_("Name the tags to add (+vip) or remove (-old)."))
        return cls(tuple(add), tuple(remove))

    def apply(self, current: Iterable[str]) -> tuple[str, ...]:
        """The contact's tags after the change, sorted; refuses more than MAX_TAGS_PER_CONTACT."""
        result = (set(current) | set(self.add)) - set(self.remove)
        if len(result) > MAX_TAGS_PER_CONTACT:
            raise InvalidInput(N_("A contact can have at most {count} tags."), count=MAX_TAGS_PER_CONTACT)
        return tuple(sorted(result))
