"""/start and /help: a greeting by name and the commands of the user's role (also the menu)."""
from __future__ import annotations

from aiogram import Bot
from aiogram.filters import Command, CommandStart
from aiogram.types import BotCommand, BotCommandScopeChat, Message

from bot.i18n import _
from domain.errors import N_
from domain.user import Permission, Role, User
from handlers.customer_view import customer_greeting
from handlers.labels import label
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("start")

# (command, description msgid, who: a permission, several (any of them), a role, or None for everyone)
COMMANDS = (
    ("quote", N_("New quotation"), Permission.QUOTE),
    ("quotes", N_("My open quotations"), Permission.QUOTE),
    ("orders", N_("Open sales orders"), Permission.DELIVER),
    ("freetext", N_("New free text invoice"), Permission.INVOICE),
    ("lead", N_("Capture a prospect or lead"), Permission.LEADS),
    ("leads", N_("My prospects, leads and opportunities"), Permission.LEADS),
    ("pipeline", N_("Count and value per stage"), Permission.LEADS),
    ("calls", N_("My call list: the next telemarketing call"), Permission.LEADS),
    ("customer", N_("A customer's e-mail, postal address and language"), Permission.QUOTE),
    ("tag", N_("Tag a customer or party"), (Permission.LEADS, Permission.CAMPAIGNS)),
    ("prices", N_("Trade agreements: prices and discounts"), Permission.SEE_ALL),
    ("agreements", N_("Sales agreements"), Permission.AGREEMENT),
    ("return", N_("Return goods from an invoice"), Permission.INVOICE),
    ("productlists", N_("Up-sell and cross-sell rules"), Permission.MANAGE_PRODUCT_LISTS),
    ("suggestions", N_("How often suggestions are taken"), Permission.MANAGE_PRODUCT_LISTS),
    ("invoicing", N_("Invoice a month's deliveries"), Permission.INVOICE),
    ("backorders", N_("Backorders by item, customer or vendor"), Permission.BACKORDERS),
    ("myquotes", N_("My quotations"), Role.CUSTOMER),
    ("myorders", N_("My orders"), Role.CUSTOMER),
    ("myinvoices", N_("My invoices"), Role.CUSTOMER),
    ("mybackorders", N_("My backorders: what is still to be delivered"), Role.CUSTOMER),
    ("unlink", N_("Stop messages: disconnect this Telegram account"), Role.CUSTOMER),
    ("request", N_("Request a quote"), Role.CUSTOMER),
    ("requests", N_("Quotation requests from customers"), Permission.QUOTE),
    ("invite", N_("Invite a customer to link their Telegram account"), Permission.INVITE),
    ("campaigns", N_("Campaigns: e-mails to customers and prospects"), Permission.CAMPAIGNS),
    ("language", N_("Choose English or Dutch"), None),
    ("cancel", N_("Leave the current conversation"), None),
    ("help", N_("What this bot can do"), None),
)


def commands_for(user: User) -> list[BotCommand]:
    return [BotCommand(command=name, description=_(text)) for name, text, needed in COMMANDS
            if _offered(user, needed)]


def _offered(user: User, needed: Permission | tuple[Permission, ...] | Role | None) -> bool:
    """None: everyone; a Permission: staff who hold it (any of several); a Role: that role only."""
    if isinstance(needed, Role):
        return user.role is needed
    if isinstance(needed, tuple):
        return any(user.can(p) for p in needed)
    return needed is None or user.can(needed)


async def publish_menu(bot: Bot, user: User, chat_id: int) -> None:
    """Telegram's command menu for this chat shows the role's commands in the user's language."""
    await bot.set_my_commands(commands_for(user), scope=BotCommandScopeChat(chat_id=chat_id))


def help_text(user: User) -> str:
    rows = [f"/{c.command} — {esc(c.description)}" for c in commands_for(user)]
    return "\n".join(rows)


@routes.message(CommandStart())
async def start(message: Message, bot: Bot, user: User) -> None:
    await publish_menu(bot, user, message.chat.id)
    await message.answer(greeting(user) + "\n\n" + help_text(user))


def greeting(user: User) -> str:
    """Customers get their own wording (addressed formally in Dutch); staff see their role."""
    if user.role is Role.CUSTOMER:
        return customer_greeting(user)
    return _("Hello {name}! You are signed in as {role}. What you can do:").format(
        name=esc(user.name), role=esc(label(user.role)))


@routes.message(Command("help"))
async def help_(message: Message, user: User) -> None:
    await message.answer(help_text(user))
