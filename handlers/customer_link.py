"""Issue 4 §1: a customer links their Telegram account (deep link), a salesperson invites, /stop unlinks."""
from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (BotCommandScopeChat, CallbackQuery, InlineKeyboardButton as Button,
                           InlineKeyboardMarkup, Message)

from bot.i18n import _, set_locale
from domain.customer_link import require_secret
from domain.consent import ConsentSource
from domain.services import campaigns, customer_links
from domain.user import Permission, User
from handlers.deps import Deps
from handlers.routes import Routes
from handlers.start import help_text, publish_menu
from handlers.text import day, esc

routes = Routes("customer_link")


class InvitePick(CallbackData, prefix="ci"):
    customer_id: int


async def open_deep_link(message: Message, data: dict[str, Any], user: User | None) -> None:
    """`/start <token>` from anyone (called by UserMiddleware before any router): link the account.

    A domain error (forged, expired, used link; a staff account) goes to the error handler, which
    answers in the sender's language.
    """
    deps: Deps = data["deps"]
    bot: Bot = data["bot"]
    token = message.text.strip().partition(" ")[2].strip()
    sender = message.from_user
    linked = await customer_links.link_account(deps.uow(), deps.clock, deps.links.secret, token,
                                               sender.id, sender.full_name)
    if user is None or user.language is None:
        set_locale(linked.user.language or "en")
    await publish_menu(bot, linked.user, message.chat.id)
    if linked.already:
        text = _("This Telegram account is already linked to {customer}.").format(
            customer=esc(linked.customer.name))
    else:
        text = _("Welcome, {name}! This Telegram account is now linked to {customer}.").format(
            name=esc(linked.user.name), customer=esc(linked.customer.name))
    await message.answer(text + "\n\n" + _("What you can do:") + "\n" + help_text(linked.user))


@routes.message(Command("stop", "unlink"))
async def unlink(message: Message, user: User, deps: Deps, bot: Bot) -> None:
    customer = await customer_links.unlink_account(deps.uow(), user)
    # issue 5 §K: /stop is also an opt-out of campaign messages in Telegram (the consent record)
    await campaigns.telegram_opt_out(deps.uow(), deps.clock, message.from_user.id, ConsentSource.STOP,
                                     customer.id)
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=message.chat.id))
    await message.answer(_("This Telegram account is no longer linked to {customer}, and you will get no "
                           "more messages here. Your documents stay as they are; the link in our next "
                           "e-mail connects you again.").format(customer=esc(customer.name)))


@routes.message(Command("invite"))
async def invite(message: Message, command: CommandObject, user: User, deps: Deps, bot: Bot) -> None:
    user.require(Permission.INVITE)
    require_secret(deps.links.secret)  # say so now, before anything is queued
    await deps.links.learn_username(bot)
    found = await customer_links.customers_to_invite(deps.uow(), user, command.args or "")
    if not found:
        await message.answer(_("No customer of yours matches '{text}'.").format(text=esc(command.args)))
        return
    if len(found) == 1:
        await _invite(message, user, deps, found[0].id)
        return
    rows = [[Button(text=f"{c.account_number} · {c.name[:40]}",
                    callback_data=InvitePick(customer_id=c.id).pack())] for c in found]
    await message.answer(_("Which customer?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@routes.callback_query(InvitePick.filter())
async def invite_picked(query: CallbackQuery, callback_data: InvitePick, user: User, deps: Deps,
                        bot: Bot) -> None:
    user.require(Permission.INVITE)
    require_secret(deps.links.secret)
    await deps.links.learn_username(bot)
    await query.answer()
    await _invite(query.message, user, deps, callback_data.customer_id)


async def _invite(message: Message, user: User, deps: Deps, customer_id: int) -> None:
    customer = await customer_links.invite_customer(deps.uow(), deps.clock, user, customer_id)
    deps.mail_queued()
    now = deps.clock.now()
    link = deps.links.link(customer.id, now)
    await message.answer(
        _("An invitation is e-mailed to {name} ({email}). You can also pass on this link yourself; "
          "it works once, until {date}:").format(name=esc(customer.name), email=esc(customer.email),
                                                 date=day((now + deps.links.validity).date()))
        + "\n" + esc(link))
