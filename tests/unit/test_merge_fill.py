"""Filling plain merge-field templates without Jinja2 gives exactly what Jinja2 renders (issue 5)."""
from __future__ import annotations

import pytest
from hypothesis import event, given, reject, settings, strategies as st
from jinja2 import TemplateError, TemplateSyntaxError

from domain.campaign import CampaignContent
from domain.campaign_content import _HTML, _TEXT, FIELDS, SAMPLE, CompiledContent, parse_content
from domain.errors import InvalidInput
from domain.merge_fill import merge_fill

NAMES = frozenset(FIELDS)
ENVS = {"text": _TEXT, "html": _HTML}

tricky = st.text(st.sampled_from(list("ab <>&\"'`=;/\\\n\r\t{}%#-+é€😀\u2028\x00")) | st.characters(
    blacklist_categories=("Cs",)), max_size=12)
name = st.sampled_from([*FIELDS, "unknown", "self", "loop", "range"])
field = st.builds(lambda open_, n, close: f"{open_}{n}{close}",
                  st.sampled_from(["{{ ", "{{", "{{- ", "{{+ ", "{{  "]), name,
                  st.sampled_from([" }}", "}}", " -}}", " +}}", "\n}}"]))
other = st.sampled_from(["{{ contact_name|upper }}", "{{ company.x }}", "{# note #}", "{#- note -#}\n",
                         "{% raw %}{{ company }}<&>{% endraw %}", "{% if company %}x{% endif %}",
                         "{{ 'lit' }}", "{{ true }}", "\r\n", "\r", "\n\n", "  \n"])
template = st.lists(tricky | field | other, max_size=8).map("".join)
values = st.fixed_dictionaries({n: tricky for n in FIELDS},
                               optional={"unknown": tricky | st.integers() | st.none()})


def _jinja(env, source: str, fields: dict) -> tuple[str, str]:
    try:
        return "ok", env.from_string(source).render(fields)
    except TemplateError as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=600, deadline=None)
@given(kind=st.sampled_from(sorted(ENVS)), source=template, fields=values)
def test_the_fast_fill_renders_exactly_what_jinja2_renders(kind, source, fields):
    env = ENVS[kind]
    try:
        fill = merge_fill(env, source, NAMES)
    except TemplateSyntaxError:
        reject()
    filled = fill.fill(fields) if fill is not None else None
    event(f"{kind}: {'filled' if filled is not None else 'left to Jinja2'}")
    if filled is not None:
        assert ("ok", filled) == _jinja(env, source, fields)


@settings(max_examples=300, deadline=None)
@given(subject=template, text=template, html=template, fields=values)
def test_compiled_content_renders_what_jinja2_alone_renders(subject, text, html, fields):
    content = CampaignContent("en", subject, text, html)
    try:
        compiled = CompiledContent(content)
    except InvalidInput:
        reject()
    expected = [_jinja(env, source, fields) for env, source in ((_TEXT, subject), (_TEXT, text), (_HTML, html))]
    if any(status != "ok" for status, _ in expected):
        with pytest.raises(InvalidInput):
            compiled.render(fields)
        return
    rendered = compiled.render(fields)
    assert (rendered.subject, rendered.text, rendered.html) == (
        " ".join(expected[0][1].split()), expected[1][1], expected[2][1])


def test_plain_campaign_templates_take_the_fast_path():
    content = parse_content("en", "News for {{ company }}\nDear {{contact_name}},\n\n{{ unsubscribe_url }}")
    assert all(fill is not None for fill in CompiledContent(content)._fills)


@pytest.mark.parametrize("source", ["{{ contact_name|e }}", "{{ company.x }}", "{% if company %}{% endif %}",
                                    "{{ unknown }}", "{{ self }}", "{{ 'x' }}"])
def test_anything_beyond_text_and_merge_fields_is_left_to_jinja2(source):
    assert merge_fill(_TEXT, source, NAMES) is None


def test_the_html_part_escapes_what_a_contact_typed_and_keeps_the_template_markup():
    fill = merge_fill(_HTML, "<p>{{ contact_name }}</p>", NAMES)
    assert fill.fill({"contact_name": "<b>\"A&B'</b>"}) == "<p>&lt;b&gt;&#34;A&amp;B&#39;&lt;/b&gt;</p>"


def test_a_missing_field_or_a_value_that_is_not_text_is_left_to_jinja2():
    fill = merge_fill(_TEXT, "{{ contact_name }}", NAMES)
    assert fill.fill({}) is None and fill.fill({"contact_name": 5}) is None
    with pytest.raises(InvalidInput):
        CompiledContent(CampaignContent("en", "S", "{{ contact_name }}", "x")).render({})
    assert CompiledContent(CampaignContent("en", "S", "{{ contact_name }}", "x")).render(
        dict(SAMPLE, contact_name=5)).text == "5"
