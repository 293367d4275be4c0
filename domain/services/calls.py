"""Working a telemarketing campaign's call list (issue 5 §1): the next call, and logging outcomes.

Who: salespeople and managers (Permission.LEADS). A salesperson sees and logs only the calls
assigned to them; a manager also works the unassigned ones (logging one takes it). Every outcome is
checked against the user on arrival, so a button replayed from another chat changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.call_list import Call, CallOutcome, campaign_cancelled
from domain.campaign import Campaign, CampaignStatus
from domain.campaign_response import ResponseKind, effect_of, start_sales_process
from domain.errors import N_, NotFound, TransitionNotAllowed
from domain.ports import Clock, UnitOfWork
from domain.user import Permission, User


@dataclass(frozen=True)
class CallCard:
    call: Call
    campaign_name: str
    campaign_id: int


@dataclass(frozen=True)
class Logged:
    call: Call
    campaign_done: bool


def _not_yours(call_id: int) -> NotFound:
    return NotFound(N_("Call #{number} does not exist or is not on your list."), number=call_id)


async def next_call(uow: UnitOfWork, clock: Clock, user: User) -> CallCard | None:
    user.require(Permission.LEADS)
    async with uow:
        call = await uow.calls.next_for(user.id, clock.today(), user.can(Permission.SEE_ALL))
        if call is None:
            return None
        campaign = await uow.campaigns.get(call.campaign_id)
        return CallCard(call, campaign.name, campaign.id)


async def _own_call(uow: UnitOfWork, user: User, call_id: int) -> tuple[Call, Campaign]:
    call = await uow.calls.get(call_id)
    if call is None or not (call.assigned_to == user.id or
                            (call.assigned_to is None and user.can(Permission.SEE_ALL))):
        raise _not_yours(call_id)
    campaign = await uow.campaigns.get(call.campaign_id)
    if campaign.status is CampaignStatus.CANCELLED:
        raise campaign_cancelled(campaign.label)
    if campaign.status is not CampaignStatus.SENDING:
        raise TransitionNotAllowed(N_("Campaign {number} is {status}; its calls wait."), number=campaign.label,
                                   status=campaign.status)
    return call, campaign


async def check_call(uow: UnitOfWork, user: User, call_id: int) -> Call:
    """Before asking for a call-back date: the call is the user's and still open."""
    user.require(Permission.LEADS)
    async with uow:
        call, _campaign = await _own_call(uow, user, call_id)
        call.require_open()
        return call


async def log_outcome(uow: UnitOfWork, clock: Clock, user: User, call_id: int, outcome: CallOutcome,
                      call_back_on: date | None = None) -> Logged:
    user.require(Permission.LEADS)
    now = clock.now()
    async with uow:
        call, campaign = await _own_call(uow, user, call_id)
        if call.assigned_to is None:
            call.take(user.id)
        call.log(outcome, user.id, now, clock.today(), call_back_on)
        if call.outcome is CallOutcome.INTERESTED:
            await _record_interest(uow, campaign, call, user, now)
        await uow.flush()
        done = not await uow.calls.open_count(campaign.id)
        if done:
            campaign.finish(now)
        await uow.commit()
    return Logged(call, done)


async def _record_interest(uow: UnitOfWork, campaign: Campaign, call: Call, user: User, now: datetime) -> None:
    """A positive response by telephone starts the sales process as a button or link does
    (domain/campaign_response.py): a prospect becomes a lead, a lead an opportunity with its estimate
    pending, by the caller. Nobody else is told: the caller is the salesperson, and the call's
    outcome is the record of it."""
    if call.contact_kind != "party":
        return
    party = await uow.parties.get(call.contact_id)
    if party is not None:
        effect = effect_of(ResponseKind.INTERESTED, "party", party.stage, party.open_opportunity is not None)
        start_sales_process(party, effect, user.id, now)
