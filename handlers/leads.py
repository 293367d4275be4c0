"""/lead: capture a prospect or lead in one message; /leads: one's parties; on a party: make it a
lead, qualify it into an opportunity, give or revise its estimate, quote it, win or lose it with a
reason."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from aiogram import F
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton as Button, InlineKeyboardMarkup, Message

from bot.i18n import _, current_locale
from domain.errors import N_, InvalidInput
from domain.money import parse_decimal
from domain.relationship import LeadDetails, Party, Source, Stage
from domain.services import relationships
from domain.user import Permission, User
from handlers.deps import Deps
from handlers.labels import label
from handlers.parsing import parse_day, text_or_removal
from handlers.quote_entry import show_draft
from handlers.relationship_render import contact_lines, duplicate_lines, party_text
from handlers.routes import Routes
from handlers.text import esc
from handlers.filters import TYPED

routes = Routes("leads")


class LeadSave(CallbackData, prefix="rs"):
    stage: str  # prospect / lead / discard


class PartyOpen(CallbackData, prefix="ro"):
    party_id: int


class PartyAction(CallbackData, prefix="ra"):
    action: str  # lead / qualify / estimate / quote / win / lose / email / address
    party_id: int


class LeadEntry(StatesGroup):
    details = State()
    confirm = State()
    qualify = State()
    estimate = State()
    win = State()
    lose = State()
    email = State()
    address = State()


LEAD_HELP = N_("Send the lead in one message, one item per line:\n"
               "1. name\n2. company (or -)\n3. e-mail and/or phone\n"
               "4. source: trade show, mailing, referral, website, campaign or other\n5. a note (optional)")


def parse_opportunity(text: str, today: date) -> tuple[Decimal, Decimal, date]:
    """'25000 60 31-12-2026': estimated value, probability in percent, expected close date."""
    words = text.split()
    if len(words) != 3:
        raise InvalidInput(N_("Type the estimated value, the probability and the expected close date, "
                              "for example: 25000 60% 31-12-2026"))
    return parse_decimal(words[0]), parse_decimal(words[1].rstrip("%")), parse_day(words[2], today)


def _details_of(data: dict) -> LeadDetails:
    d = data["lead"]
    return LeadDetails(d["name"], d["company"], d["email"], d["phone"], Source(d["source"]), d["note"])


@routes.message(Command("lead"))
async def new_lead(message: Message, command: CommandObject, user: User, state: FSMContext,
                   deps: Deps) -> None:
    user.require(Permission.LEADS)
    await state.clear()
    await state.set_state(LeadEntry.details)
    if command.args:
        await _preview(message, command.args, user, state, deps)
    else:
        await message.answer(_(LEAD_HELP))


@routes.message(LeadEntry.details, TYPED)
async def details_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    await _preview(message, message.text, user, state, deps)


async def _preview(message: Message, text: str, user: User, state: FSMContext, deps: Deps) -> None:
    """Show what was understood and warn about duplicates; nothing is saved before a tap."""
    details = LeadDetails.from_message(text)
    duplicates = await relationships.find_duplicates(deps.uow(), user, details)
    await state.set_state(LeadEntry.confirm)
    await state.update_data(lead={"name": details.name, "company": details.company, "email": details.email,
                                  "phone": details.phone, "source": str(details.source), "note": details.note})
    rows = contact_lines(details.name, details.company, details.email, details.phone, details.source,
                         details.note)
    keyboard = [[Button(text=_("Save as prospect"), callback_data=LeadSave(stage=Stage.PROSPECT).pack()),
                 Button(text=_("Save as lead"), callback_data=LeadSave(stage=Stage.LEAD).pack())],
                [Button(text=_("Discard"), callback_data=LeadSave(stage="discard").pack())]]
    await message.answer("\n".join(rows + duplicate_lines(duplicates)),
                         reply_markup=InlineKeyboardMarkup(inline_keyboard=keyboard))


@routes.callback_query(LeadEntry.confirm, LeadSave.filter())
async def save_lead(query: CallbackQuery, callback_data: LeadSave, user: User, state: FSMContext,
                    deps: Deps) -> None:
    data = await state.get_data()
    await state.clear()
    await _close_buttons(query)
    if callback_data.stage == "discard":
        await query.answer(_("Discarded."))
        await query.message.answer(_("Nothing was saved."))
        return
    party = await relationships.capture_party(deps.uow(), deps.clock, user, _details_of(data),
                                              Stage(callback_data.stage))
    await query.answer(_("Saved."))
    await show_party(query.message, user, deps, party.id)


@routes.callback_query(LeadSave.filter())
async def stale_save(query: CallbackQuery) -> None:
    await query.answer(_("This choice is no longer open."), show_alert=True)


@routes.message(Command("leads"))
async def list_parties(message: Message, command: CommandObject, user: User, deps: Deps) -> None:
    text = (command.args or "").strip()
    found = await relationships.open_parties(deps.uow(), user, text)
    if not found:
        await message.answer(_("No prospect, lead or opportunity matches “{text}”.").format(text=esc(text))
                             if text else
                             _("You have no prospects, leads or opportunities. /lead captures one."))
        return
    shown = found[:relationships.LIST_LIMIT]
    rows = [[Button(text=f"{p.display_name[:40]} · {label(p.stage)}",
                    callback_data=PartyOpen(party_id=p.id).pack())] for p in shown]
    heading = _("Prospects, leads and opportunities:")
    if len(found) > len(shown):  # the older ones are not lost: they are found by name
        heading += "\n" + _("The newest {count} are shown; type /leads and part of a name or company "
                            "to find the others.").format(count=len(shown))
    await message.answer(heading, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(PartyOpen.filter())
async def open_party(query: CallbackQuery, callback_data: PartyOpen, user: User, deps: Deps) -> None:
    card = await relationships.party_card(deps.uow(), user, callback_data.party_id)  # checks ownership
    await query.answer()
    await query.message.answer(party_text(card.party, card.names, card.account, deps.currency),
                               reply_markup=party_keyboard(card.party, user))


def party_keyboard(party: Party, user: User) -> InlineKeyboardMarkup | None:
    def b(text: str, action: str) -> Button:
        return Button(text=text, callback_data=PartyAction(action=action, party_id=party.id).pack())
    rows = []
    if party.stage is Stage.PROSPECT:
        rows.append([b(_("Make lead"), "lead")])
    if party.stage is not Stage.CUSTOMER and party.open_opportunity is None:
        rows.append([b(_("Qualify as opportunity"), "qualify")])
    if party.open_opportunity is not None:
        rows.append([b(_("Estimate"), "estimate")])
        if user.can(Permission.QUOTE):
            rows.append([b(_("Create quotation"), "quote")])
        rows.append([b(_("Won"), "win"), b(_("Lost"), "lose")])
    if party.stage is not Stage.CUSTOMER and party.customer_id is None:
        rows.append([b(_("E-mail address"), "email"), b(_("Postal address"), "address")])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


async def show_party(message: Message, user: User, deps: Deps, party_id: int) -> None:
    card = await relationships.party_card(deps.uow(), user, party_id)
    await message.answer(party_text(card.party, card.names, card.account, deps.currency),
                         reply_markup=party_keyboard(card.party, user))


@routes.callback_query(PartyAction.filter(F.action == "lead"))
async def make_lead(query: CallbackQuery, callback_data: PartyAction, user: User, deps: Deps) -> None:
    party = await relationships.make_lead(deps.uow(), deps.clock, user, callback_data.party_id)
    await query.answer(_("It is a lead now."))
    await _close_buttons(query)
    await show_party(query.message, user, deps, party.id)


POSTAL_ADDRESS_QUESTION = N_("Which postal address? One line each for street and number, postal code and "
                             "city, and country (or separate them with commas). Type - to remove it.")
OPPORTUNITY_FORMAT = N_("Type the estimated value, the probability and the expected close date, "
                        "for example: 25000 60% 31-12-2026")
ASK = {
    "qualify": (LeadEntry.qualify, OPPORTUNITY_FORMAT),
    "estimate": (LeadEntry.estimate, OPPORTUNITY_FORMAT),
    "win": (LeadEntry.win, N_("Why was it won? Type the reason.")),
    "lose": (LeadEntry.lose, N_("Why was it lost? Type the reason.")),
    "email": (LeadEntry.email, N_("Which e-mail address?")),
    "address": (LeadEntry.address, POSTAL_ADDRESS_QUESTION),
}


@routes.callback_query(PartyAction.filter(F.action.in_(set(ASK))))
async def ask(query: CallbackQuery, callback_data: PartyAction, user: User, state: FSMContext,
              deps: Deps) -> None:
    party = await relationships.get_party(deps.uow(), user, callback_data.party_id)  # checks ownership
    next_state, question = ASK[callback_data.action]
    await state.set_state(next_state)
    await state.update_data(party_id=party.id)
    await query.answer()
    await query.message.answer(_(question))


@routes.message(LeadEntry.qualify, TYPED)
async def qualify_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    value, probability, close = parse_opportunity(message.text, deps.clock.today())
    party_id = (await state.get_data())["party_id"]
    await relationships.qualify(deps.uow(), deps.clock, user, party_id, value, probability, close)
    await state.clear()
    await message.answer(_("Qualified: it is an opportunity now."))
    await show_party(message, user, deps, party_id)


@routes.message(LeadEntry.estimate, TYPED)
async def estimate_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    value, probability, close = parse_opportunity(message.text, deps.clock.today())
    party_id = (await state.get_data())["party_id"]
    await relationships.estimate(deps.uow(), deps.clock, user, party_id, value, probability, close)
    await state.clear()
    await message.answer(_("The estimate is saved."))
    await show_party(message, user, deps, party_id)


@routes.message(LeadEntry.lose, TYPED)
async def lose_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    party_id = (await state.get_data())["party_id"]
    await relationships.lose_opportunity(deps.uow(), deps.clock, user, party_id, message.text)
    await state.clear()
    await message.answer(_("The opportunity is lost."))
    await show_party(message, user, deps, party_id)


@routes.message(LeadEntry.win, TYPED)
async def win_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    party_id = (await state.get_data())["party_id"]
    party, customer = await relationships.win_opportunity(deps.uow(), deps.clock, user, party_id,
                                                          message.text, current_locale())
    await state.clear()
    await message.answer(_("Won! {name} is a customer now, account {account}.").format(
        name=esc(party.display_name), account=esc(customer.account_number)))
    await show_party(message, user, deps, party_id)


@routes.message(LeadEntry.email, TYPED)
async def email_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    party_id = (await state.get_data())["party_id"]
    await relationships.set_email(deps.uow(), user, party_id, message.text)
    await state.clear()
    await show_party(message, user, deps, party_id)


@routes.message(LeadEntry.address, TYPED)
async def address_typed(message: Message, user: User, state: FSMContext, deps: Deps) -> None:
    party_id = (await state.get_data())["party_id"]
    text = text_or_removal(message.text)
    await relationships.set_postal_address(deps.uow(), user, party_id, text)
    await state.clear()
    await show_party(message, user, deps, party_id)


@routes.callback_query(PartyAction.filter(F.action == "quote"))
async def quote(query: CallbackQuery, callback_data: PartyAction, user: User, state: FSMContext,
                deps: Deps) -> None:
    """The quotation draft continues in the ordinary /quote conversation (lines, Send)."""
    q, customer = await relationships.quote_opportunity(deps.uow(), deps.clock, user,
                                                        callback_data.party_id, current_locale())
    await query.answer()
    await show_draft(query.message, deps, q, state, customer)


@routes.message(StateFilter(LeadEntry), ~F.text)
async def not_text(message: Message) -> None:
    await message.answer(_("Please type text, or /cancel."))


async def _close_buttons(query: CallbackQuery) -> None:
    if query.message and query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)
