"""E-mail bodies from Jinja2 templates in `bot/templates`: `<name>.txt.j2` and `<name>.html.j2`.

HTML templates autoescape (a customer called `<script>` stays text); text templates do not, since
escaping would show `&lt;` to the reader. Fixed words in templates are marked `_("...")` (Jinja's
i18n extension, new style: `_("Dear %(name)s,", name=x)` escapes `x` in HTML); they pass through
unchanged unless `render` gets the recipient's `gettext`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

__all__ = ["MailTemplates"]


def _newstyle(gettext: Callable[[str], str]) -> Callable[..., str]:
    """Wrap a plain gettext the way Jinja's i18n extension does for `newstyle=True`."""

    @pass_context
    def translate(__context: Context, __string: str, **variables: Any) -> str:
        text = gettext(__string)
        if __context.eval_ctx.autoescape:
            text = Markup(text)  # `Markup % variables` escapes the variables, not the catalogue text
        return text % variables

    return translate


class MailTemplates:
    def __init__(self, loader: BaseLoader | None = None) -> None:
        self.env = Environment(
            loader=loader or PackageLoader("bot", "templates"),
            # select_autoescape() tests the name's ending, so it needs the ".j2" forms spelled out.
            autoescape=self._autoescape,
            undefined=StrictUndefined,  # a missing context key is a bug, not an empty line in a mail
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]

    @staticmethod
    def _autoescape(name: str | None) -> bool:
        # Anything not plainly text is escaped: the safe side for a template added later.
        return not (name or "").endswith((".txt", ".txt.j2"))

    def render(
        self,
        name: str,
        context: Mapping[str, Any],
        *,
        gettext: Callable[[str], str] | None = None,
    ) -> tuple[str, str]:
        """(text, html) from `name.txt.j2` and `name.html.j2`."""
        values = dict(context)
        if gettext is not None:
            # `_` looks `gettext` up in the render context first, so this is per mail, not global.
            values["gettext"] = _newstyle(gettext)
        text = self.env.get_template(f"{name}.txt.j2").render(values)
        html = self.env.get_template(f"{name}.html.j2").render(values)
        return text, html
