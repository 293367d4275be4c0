"""/campaigns (issue 5 §1): create, fill, preview, test, schedule, pause, resume and cancel campaigns.

    /newcampaign            four lines: type, name, language, selection -> the target count
    /content N en           then the subject line, the text, optionally ---html--- and the HTML
    /schedule N 2026-12-01 09:00   (company time zone) or /schedule N now
    /campaigns              the list; a campaign's card has the buttons
"""
from __future__ import annotations

from datetime import datetime

from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (BufferedInputFile, CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup,
                           Message)

from bot.campaign_kit import CampaignKit
from bot.i18n import _
from domain.campaign import Campaign, CampaignStatus as S, CampaignType
from domain.errors import N_, InvalidInput
from domain.services import campaign_letters, campaigns
from domain.services.campaigns import CampaignView
from domain.user import Permission, User
from handlers.campaign_types import count_lines
from handlers.deps import Deps
from handlers.labels import label
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("campaigns")


class CampaignOpen(CallbackData, prefix="gc"):
    campaign_id: int


class CampaignAct(CallbackData, prefix="ga"):
    action: str  # p preview, t test, l letters PDF, n send now (asks), y send now (confirmed), z pause,
    #              r resume, x cancel
    campaign_id: int


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


def card_text(v: CampaignView, clock) -> str:
    c, p = v.campaign, v.progress
    tz = clock.now().tzinfo
    lines = [_("<b>Campaign #{id}: {name}</b>").format(id=c.id, name=esc(c.name)),
             _("Type: {type} · language: {language} · status: {status}").format(
                 type=esc(label(c.type)), language=esc(c.language), status=esc(label(c.status))),
             _("Selection: {selection}").format(selection=esc(c.selection.describe())),
             _("Content in: {languages}").format(
                 languages=", ".join(sorted(x.language for x in c.contents)) or "-")]
    if c.scheduled_at:
        lines.append(_("Scheduled: {when}").format(when=_when(c.scheduled_at.astimezone(tz))))
    if c.type is not CampaignType.EMAIL:
        lines.extend(count_lines(v))
    elif c.status in (S.DRAFT, S.SCHEDULED) and not c.started_at:
        lines.append(_("Reaches {count} contact(s); {skipped} opted out and will be skipped.").format(
            count=p.targeted - p.skipped, skipped=p.skipped))
    else:
        lines.append(_("Recipients: {targeted} · sent {sent} · queued {queued} · failed {failed} · "
                       "bounced {bounced} · skipped {skipped}").format(
            targeted=p.targeted, sent=p.sent, queued=p.queued + p.sending, failed=p.failed,
            bounced=p.bounced, skipped=p.skipped))
        if p.cancelled:
            lines.append(_("{count} recipient(s) were not sent anything: the campaign was cancelled first.")
                         .format(count=p.cancelled))
        if p.unknown:
            lines.append(_("{count} mail(s) were being sent when the sender stopped and may or may not "
                           "have arrived; they are not sent again.").format(count=p.unknown))
    return "\n".join(lines)


def card_buttons(c: Campaign) -> InlineKeyboardMarkup:
    def b(label: str, action: str) -> Button:
        return Button(text=label, callback_data=CampaignAct(action=action, campaign_id=c.id).pack())
    rows = []
    if c.type is CampaignType.EMAIL and c.status in (S.DRAFT, S.SCHEDULED, S.PAUSED) and c.contents:
        rows.append([b(_("Preview"), "p"), b(_("Test to me"), "t")])
    if c.type is CampaignType.MAILING and c.status in (S.DRAFT, S.DONE) and c.contents:
        rows.append([b(_("Letters PDF"), "l")])
    if c.type is CampaignType.EMAIL and c.status in (S.DRAFT, S.SCHEDULED):
        rows.append([b(_("Send now"), "n")])
    if c.type is CampaignType.TELEMARKETING and c.status in (S.DRAFT, S.SCHEDULED):
        rows.append([b(_("Start calling now"), "n")])
    if c.status in (S.SCHEDULED, S.SENDING):
        rows.append([b(_("Pause"), "z")])
    if c.status is S.PAUSED:
        rows.append([b(_("Resume"), "r")])
    if c.status in (S.DRAFT, S.SCHEDULED, S.SENDING, S.PAUSED):
        rows.append([b(_("Cancel campaign"), "x")])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _show(message: Message, user: User, deps: Deps, campaign_id: int, note: str = "") -> None:
    v = await campaigns.view(deps.uow(), user, campaign_id)
    text = (note + "\n\n" if note else "") + card_text(v, deps.clock)
    await message.answer(text, reply_markup=card_buttons(v.campaign))


@routes.message(Command("campaigns"))
async def list_campaigns(message: Message, user: User, deps: Deps) -> None:
    found = await campaigns.listing(deps.uow(), user)
    usage = _("New campaign: /newcampaign, then four lines: type (e-mail, mailing or telemarketing), name, "
              "language (en or nl) and selection (for example stage=customer group=retail language=nl "
              "tag=vip, or all).")
    if not found:
        await message.answer(_("No campaigns yet.") + "\n" + usage)
        return
    rows = [[Button(text=f"#{c.id} {c.name[:40]} · {label(c.status)}",
                    callback_data=CampaignOpen(campaign_id=c.id).pack())] for c in found]
    await message.answer(_("Campaigns:") + "\n" + usage, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(CampaignOpen.filter())
async def open_campaign(query: CallbackQuery, callback_data: CampaignOpen, user: User, deps: Deps) -> None:
    await query.answer()
    await _show(query.message, user, deps, callback_data.campaign_id)


@routes.message(Command("newcampaign"))
async def new_campaign(message: Message, command: CommandObject, user: User, deps: Deps) -> None:
    user.require(Permission.CAMPAIGNS)
    created = await campaigns.create_from_message(deps.uow(), deps.clock, user, command.args or "")
    note = _("Campaign #{id} is saved as a draft. Nothing is sent until you schedule it. Next: /content "
             "{id} {language}, then the subject line and the text.").format(
        id=created.campaign.id, language=created.campaign.language)
    await _show(message, user, deps, created.campaign.id, note)


def _id_and_rest(args: str | None, usage: str, **params) -> tuple[int, str]:
    first, _sep, rest = (args or "").strip().partition("\n")
    words = first.split()
    if not words or not words[0].lstrip("#").isdigit():
        raise InvalidInput(usage, **params)
    return int(words[0].lstrip("#")), " ".join(words[1:]) + ("\n" + rest if rest else "")


CONTENT_USAGE = N_("Type /content, the campaign number and the language on the first line, e.g. /content 3 "
                   "en; then the subject line, then the text. Merge fields: {fields}.")
MERGE_FIELDS = ("{{ contact_name }}, {{ company }}, {{ salesperson }}, {{ campaign }}, {{ unsubscribe_url }}, "
                "{{ interest_url }}")


@routes.message(Command("content"))
async def set_content(message: Message, command: CommandObject, user: User, deps: Deps) -> None:
    user.require(Permission.CAMPAIGNS)
    campaign_id, rest = _id_and_rest(command.args, CONTENT_USAGE, fields=MERGE_FIELDS)
    language, _sep, text = rest.partition("\n")
    if not language.strip() or not text.strip():
        raise InvalidInput(CONTENT_USAGE, fields=MERGE_FIELDS)
    await campaigns.set_content(deps.uow(), user, campaign_id, language.strip(), text)
    await _show(message, user, deps, campaign_id, _("The content in {language} is saved.").format(
        language=esc(language.strip())))


SCHEDULE_USAGE = N_("Type /schedule, the campaign number and a date and time (company time), e.g. "
                    "/schedule 3 2026-12-01 09:00, or /schedule 3 now.")


async def _ready(kit: CampaignKit, user: User, deps: Deps, campaign_id: int) -> CampaignType:
    """E-mail campaigns need the unsubscribe secret before they are scheduled; the others do not."""
    kind = (await campaigns.view(deps.uow(), user, campaign_id)).campaign.type
    if kind is CampaignType.EMAIL:
        kit.require_ready()
    return kind


def _starting(kind: CampaignType) -> str:
    if kind is CampaignType.TELEMARKETING:
        return _("The call list is ready within a minute; salespeople find their calls with /calls.")
    return _("Sending starts within a minute.")


@routes.message(Command("schedule"))
async def schedule(message: Message, command: CommandObject, user: User, deps: Deps, **data) -> None:
    user.require(Permission.CAMPAIGNS)
    kit: CampaignKit = data["campaigns"]
    campaign_id, rest = _id_and_rest(command.args, SCHEDULE_USAGE)
    rest = rest.strip()
    kind = await _ready(kit, user, deps, campaign_id)
    if rest.lower() in ("now", "nu"):
        at = None
    else:
        try:
            at = datetime.strptime(rest, "%Y-%m-%d %H:%M").replace(tzinfo=deps.clock.now().tzinfo)
        except ValueError:
            raise InvalidInput(SCHEDULE_USAGE) from None
    await campaigns.schedule(deps.uow(), deps.clock, user, campaign_id, at)
    kit.sender.wake()
    await _show(message, user, deps, campaign_id, _("Scheduled.") if at else _starting(kind))


@routes.callback_query(CampaignAct.filter())
async def act(query: CallbackQuery, callback_data: CampaignAct, user: User, deps: Deps, **data) -> None:
    user.require(Permission.CAMPAIGNS)
    kit: CampaignKit = data["campaigns"]
    cid, action = callback_data.campaign_id, callback_data.action
    await query.answer()
    if action == "p":
        rendered, recipient = await kit.preview(user, cid)
        await query.message.answer(
            _("Preview for {name} ({email}):").format(name=esc(recipient.name), email=esc(recipient.email))
            + "\n\n<b>" + esc(rendered.subject) + "</b>\n\n" + esc(rendered.text))
        return
    if action == "t":
        attempt = await kit.send_test(user, cid)
        await query.message.answer(
            _("A test was sent to {email}.").format(email=esc(user.email)) if attempt.delivered else
            _("The test could not be sent: {reason}").format(reason=esc(attempt.detail)))
        return
    if action == "l":
        printed = await campaign_letters.print_letters(deps.uow(), deps.clock, user, cid, kit.render_letters)
        caption = _("{count} letter(s), one per page, for the print shop.").format(count=printed.letters)
        if printed.without_address:
            caption += "\n" + _("{count} of them have no postal address. Salespeople add it: a "
                                 "customer's in /customer (or the customer import), a party's on its "
                                 "card in /leads. Then print again.").format(
                count=printed.without_address)
        await query.message.answer_document(
            BufferedInputFile(printed.pdf, filename=f"campaign-{cid}-letters.pdf"), caption=caption)
        await _show(query.message, user, deps, cid)
        return
    if action == "n":
        v = await campaigns.view(deps.uow(), user, cid)
        if v.campaign.type is CampaignType.TELEMARKETING:
            count = v.contacts.contacts - v.contacts.without_phone
            question = _("Build the call list of campaign #{id} for {count} contact(s) now?")
        else:
            count = v.progress.targeted - v.progress.skipped
            question = _("Send campaign #{id} to {count} contact(s) now?")
        await query.message.answer(
            question.format(id=cid, count=count),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[[Button(
                text=_("Yes, start now") if v.campaign.type is CampaignType.TELEMARKETING else _("Yes, send now"),
                callback_data=CampaignAct(action="y", campaign_id=cid).pack())]]))
        return
    if action == "y":
        kind = await _ready(kit, user, deps, cid)
        await campaigns.schedule(deps.uow(), deps.clock, user, cid, None)
        kit.sender.wake()
        note = _starting(kind)
    elif action == "z":
        await campaigns.pause(deps.uow(), user, cid)
        note = _("Paused: nothing more is sent until you resume.")
    elif action == "r":
        await campaigns.resume(deps.uow(), user, cid)
        kit.sender.wake()
        note = _("Resumed.")
    elif action == "x":
        await campaigns.cancel(deps.uow(), deps.clock, user, cid)
        note = _("Cancelled: nothing more is sent.")
    else:
        return
    await _show(query.message, user, deps, cid, note)
