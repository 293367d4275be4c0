"""Filling a template that is only text and bare merge fields without a Jinja2 render.

A campaign renders its three templates once per recipient; Jinja2's render (a context, a generator,
the undefined checks) costs about as much as building the rest of the message. Most campaign
templates are text with `{{ contact_name }}`-style fields and nothing else, and those can be filled
with one `str.format_map`.

What counts as simple is decided by Jinja2's own parser, not by a pattern of ours: the template must
parse to one output of literal text and plain names. The literal text is then exactly what Jinja2
would print (comments, `{% raw %}`, whitespace control, newline normalisation and the trailing
newline rule already applied by its lexer). A value is used only when it is a `str`; in an
autoescaping environment it goes through `markupsafe.escape`, the function Jinja2's compiled template
calls. Anything else (a filter, an attribute, a missing name, a value of another type) is left to
Jinja2, so errors and undefined-name behaviour stay Jinja2's.
"""
from __future__ import annotations

from jinja2 import Environment, nodes
from markupsafe import escape


class MergeFill:
    """A simple template as a `format_map` pattern plus the names it uses."""

    def __init__(self, pattern: str, names: frozenset[str], autoescape: bool) -> None:
        self.pattern = pattern
        self.names = names
        self.autoescape = autoescape

    def fill(self, values: dict) -> str | None:
        """The rendered text, or None when a value is missing or not a plain `str` (render with Jinja2)."""
        chosen = {}
        for name in self.names:
            value = values.get(name)
            if type(value) is not str:
                return None
            chosen[name] = str(escape(value)) if self.autoescape else value
        return self.pattern.format_map(chosen)


def merge_fill(env: Environment, source: str, fields: frozenset[str]) -> MergeFill | None:
    """The fast filler for `source` in `env`, or None when the template is more than text and names
    out of `fields` (names Jinja2 treats as plain context lookups: not `self`, `loop` and the like)."""
    if env.finalize is not None or callable(env.autoescape):
        return None  # an environment that transforms output in a way this does not follow
    body = env.parse(source).body
    if len(body) > 1 or (body and not isinstance(body[0], nodes.Output)):
        return None
    pattern, names = [], set()
    for node in body[0].nodes if body else ():
        if type(node) is nodes.TemplateData:
            pattern.append(node.data.replace("{", "{{").replace("}", "}}"))
        elif type(node) is nodes.Name and node.ctx == "load" and node.name in fields:
            pattern.append("{" + node.name + "}")
            names.add(node.name)
        else:
            return None
    return MergeFill("".join(pattern), frozenset(names), bool(env.autoescape))
