"""/language: a user picks English or Dutch, overriding Telegram's language code."""
from __future__ import annotations

from aiogram import Bot
from handlers.routes import Routes
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.i18n import _, set_locale
from domain.services.users import set_language
from domain.user import User
from handlers.callbacks import LanguagePick
from handlers.deps import Deps
from handlers.start import publish_menu

routes = Routes("language")
CHOICES = (("en", "English"), ("nl", "Nederlands"))


@routes.message(Command("language"))
async def ask_language(message: Message) -> None:
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=name, callback_data=LanguagePick(code=code).pack())
        for code, name in CHOICES]])
    await message.answer(_("Which language would you like?"), reply_markup=keyboard)


@routes.callback_query(LanguagePick.filter())
async def pick_language(query: CallbackQuery, callback_data: LanguagePick, user: User,
                        deps: Deps, bot: Bot) -> None:
    user = await set_language(deps.uow(), user.id, callback_data.code)
    set_locale(user.language)
    await query.answer()
    await publish_menu(bot, user, query.message.chat.id)
    await query.message.edit_text(_("From now on I will answer in English."))
