"""The rule registry's search words and references: what the pages and search rest on."""

from __future__ import annotations

from collections import Counter

from snippets.rules import RULES


def test_each_search_word_leads_to_one_rule() -> None:
    words = Counter(word.casefold() for rule in RULES for word in rule.keywords)
    assert [word for word, count in words.items() if count > 1] == []


def test_every_rule_names_the_documentation_it_rests_on() -> None:
    for rule in RULES:
        assert rule.references, f"{rule.id} has no reference"
        for reference in rule.references:
            assert reference.url.startswith("https://"), reference
            assert reference.title.strip(), reference


def test_no_search_word_is_in_another_rule_s_title() -> None:
    """Material's search ranks a page's tags a million times above its text: a word of
    another rule's title among them would list this rule first for that title."""
    for rule in RULES:
        for word in rule.keywords:
            assert word.strip(), rule.id
            assert not any(c in word for c in " -."), f"{rule.id}: {word!r}"
            assert not [
                other.id
                for other in RULES
                if other is not rule and word.casefold() in other.title.casefold()
            ], f"{rule.id}: {word!r}"
