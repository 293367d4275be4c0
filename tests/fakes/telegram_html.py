"""A small, strict model of Telegram's ``parse_mode=HTML`` parser.

It turns an HTML-formatted message into what Telegram stores: plain text plus
``MessageEntity`` dicts (offsets/lengths in UTF-16 code units), and refuses the
inputs Telegram refuses with "Bad Request: can't parse entities: ...".  The
main point is catching user-supplied text that was interpolated into a reply
without ``html.escape``.

Deliberately stricter than Telegram in one place: an ``&`` that does not start
``&lt; &gt; &amp; &quot;`` or a numeric reference is refused (Telegram keeps it
literally), because in our replies it almost always means unescaped user text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Tag name -> entity type.  "span" is only valid as <span class="tg-spoiler">.
_ENTITY_FOR_TAG: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}

_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[A-Za-z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([A-Za-z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+)))?")
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#(\d+)|#[xX]([0-9A-Fa-f]+));")
_SPECIAL_RE = re.compile(r"[<&]")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlParseError(ValueError):
    """The text would be refused by Telegram; str(self) is the detail after the prefix."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    name: str
    offset: int  # UTF-16 offset of the first character inside the tag
    attrs: dict[str, str]
    language: str | None = None  # set on <pre> by a nested <code class="language-x">


def _at(text: str, index: int) -> str:
    """Byte offset as Telegram reports it in parse errors (computed only on error)."""
    return f"byte offset {len(text[:index].encode())}"


def _unescape(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return _NAMED[m.group(1)]
        return chr(int(m.group(2) or m.group(3), 10 if m.group(2) else 16))

    return _ENTITY_RE.sub(repl, value)


def _attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR_RE.finditer(raw):
        value = next((g for g in m.group(2, 3, 4) if g is not None), "")
        attrs[m.group(1).lower()] = _unescape(value)
    return attrs


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Return ``(plain_text, entities)`` or raise :class:`HtmlParseError`."""
    plain: list[str] = []
    offset = 0  # UTF-16 offset into the plain text built so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "<":
            m = _TAG_RE.match(text, i)
            name = m.group(2).lower() if m else ""
            if m is None or name not in _ENTITY_FOR_TAG:
                raise HtmlParseError(f'Unsupported start tag "{name}" at {_at(text, i)}')
            if m.group(1):  # end tag: must close the innermost open tag
                if not stack:
                    raise HtmlParseError(f'Unexpected end tag at {_at(text, i)}')
                top = stack.pop()
                if top.name != name:
                    raise HtmlParseError(
                        f'Unmatched end tag at {_at(text, i)}, '
                        f'expected "</{top.name}>", found "</{name}>"'
                    )
                _close(top, offset, stack, entities)
            else:
                attrs = _attrs(m.group(3))
                if name == "span" and attrs.get("class") != "tg-spoiler":
                    raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
                stack.append(_Open(name, offset, attrs))
            i = m.end()
            continue
        if ch == "&":
            m = _ENTITY_RE.match(text, i)
            if m is None:
                raise HtmlParseError(f"Unsupported HTML entity at {_at(text, i)}")
            try:
                piece = _unescape(m.group(0))
            except (ValueError, OverflowError) as exc:
                raise HtmlParseError(f"Invalid character reference at {_at(text, i)}") from exc
            i = m.end()
        else:  # a run of ordinary text up to the next markup character
            special = _SPECIAL_RE.search(text, i)
            end = special.start() if special else len(text)
            piece = text[i:end]
            i = end
        plain.append(piece)
        offset += utf16_len(piece)
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


def _close(tag: _Open, offset: int, stack: list[_Open], entities: list[dict[str, Any]]) -> None:
    # <pre><code class="language-x">...</code></pre> is one "pre" entity with a language.
    klass = tag.attrs.get("class", "")
    if tag.name == "code" and stack and stack[-1].name == "pre" and klass.startswith("language-"):
        stack[-1].language = klass.removeprefix("language-")
        return
    length = offset - tag.offset
    if length == 0:  # Telegram drops empty entities
        return
    entity: dict[str, Any] = {"type": _ENTITY_FOR_TAG[tag.name], "offset": tag.offset, "length": length}
    if tag.name == "a":
        if "href" not in tag.attrs:
            return
        entity["url"] = tag.attrs["href"]
    if tag.name == "pre" and tag.language:
        entity["language"] = tag.language
    if tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    entities.append(entity)
