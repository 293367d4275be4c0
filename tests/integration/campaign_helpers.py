"""Shared set-up for the campaign tests: contacts, a campaign with content, a sender on the sink."""
from __future__ import annotations

from datetime import timedelta

from bot.campaign_mail import CampaignMailer
from bot.campaign_sender import CampaignSender
from bot.campaign_smtp import SmtpConfig
from domain.customer import Customer
from domain.relationship import LeadDetails, Party, Stage
from domain.services import campaigns

SECRET = b"campaign-test-secret"
CONTENT = ("Spring offer for {{ company }}\n"
           "Dear {{ contact_name }},\n\nSee our spring range. {{ salesperson }}\n"
           "Unsubscribe: {{ unsubscribe_url }}")


def mailer() -> CampaignMailer:
    return CampaignMailer("Salesbot <sales@example.com>", "https://bot.example.com", SECRET)


def sender(uow_factory, clock, port: int, **kwargs) -> CampaignSender:
    kwargs.setdefault("rate", 0)
    kwargs.setdefault("lease_seconds", 60)
    kwargs.setdefault("connections", 2)
    kwargs.setdefault("batch", 10)
    return CampaignSender(uow_factory, clock, mailer(), SmtpConfig("127.0.0.1", port, timeout=5), **kwargs)


async def add_customers(uow_factory, count: int, group: str = "retail", language: str = "en",
                        prefix: str = "c") -> list[Customer]:
    made = []
    async with uow_factory() as uow:
        for n in range(count):
            customer = Customer(f"{prefix.upper()}-{n:05d}", f"Customer {prefix}{n}",
                                f"{prefix}{n}@shop.example", language, customer_group=group)
            await uow.customers.add(customer)
            made.append(customer)
        await uow.commit()
    return made


async def add_party(uow_factory, clock, owner_id: int, name: str, email: str,
                    stage: Stage = Stage.LEAD) -> Party:
    party = Party.capture(LeadDetails(name, "Party Co", email), stage, owner_id, clock.now())
    async with uow_factory() as uow:
        await uow.parties.add(party)
        await uow.commit()
    return party


async def ready_campaign(uow_factory, clock, user, selection: str = "stage=customer", language="en"):
    created = await campaigns.create(uow_factory(), clock, user, "e-mail", "Spring", language, selection)
    await campaigns.set_content(uow_factory(), user, created.campaign.id, language, CONTENT)
    return created


async def send_now(uow_factory, clock, user, campaign_id: int) -> None:
    await campaigns.schedule(uow_factory(), clock, user, campaign_id, None)
    assert await campaigns.start(uow_factory(), clock, campaign_id)


async def drain(sender: CampaignSender, rounds: int = 50) -> None:
    for _ in range(rounds):
        if not await sender.drain_once():
            return


def later(clock, seconds: float) -> None:
    clock.at += timedelta(seconds=seconds)
