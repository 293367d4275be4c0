"""Tag rules (domain/tags.py) and tags in a campaign selection."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from domain.campaign import Selection
from domain.errors import InvalidInput
from domain.tags import MAX_TAG, MAX_TAGS_PER_CONTACT, TagChange, normalize_tag, parse_tags


def test_a_tag_is_lower_case_without_its_hash_and_keeps_accents_and_cyrillic():
    assert normalize_tag(" #VIP ") == "vip"
    assert normalize_tag("Beurs_2026") == "beurs_2026"
    assert normalize_tag("Café") == "café"
    assert normalize_tag("Москва") == "москва"


@pytest.mark.parametrize("text", ["", "#", "a b", "vip!", "x" * (MAX_TAG + 1), "a/b", "<b>"])
def test_a_tag_that_is_empty_too_long_or_has_other_characters_is_refused(text):
    with pytest.raises(InvalidInput):
        normalize_tag(text)


def test_a_change_adds_with_plus_or_no_sign_and_removes_with_minus():
    change = TagChange.parse("+VIP -old, retail")
    assert change.add == ("vip", "retail") and change.remove == ("old",)
    assert change.apply(["old", "zz"]) == ("retail", "vip", "zz")


def test_a_tag_both_added_and_removed_or_no_tag_at_all_is_refused():
    with pytest.raises(InvalidInput, match="both added and removed"):
        TagChange.parse("+vip -VIP")
    with pytest.raises(InvalidInput):
        TagChange.parse("  ")


def test_a_contact_has_at_most_twenty_tags():
    many = TagChange(tuple(f"t{i}" for i in range(MAX_TAGS_PER_CONTACT + 1)), ())
    with pytest.raises(InvalidInput, match="at most"):
        many.apply(())


def test_a_selection_with_several_tags_needs_all_of_them_and_describes_them():
    selection = Selection.parse("stage=customer tag=VIP tag=retail")
    assert selection.tags == ("retail", "vip")
    assert selection.describe() == "stage=customer tag=retail tag=vip"
    assert Selection.parse(selection.describe()) == selection
    with pytest.raises(InvalidInput):
        Selection.parse("tag=a!b")


@given(st.lists(st.text(alphabet=st.characters(categories=("Ll", "Lu", "Nd")), min_size=1, max_size=MAX_TAG)
                .filter(lambda word: len(unicodedata.normalize("NFC", word.casefold())) <= MAX_TAG), max_size=5))
def test_parsing_tags_is_idempotent(words):
    tags = parse_tags(" ".join(words))
    assert parse_tags(" ".join(tags)) == tags
    assert all(normalize_tag(tag) == tag for tag in tags)
