"""Product-list rules and suggestions through the services, on the real database."""
from __future__ import annotations

from domain.quotation import Quotation

from datetime import date
from decimal import Decimal

import pytest

from domain.errors import InvalidInput, NotFound, NotPermitted, TransitionNotAllowed
from domain.product_list import RuleKind
from domain.services import product_lists as pl, quotations
from domain.services.imports import IMPORTERS, ImportRejected
from domain.services.product_lists import RuleSpec

UP, CROSS = RuleKind.UP_SELL, RuleKind.CROSS_SELL


async def _draft(uow_factory, clock, seeded, *typed, who="sales", customer="acme"):
    user = seeded[who]
    q = await quotations.start_quotation(uow_factory(), clock, user, seeded[customer].id)
    shown = []
    for text in typed:
        item, qty = text.rsplit(" ", 1)
        entry = await quotations.enter_line(uow_factory(), clock, user, q.id, item, Decimal(qty))
        shown = list(entry.suggestions)  # offered in the same transaction as the line
    return q.id, shown


async def _rates(uow_factory, clock, user):
    return {(v.item.item_number, v.suggested.item_number): (r.shown, r.accepted, r.ignored, r.pending)
            for v, r in await pl.suggestion_rates(uow_factory(), clock, user)}


async def test_a_line_gets_its_suggestions_and_an_up_sell_replaces_the_item_keeping_the_quantity(
        uow_factory, clock, seeded):
    manager = seeded["manager"]
    await pl.add_rule(uow_factory(), manager, RuleSpec(CROSS, "A-100", "B-300", note="Handy"))
    await pl.add_rule(uow_factory(), manager, RuleSpec(UP, "A-100", "A-200"))
    qid, shown = await _draft(uow_factory, clock, seeded, "A-100 3")
    assert [(s.kind, s.suggested.item_number, s.note) for s in shown] == [
        (UP, "A-200", ""), (CROSS, "B-300", "Handy")]
    q = await pl.accept_suggestion(uow_factory, clock, seeded["sales"], shown[0].offer_id)
    assert [(l.item_number, l.quantity, l.unit_price) for l in q.lines] == [
        ("A-200", 3, Decimal("499.00"))]
    # The cross-sell was for the chair, which is no longer on the quotation.
    with pytest.raises(NotFound, match="no longer applies"):
        await pl.accept_suggestion(uow_factory, clock, seeded["sales"], shown[1].offer_id)
    assert await _rates(uow_factory, clock, manager) == {
        ("A-100", "B-300"): (1, 0, 0, 1), ("A-100", "A-200"): (1, 1, 0, 0)}


async def test_a_cross_sell_adds_one_and_is_taken_only_once(uow_factory, clock, seeded):
    await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(CROSS, "A-100", "B-300"))
    qid, [offer] = await _draft(uow_factory, clock, seeded, "A-100 3")
    q = await pl.accept_suggestion(uow_factory, clock, seeded["sales"], offer.offer_id)
    assert [(l.item_number, l.quantity) for l in q.lines] == [("A-100", 3), ("B-300", 1)]
    with pytest.raises((TransitionNotAllowed, InvalidInput)):
        await pl.accept_suggestion(uow_factory, clock, seeded["sales"], offer.offer_id)
    q = await quotations.get_quotation(uow_factory(), seeded["sales"], qid)
    assert [(l.item_number, l.quantity) for l in q.lines] == [("A-100", 3), ("B-300", 1)]


async def test_suggestions_not_taken_are_ignored_on_the_next_line_and_when_the_draft_is_sent(
        uow_factory, clock, seeded):
    await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(CROSS, "A-100", "B-300"))
    await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(CROSS, "A-200", "B-300"))
    qid, [offer] = await _draft(uow_factory, clock, seeded, "A-100 1", "A-200 1")
    assert (await _rates(uow_factory, clock, seeded["manager"]))[("A-100", "B-300")] == (1, 0, 1, 0)
    await quotations.send_quotation(uow_factory(), clock, seeded["sales"], qid)
    rates = await _rates(uow_factory, clock, seeded["manager"])
    assert rates[("A-200", "B-300")] == (1, 0, 1, 0)
    # A button from a sent quotation is refused.
    with pytest.raises(TransitionNotAllowed, match="only a new quotation can be changed"):
        await pl.accept_suggestion(uow_factory, clock, seeded["sales"], offer.offer_id)


async def test_conditions_group_quantity_and_dates_decide(uow_factory, clock, seeded):
    manager = seeded["manager"]
    async with uow_factory() as uow:
        (await uow.customers.get(seeded["cafe"].id)).customer_group = "Horeca"
        await uow.commit()
    await pl.add_rule(uow_factory(), manager, RuleSpec(UP, "A-100", "A-200", customer_group="horeca",
                                                       min_quantity=Decimal(5)))
    await pl.add_rule(uow_factory(), manager, RuleSpec(CROSS, "A-100", "B-300",
                                                       valid_from=date(2026, 12, 1)))
    assert (await _draft(uow_factory, clock, seeded, "A-100 5"))[1] == []           # acme: no group
    assert (await _draft(uow_factory, clock, seeded, "A-100 4", customer="cafe"))[1] == []
    _, shown = await _draft(uow_factory, clock, seeded, "A-100 5", customer="cafe")
    assert [s.suggested.item_number for s in shown] == ["A-200"]


async def test_a_suggestion_is_refused_to_another_salesperson_and_after_its_rule_is_deleted(
        uow_factory, clock, seeded):
    view = await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(CROSS, "A-100", "B-300"))
    qid, [offer] = await _draft(uow_factory, clock, seeded, "A-100 1")
    for other in ("sales2", "manager"):
        with pytest.raises(NotFound):
            await pl.accept_suggestion(uow_factory, clock, seeded[other], offer.offer_id)
    await pl.delete_rule(uow_factory(), seeded["manager"], view.rule.id)
    with pytest.raises(NotFound, match="no longer applies"):
        await pl.accept_suggestion(uow_factory, clock, seeded["sales"], offer.offer_id)
    q = await quotations.get_quotation(uow_factory(), seeded["sales"], qid)
    assert [l.item_number for l in q.lines] == ["A-100"]


async def test_only_managers_and_admins_manage_rules_and_a_salesperson_sees_their_own_rates(
        uow_factory, clock, seeded):
    with pytest.raises(NotPermitted):
        await pl.add_rule(uow_factory(), seeded["sales"], RuleSpec(UP, "A-100", "A-200"))
    with pytest.raises(NotPermitted):
        await pl.list_rules(uow_factory(), seeded["sales"])
    with pytest.raises(NotPermitted):
        await pl.suggestion_rates(uow_factory(), clock, seeded["marketing"])
    await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(CROSS, "A-100", "B-300"))
    await _draft(uow_factory, clock, seeded, "A-100 1")
    await _draft(uow_factory, clock, seeded, "A-100 1", who="sales2")
    assert (await _rates(uow_factory, clock, seeded["sales"]))[("A-100", "B-300")] == (1, 0, 0, 1)
    assert (await _rates(uow_factory, clock, seeded["manager"]))[("A-100", "B-300")] == (2, 0, 0, 2)


async def test_unknown_items_and_duplicate_rules_are_refused(uow_factory, seeded):
    manager = seeded["manager"]
    with pytest.raises(NotFound, match="no item with number Z-999"):
        await pl.add_rule(uow_factory(), manager, RuleSpec(UP, "A-100", "Z-999"))
    first = await pl.add_rule(uow_factory(), manager, RuleSpec(UP, "A-100", "A-200", customer_group="X"))
    with pytest.raises(InvalidInput, match=f"exists already \\(rule {first.rule.id}\\)"):
        await pl.add_rule(uow_factory(), manager, RuleSpec(UP, "A-100", "A-200", customer_group="x"))
    assert len(await pl.list_rules(uow_factory(), manager)) == 1


def _rows(*rows):
    header = ("kind", "item_number", "suggested_item_number", "customer_group", "min_quantity",
              "valid_from", "valid_to", "note")
    return [(n + 2, dict(zip(header, r))) for n, r in enumerate(rows)]


async def test_the_csv_import_is_all_or_nothing_with_line_numbers_and_updates_by_key(uow_factory, seeded):
    bad = _rows(("up", "A-100", "A-200", "", "", "", "", ""),
                ("sideways", "A-100", "B-300", "", "", "", "", ""),
                ("cross", "A-100", "Z-9", "", "", "", "", ""),
                ("cross", "A-100", "B-300", "", "", "2026-12-31", "2026-12-01", ""),
                ("up", "A-100", "A-200", "", "", "", "", ""))
    with pytest.raises(ImportRejected) as rejected:
        await IMPORTERS["product_rules"](uow_factory(), bad)
    assert [e.line for e in rejected.value.errors] == [3, 4, 5, 6]  # Z-9 named with the rest
    assert rejected.value.errors[1].reason == "There is no item with number Z-9."
    assert await pl.list_rules(uow_factory(), seeded["manager"]) == []
    unknown = _rows(("cross", "A-100", "Z-9", "", "", "", "", ""))
    with pytest.raises(ImportRejected) as rejected:
        await IMPORTERS["product_rules"](uow_factory(), unknown)
    assert [(e.line, e.reason) for e in rejected.value.errors] == [(2, "There is no item with number Z-9.")]

    good = _rows(("up", "A-100", "A-200", "Wholesale", "5", "2026-12-01", "31-12-2026", "Ask"),
                 ("kruis", "A-100", "B-300", "", "", "", "", ""))
    result = await IMPORTERS["product_rules"](uow_factory(), good)
    assert (result.created, result.updated) == (2, 0)
    again = _rows(("up", "A-100", "A-200", "wholesale", "10", "", "", "Changed"))
    result = await IMPORTERS["product_rules"](uow_factory(), again)
    assert (result.created, result.updated) == (0, 1)
    rules = {v.rule.kind: v.rule for v in await pl.list_rules(uow_factory(), seeded["manager"])}
    assert rules[UP].min_quantity == 10 and rules[UP].note == "Changed" and rules[UP].valid_to is None
    assert rules[CROSS].min_quantity == 0


async def test_two_taps_at_once_add_the_cross_sell_once(uow_factory, clock, seeded):
    import asyncio
    from domain.errors import ConcurrentChange
    await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(CROSS, "A-100", "B-300"))
    qid, [offer] = await _draft(uow_factory, clock, seeded, "A-100 1")
    results = await asyncio.gather(
        *(pl.accept_suggestion(uow_factory, clock, seeded["sales"], offer.offer_id) for _ in range(2)),
        return_exceptions=True)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], (ConcurrentChange, TransitionNotAllowed, InvalidInput))
    q = await quotations.get_quotation(uow_factory(), seeded["sales"], qid)
    assert [(l.item_number, l.quantity) for l in q.lines] == [("A-100", 1), ("B-300", 1)]


async def test_a_suggestion_whose_line_cannot_be_added_stays_open(uow_factory, clock, seeded, monkeypatch):
    await pl.add_rule(uow_factory(), seeded["manager"], RuleSpec(UP, "A-100", "A-200"))
    qid, [offer] = await _draft(uow_factory, clock, seeded, "A-100 1")

    def refuse(*args, **kwargs):
        raise InvalidInput("no")
    # The quotation refuses the change: the acceptance is in the same transaction and is undone.
    monkeypatch.setattr(Quotation, "replace_item", refuse)
    with pytest.raises(InvalidInput):
        await pl.accept_suggestion(uow_factory, clock, seeded["sales"], offer.offer_id)
    q = await quotations.get_quotation(uow_factory(), seeded["sales"], qid)
    assert [l.item_number for l in q.lines] == ["A-100"]
    assert (await _rates(uow_factory, clock, seeded["manager"]))[("A-100", "A-200")] == (1, 0, 0, 1)
