"""/tag: add or remove a contact's tags (issue 5 §1), for campaign selections.

    /tag C-001 +vip -old     a customer by account number
    /tag P12 +beurs          a party by its number
    /tag C-001               shows the tags
"""
from __future__ import annotations

from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import _
from domain.errors import N_, InvalidInput
from domain.services import contact_tags
from domain.user import User
from handlers.deps import Deps
from handlers.routes import Routes
from handlers.text import esc

routes = Routes("contact_tags")

TAG_USAGE = N_("Type /tag, a customer's account number or a party (P and its number), then the tags to "
               "add and remove, e.g. /tag C-001 +vip -old.")


@routes.message(Command("tag"))
async def tag(message: Message, command: CommandObject, user: User, deps: Deps) -> None:
    reference, _sep, change = (command.args or "").strip().partition(" ")
    if not reference:
        raise InvalidInput(TAG_USAGE)
    if change.strip():
        tagged = await contact_tags.change_tags(deps.uow(), user, reference, change)
    else:
        tagged = await contact_tags.tags_of(deps.uow(), user, reference)
    await message.answer(_("Tags of {contact}: {tags}").format(
        contact=esc(tagged.contact.label), tags=esc(" ".join(tagged.tags)) or "-"))
