"""A mailing campaign's letters (issue 5 §1): its content merged per target into one print file.

Consent: a postal letter is not an e-mail, but a contact who opted out themselves (the unsubscribe
link, /stop, or staff on their word) has said no to our marketing, so they get no letter either; an
address that merely bounced does not stop a letter. Producing the file makes the campaign DONE; a
done mailing can be printed again (same targets as now), which changes nothing.

Each letter carries the contact's postal address where one is known (a customer's from the customer
import, a party's from its card in /leads). Letters without one are still made, so the file keeps one
letter per target, and the marketer is told how many lack an address before they go to the printer.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from domain.campaign import Campaign
from domain.campaign_content import CompiledContent
from domain.errors import N_, InvalidInput
from domain.ports import Clock, UnitOfWork
from domain.services.campaigns import _get
from domain.user import Permission, User


@dataclass(frozen=True)
class Letter:
    language: str
    contact_name: str
    company: str
    subject: str
    body: str
    dated: date
    address: tuple[str, ...] = ()  # the postal address's lines; () when unknown


@dataclass(frozen=True)
class PrintFile:
    campaign: Campaign
    letters: int
    pdf: bytes
    without_address: int = 0  # letters with no postal address to print


async def print_letters(uow: UnitOfWork, clock: Clock, user: User, campaign_id: int,
                        render: Callable[[Sequence[Letter]], bytes]) -> PrintFile:
    """Merge every target's letter, render them (`render`, e.g. to one PDF), then mark it done."""
    user.require(Permission.CAMPAIGNS)
    now = clock.now()
    async with uow:
        campaign = await _get(uow, user, campaign_id)
        campaign.print_letters(now)  # checks type, content and state before any work
        targets = await uow.campaign_contacts.letter_targets(campaign)
        if not targets:
            raise InvalidInput(N_("Campaign {number} reaches nobody: no contact matches its selection."),
                               number=campaign.label)
        compiled: dict[str, CompiledContent] = {}
        letters = []
        for target in targets:
            content = campaign.content_for(target.language)
            template = compiled.get(content.language) or compiled.setdefault(content.language,
                                                                             CompiledContent(content))
            rendered = template.render({"contact_name": target.name, "company": target.company,
                                        "salesperson": target.salesperson, "campaign": campaign.name,
                                        "unsubscribe_url": ""})
            letters.append(Letter(content.language, target.name, target.company, rendered.subject,
                                  rendered.text.strip("\n"), now.date(),
                                  tuple(target.postal_address.splitlines())))
        pdf = await asyncio.to_thread(render, letters)
        await uow.commit()
    return PrintFile(campaign, len(letters), pdf, sum(1 for letter in letters if not letter.address))
