"""Campaign e-mail templates: Jinja2 in its sandbox (a template cannot reach Python internals), the
HTML part autoescaped (a contact's name cannot inject markup), strict about unknown merge fields so
a typo is caught when the content is set, not when 10 000 mails go out.

Merge fields: {{ contact_name }}, {{ company }}, {{ salesperson }}, {{ campaign }}, {{ unsubscribe_url }},
{{ interest_url }} (the signed "I'm interested" link; empty in Telegram, where a button does it).
"""
from __future__ import annotations

from dataclasses import dataclass

from jinja2 import StrictUndefined, Template, TemplateError, meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import escape

from domain.campaign import CampaignContent
from domain.errors import N_, InvalidInput
from domain.merge_fill import MergeFill, merge_fill

MAX_SUBJECT = 200
MAX_BODY = 50_000
FIELDS = ("contact_name", "company", "salesperson", "campaign", "unsubscribe_url", "interest_url")
_FILLABLE = frozenset(FIELDS)
SAMPLE = {"contact_name": "Anna de Vries", "company": "Acme BV", "salesperson": "Sam Sales",
          "campaign": "Spring", "unsubscribe_url": "https://example.com/unsubscribe/x",
          "interest_url": "https://example.com/interest/x"}

_TEXT = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_HTML = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class CompiledContent:
    """The three templates of one language, compiled once and rendered per recipient."""

    def __init__(self, content: CampaignContent) -> None:
        try:
            self._subject = _TEXT.from_string(content.subject)
            self._text = _TEXT.from_string(content.text)
            self._html = _HTML.from_string(content.html)
        except TemplateError as exc:
            raise InvalidInput(N_("The template has an error: {error}"), error=str(exc)) from None
        # templates of plain text and merge fields are filled without Jinja2 (domain/merge_fill.py)
        self._fills = tuple(merge_fill(env, source, _FILLABLE) for env, source in
                            ((_TEXT, content.subject), (_TEXT, content.text), (_HTML, content.html)))

    def render(self, fields: dict[str, str]) -> Rendered:
        try:
            subject, text, html = (_render(fill, template, fields) for fill, template in
                                   zip(self._fills, (self._subject, self._text, self._html)))
        except TemplateError as exc:
            raise InvalidInput(N_("The template has an error: {error}"), error=str(exc)) from None
        return Rendered(" ".join(subject.split()), text, html)


def _render(fill: MergeFill | None, template: Template, fields: dict[str, str]) -> str:
    filled = fill.fill(fields) if fill is not None else None
    return filled if filled is not None else template.render(fields)


def html_of_text(plain: str) -> str:
    """The HTML template of a text template: its literal text escaped (autoescape covers only the
    merge fields' values, a template's own text is taken as HTML), blank lines paragraphs, line
    ends line breaks. The Jinja2 tags themselves are kept as they are: they are the fields."""
    try:
        tokens = list(_TEXT.lexer.tokeniter(plain, None))
    except TemplateError as exc:
        raise InvalidInput(N_("The template has an error: {error}"), error=str(exc)) from None
    html = "".join(_html_of_data(value) if kind == "data" else value for _, kind, value in tokens)
    return "<p>" + html + "</p>"


def _html_of_data(text: str) -> str:
    return str(escape(text)).replace("\n\n", "</p><p>").replace("\n", "<br>")


def parse_content(language: str, text: str) -> CampaignContent:
    """First line the subject, then the text part; an optional line `---html---` starts the HTML part
    (without one, the HTML part is the text part as typed, see html_of_text). Checked by rendering a sample."""
    lines = (text or "").strip("\n").split("\n")
    subject = lines[0].strip() if lines else ""
    if not subject:
        raise InvalidInput(N_("Type the subject on the first line, then the text of the e-mail."))
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(N_("A subject can have at most {count} characters."), count=MAX_SUBJECT)
    body = "\n".join(lines[1:])
    plain, marker, html = body.partition("---html---")
    plain = plain.strip("\n")
    if not plain.strip():
        raise InvalidInput(N_("The e-mail needs a text after the subject line."))
    if len(body) > MAX_BODY:
        raise InvalidInput(N_("An e-mail can have at most {count} characters."), count=MAX_BODY)
    if not marker:
        html = html_of_text(plain)
    content = CampaignContent(language, subject, plain + "\n", html.strip())
    for env, source in ((_TEXT, content.subject), (_TEXT, content.text), (_HTML, content.html)):
        _check_fields(env, source)
    CompiledContent(content).render(SAMPLE)
    return content


def _check_fields(env: ImmutableSandboxedEnvironment, source: str) -> None:
    """A misspelt merge field is named in the user's language; Jinja2's own message ("'foo' is
    undefined") is English. A syntax error keeps Jinja2's text: it has no message key to translate."""
    try:
        names = meta.find_undeclared_variables(env.parse(source))
    except TemplateError as exc:
        raise InvalidInput(N_("The template has an error: {error}"), error=str(exc)) from None
    unknown = sorted(names - _FILLABLE - set(env.globals))
    if unknown:
        raise InvalidInput(N_("Unknown merge field '{field}'. The merge fields are: {fields}."),
                           field=unknown[0], fields=", ".join("{{ %s }}" % name for name in FIELDS))
