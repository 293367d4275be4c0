"""The mail intake use case on the real database (issue 4 §3): known and unknown senders, duplicates."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.documents.renderer import DocumentRenderer, company_header
from bot.mail import build_message
from bot.mail_composer import MailComposer
from bot.mail_requests import QuotationRequestSink
from bot.settings import Settings
from domain.consent import Channel, ConsentSource, unsubscribe_token
from domain.customer import Customer
from domain.errors import InvalidInput
from domain.item import Item
from domain.mail_intake import InboundMail, MailState
from domain.outbox import MailKind, OutboxMail
from domain.quotation_request import RequestSource
from domain.relationship import Party, Source, Stage
from domain.services.mail_intake import FetchedMail, Outcome, is_recorded, process_mail

OWN = ("sales@salesbot.test",)
SECRET = b"intake-test-secret"


class RecordingSink:
    """Stands in for issue 4 §2's quotation requests: records each call, inside the transaction."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[dict] = []
        self.fail = fail

    async def create_request(self, uow, clock, customer_id, lines, note, source, original_mail):
        if self.fail:
            raise RuntimeError("the request could not be stored")
        self.calls.append(dict(customer_id=customer_id, lines=list(lines), note=note, source=source,
                               original_mail=original_mail))
        return 1000 + len(self.calls)


def raw_mail(body: str, sender: str = "Buyer <BUYER@acme.example>", message_id: str = "<m1@acme.example>",
             subject: str = "Quote please", **extra: str) -> bytes:
    headers = {"From": sender, "To": "sales@salesbot.test", "Subject": subject, "Message-ID": message_id,
               **{k.replace("_", "-"): v for k, v in extra.items()}}
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items() if v is not None)
    return (head + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + body.replace("\n", "\r\n")).encode()


def fetched(raw: bytes, uid: int = 1, uidvalidity: int = 7) -> FetchedMail:
    return FetchedMail("INBOX", uidvalidity, uid, raw)


async def _count(uow_factory, model) -> int:
    async with uow_factory() as uow:
        return await uow.session.scalar(select(func.count()).select_from(model))


async def _all(uow_factory, model) -> list:
    async with uow_factory() as uow:
        return list(await uow.session.scalars(select(model)))


async def test_a_known_contact_gets_a_request_for_their_account(uow_factory, clock, seeded):
    sink = RecordingSink()
    body = "Hello,\n\nA-100 x 5\n2 x standing desk\n3 x chair mat\nB-300 x 0\n\n-- \nBuyer\nA-200 x 9\n"
    result = await process_mail(uow_factory(), clock, sink, fetched(raw_mail(body)), own_addresses=OWN)
    assert result.outcome is Outcome.PROCESSED
    assert result.customer.id == seeded["acme"].id and result.party is None
    [call] = sink.calls
    assert call["customer_id"] == seeded["acme"].id and call["source"] == "e-mail"
    assert call["original_mail"] == raw_mail(body)
    assert "A-100 x 5" in call["note"] and "A-200" not in call["note"]
    lines = call["lines"]
    assert [(line.text, line.item_id, line.quantity) for line in lines] == [
        ("A-100 x 5", seeded["chair"].id, Decimal(5)), ("2 x standing desk", seeded["desk"].id, Decimal(2)),
        ("3 x chair mat", None, Decimal(3)), ("B-300 x 0", seeded["book"].id, None)]
    assert [line.matched for line in lines] == [True, True, False, False]
    assert lines[2].problem == "No item matches '{text}'."
    assert lines[3].problem == "The quantity must be more than zero."

    [mail] = await _all(uow_factory, InboundMail)
    assert (mail.state, mail.customer_id, mail.request_id, mail.uid, mail.uidvalidity) == (
        MailState.PROCESSED, seeded["acme"].id, 1001, 1, 7)
    assert mail.raw == raw_mail(body) and mail.lines == lines and mail.sender == "BUYER@acme.example"
    [ack] = await _all(uow_factory, OutboxMail)
    assert (ack.kind, ack.ref_id, ack.recipient, ack.language) == (
        MailKind.MAIL_REQUEST_RECEIVED, mail.id, "buyer@acme.example", "en")


async def test_an_unknown_sender_becomes_a_prospect_with_a_provisional_account(uow_factory, clock, seeded):
    sink = RecordingSink()
    raw = raw_mail("Goedemiddag,\n5 stuks bureaustoel\n", sender="Jan de Vries <jan@devries.example>")
    async with uow_factory() as uow:
        await uow.items.add(Item("N-1", "Bureaustoel", "pcs", Decimal("99"), Decimal("21")))
        await uow.commit()
    result = await process_mail(uow_factory(), clock, sink, fetched(raw), own_addresses=OWN)
    assert result.outcome is Outcome.PROCESSED
    [party] = await _all(uow_factory, Party)
    assert (party.name, party.email, party.stage, party.source) == (
        "Jan de Vries", "jan@devries.example", Stage.PROSPECT, Source.MAILING)
    assert party.owner_id == seeded["manager"].id and party.customer_id == result.customer.id
    async with uow_factory() as uow:
        customer = await uow.customers.get(party.customer_id)
    assert customer.account_number.startswith("P-") and customer.language == "nl"
    assert sink.calls[0]["customer_id"] == customer.id
    assert sink.calls[0]["lines"][0].item_number == "N-1"
    [ack] = await _all(uow_factory, OutboxMail)
    assert ack.language == "nl" and ack.recipient == "jan@devries.example"

    # A second mail from the same address goes to the same prospect and account.
    again = await process_mail(uow_factory(), clock, sink,
                               fetched(raw_mail("A-100 x 1\n", sender="JAN@devries.example",
                                                message_id="<m2@devries.example>"), uid=2))
    assert again.outcome is Outcome.PROCESSED and again.customer.id == customer.id
    assert await _count(uow_factory, Party) == 1 and await _count(uow_factory, Customer) == 3


async def test_the_prospect_owner_can_be_chosen(uow_factory, clock, seeded):
    raw = raw_mail("A-100 x 1\n", sender="new@shop.example")
    await process_mail(uow_factory(), clock, RecordingSink(), fetched(raw), prospect_owner=1001)
    [party] = await _all(uow_factory, Party)
    assert party.owner_id == seeded["sales"].id and party.name == "new"


async def test_a_mail_is_processed_once_by_uid_and_by_message_id(uow_factory, clock, seeded):
    sink = RecordingSink()
    raw = raw_mail("A-100 x 5\n")
    assert (await process_mail(uow_factory(), clock, sink, fetched(raw))).outcome is Outcome.PROCESSED
    assert await is_recorded(uow_factory(), "INBOX", 7, 1)
    assert not await is_recorded(uow_factory(), "INBOX", 8, 1)
    # The same UID again (a restart mid-poll), and the same mail under a new UIDVALIDITY.
    assert (await process_mail(uow_factory(), clock, sink, fetched(raw))).outcome is Outcome.DUPLICATE
    assert (await process_mail(uow_factory(), clock, sink,
                               fetched(raw, uid=1, uidvalidity=8))).outcome is Outcome.DUPLICATE
    assert len(sink.calls) == 1
    assert await _count(uow_factory, InboundMail) == 1 and await _count(uow_factory, OutboxMail) == 1


async def test_a_failing_request_records_nothing_so_the_mail_is_tried_again(uow_factory, clock, seeded):
    raw = raw_mail("A-100 x 5\n", sender="someone@new.example")
    with pytest.raises(RuntimeError):
        await process_mail(uow_factory(), clock, RecordingSink(fail=True), fetched(raw))
    for model in (InboundMail, OutboxMail, Party):
        assert await _count(uow_factory, model) == 0
    assert await _count(uow_factory, Customer) == 2
    assert not await is_recorded(uow_factory(), "INBOX", 7, 1)
    assert (await process_mail(uow_factory(), clock, RecordingSink(), fetched(raw))).outcome is Outcome.PROCESSED


@pytest.mark.parametrize("raw, outcome, state", [
    (raw_mail("A-100 x 1\n", sender="not an address"), Outcome.FAILED, MailState.FAILED),
    (raw_mail("A-100 x 1\n", sender=None), Outcome.FAILED, MailState.FAILED),
    (raw_mail("A-100 x 1\n", Auto_Submitted="auto-replied"), Outcome.IGNORED, MailState.IGNORED),
    (raw_mail("A-100 x 1\n", sender="Salesbot <Sales@Salesbot.test>"), Outcome.IGNORED, MailState.IGNORED),
])
async def test_mail_that_cannot_be_answered_is_recorded_and_left_alone(uow_factory, clock, seeded, raw,
                                                                        outcome, state):
    sink = RecordingSink()
    result = await process_mail(uow_factory(), clock, sink, fetched(raw), own_addresses=OWN)
    assert result.outcome is outcome and sink.calls == []
    [mail] = await _all(uow_factory, InboundMail)
    assert mail.state == state and mail.error and mail.raw == raw
    assert await _count(uow_factory, OutboxMail) == 0 and await _count(uow_factory, Party) == 0
    assert (await process_mail(uow_factory(), clock, sink, fetched(raw))).outcome is Outcome.DUPLICATE


async def test_the_mailto_unsubscribe_of_a_campaign_mail_opts_the_contact_out_and_asks_nothing(
        uow_factory, clock, seeded):
    """List-Unsubscribe's mailto: a mail client sends 'unsubscribe TOKEN' to the request mailbox,
    often from another address and marked automatic; the signed token says who."""
    token = unsubscribe_token(SECRET, "customer", seeded["acme"].id)
    raw = raw_mail("This message was automatically generated by Gmail.\n", sender="other@mail.example",
                   subject=f"unsubscribe {token}", Auto_Submitted="auto-generated")
    sink = RecordingSink()
    result = await process_mail(uow_factory(), clock, sink, fetched(raw), own_addresses=OWN,
                                unsubscribe_secret=SECRET)
    assert result.outcome is Outcome.UNSUBSCRIBED and sink.calls == []
    [mail] = await _all(uow_factory, InboundMail)
    assert mail.state == MailState.UNSUBSCRIBED and mail.customer_id == seeded["acme"].id
    async with uow_factory() as uow:
        consent = await uow.consents.get(Channel.EMAIL, seeded["acme"].email)
    assert consent.opted_out and consent.source is ConsentSource.UNSUBSCRIBE
    assert await _count(uow_factory, OutboxMail) == 0 and await _count(uow_factory, Party) == 0


async def test_an_unsubscribe_subject_without_a_valid_token_is_an_ordinary_mail(uow_factory, clock, seeded):
    forged = unsubscribe_token(b"another key", "customer", seeded["cafe"].id)
    sink = RecordingSink()
    result = await process_mail(uow_factory(), clock, sink, fetched(raw_mail("Hi\n", subject=f"unsubscribe {forged}")),
                                own_addresses=OWN, unsubscribe_secret=SECRET)
    assert result.outcome is Outcome.PROCESSED and len(sink.calls) == 1  # a person reads it
    async with uow_factory() as uow:
        assert await uow.consents.get(Channel.EMAIL, seeded["cafe"].email) is None


async def test_an_outlook_reply_to_the_acknowledgement_asks_only_for_what_was_typed_above_it(
        uow_factory, clock, seeded):
    body = ("Graag ook:\n2 x A-200\n\nMet vriendelijke groet,\nJan\n\n"
            "Van: Salesbot <sales@salesbot.test>\nVerzonden: dinsdag 24 november 2026 09:00\n"
            "Aan: Jan <buyer@acme.example>\nOnderwerp: Re: Quote please\n\n"
            "We hebben uw aanvraag ontvangen:\n- 5 x A-100 Office chair\n")
    sink = RecordingSink()
    await process_mail(uow_factory(), clock, sink, fetched(raw_mail(body)), own_addresses=OWN)
    [call] = sink.calls
    assert [(line.text, line.item_id) for line in call["lines"]] == [("2 x A-200", seeded["desk"].id)]
    assert "A-100" not in call["note"]


async def test_the_acknowledgement_lists_matched_and_flagged_lines_in_the_customers_language(
        uow_factory, clock, seeded):
    raw = raw_mail("A-100 x 5\n3 x kattenbak\n", sender="inkoop@HOOGVLIET.example",
                   message_id="<req-7@hoogvliet.example>", subject="Offerte stoelen")
    await process_mail(uow_factory(), clock, RecordingSink(), fetched(raw))
    settings = Settings(_env_file=None, mail_from="Salesbot <sales@salesbot.test>")
    composer = MailComposer(settings, DocumentRenderer(company_header(settings), settings.currency))
    async with uow_factory() as uow:
        [row] = await uow.outbox.due(clock.now(), 10)
        assert row.language == "nl"
        out = await composer.compose(uow, row)
    assert out.to == "inkoop@hoogvliet.example" and "Offerte stoelen" in out.subject
    assert "A-100" in out.text and "Office chair" in out.text and "kattenbak" in out.text
    assert "kattenbak" in out.html and "A-100" in out.html
    message = build_message(out)
    assert message["In-Reply-To"] == "<req-7@hoogvliet.example>"
    assert message["Auto-Submitted"] == "auto-replied"


class RefusingSink(RecordingSink):
    """A rule refuses the request (a domain error): the mail would be refused at every poll."""

    async def create_request(self, uow, clock, customer_id, lines, note, source, original_mail):
        self.calls.append(dict(customer_id=customer_id))
        raise InvalidInput("A request can have at most {count} lines.", count=50)


async def test_a_refused_request_records_the_mail_as_failed_once_instead_of_retrying_it(
        uow_factory, clock, seeded):
    raw = raw_mail("A-100 x 5\n")
    sink = RefusingSink()
    result = await process_mail(uow_factory(), clock, sink, fetched(raw), own_addresses=OWN)
    assert result.outcome is Outcome.FAILED and len(sink.calls) == 1
    [mail] = await _all(uow_factory, InboundMail)
    assert mail.state is MailState.FAILED and "at most 50 lines" in mail.error and mail.raw == raw
    assert await _count(uow_factory, OutboxMail) == 0  # nothing half-done: no acknowledgement
    assert await is_recorded(uow_factory(), "INBOX", 7, 1)  # so the poller flags it and moves on
    assert (await process_mail(uow_factory(), clock, sink, fetched(raw))).outcome is Outcome.DUPLICATE
    assert len(sink.calls) == 1


PROSE = ("Good morning,\n\nCould you send us a quote for twenty of your office chairs? We are moving "
         "to a new office in March and need them before then.\n\nKind regards,\nBuyer\n")


@pytest.mark.parametrize("body", [PROSE, PROSE + "\n".join(f"Paragraph {n}: " + "we like your chairs. " * 8
                                                           for n in range(12)) + "\nA-100 x 20\n"],
                         ids=["no item line", "long prose and a line"])
async def test_a_mail_of_prose_or_a_long_mail_becomes_a_request_a_salesperson_reads(
        uow_factory, clock, seeded, body):
    sink = QuotationRequestSink(notices=None)
    result = await process_mail(uow_factory(), clock, sink, fetched(raw_mail(body)), own_addresses=OWN)
    assert result.outcome is Outcome.PROCESSED
    async with uow_factory() as uow:
        request = await uow.quotation_requests.get(result.mail.request_id)
        [ack] = await uow.outbox.due(clock.now(), 10)
    assert request.source is RequestSource.EMAIL and request.customer_id == seeded["acme"].id
    assert "twenty of your office chairs" in request.note  # the whole text, over the 1 000 typed in Telegram
    assert ("Paragraph 11" in request.note and len(request.note) > 2000) == ("A-100" in body)
    assert [line.text for line in request.lines] == (["A-100 x 20"] if "A-100" in body else [])
    assert ack.kind == MailKind.MAIL_REQUEST_RECEIVED
