"""/start and /help: a greeting by name and the commands of the user's role (also the menu)."""
from __future__ import annotations

from aiogram import Bot
from handlers.routes import Routes
from aiogram.filters import Command, CommandStart
from aiogram.types import BotCommand, BotCommandScopeChat, Message

from bot.i18n import _
from domain.errors import N_
from domain.user import Permission, User
from handlers.labels import label
from handlers.text import esc

routes = Routes("start")

# (command, description msgid, permission needed or None for everyone)
COMMANDS = (
    ("quote", N_("New quotation"), Permission.QUOTE),
    ("quotes", N_("My open quotations"), Permission.QUOTE),
    ("orders", N_("Open sales orders"), Permission.DELIVER),
    ("freetext", N_("New free text invoice"), Permission.INVOICE),
    # ~~ §1 relationships ~~
    # ~~ end §1 ~~

    # ~~ §2 pricing ~~
    # ~~ end §2 ~~

    # ~~ §3 sales agreements ~~
    # ~~ end §3 ~~

    # ~~ §4 order types ~~
    # ~~ end §4 ~~

    # ~~ §5 up-sell/cross-sell ~~
    # ~~ end §5 ~~

    # ~~ §6 invoicing ~~
    # ~~ end §6 ~~

    # ~~ §7 backorders ~~
    ("backorders", N_("Backorders by item, customer or vendor"), Permission.BACKORDERS),
    # ~~ end §7 ~~
    ("language", N_("Choose English or Dutch"), None),
    ("cancel", N_("Leave the current conversation"), None),
    ("help", N_("What this bot can do"), None),
)


def commands_for(user: User) -> list[BotCommand]:
    return [BotCommand(command=name, description=_(text)) for name, text, needed in COMMANDS
            if needed is None or user.can(needed)]


async def publish_menu(bot: Bot, user: User, chat_id: int) -> None:
    """Telegram's command menu for this chat shows the role's commands in the user's language."""
    await bot.set_my_commands(commands_for(user), scope=BotCommandScopeChat(chat_id=chat_id))


def help_text(user: User) -> str:
    rows = [f"/{c.command} — {esc(c.description)}" for c in commands_for(user)]
    return "\n".join(rows)


@routes.message(CommandStart())
async def start(message: Message, bot: Bot, user: User) -> None:
    await publish_menu(bot, user, message.chat.id)
    await message.answer(
        _("Hello {name}! You are signed in as {role}. What you can do:").format(
            name=esc(user.name), role=esc(label(user.role))) + "\n\n" + help_text(user))


@routes.message(Command("help"))
async def help_(message: Message, user: User) -> None:
    await message.answer(help_text(user))
