"""One error handler: a domain error becomes a translated reply; anything else is logged, and the
user is asked to try again (a unit of work that failed rolled back; one that committed before the
failure, e.g. before a reply could be sent, kept its change, hence no promise that nothing changed)."""
from __future__ import annotations

import logging


from handlers.routes import Routes
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.formatting import plain_text
from bot.i18n import _
from domain.errors import DomainError
from handlers.text import error_text

log = logging.getLogger(__name__)
routes = Routes("errors")


async def _reply(event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query:
            # Alerts are plain text: no tags, and the HTML escaping of the reply text undone.
            await update.callback_query.answer(plain_text(text)[:200], show_alert=True)
        elif update.message:
            await update.message.answer(text)
    except TelegramAPIError as exc:  # e.g. the user blocked the bot meanwhile
        log.warning("could not tell the user about an error: %s", exc)


@routes.errors(ExceptionTypeFilter(DomainError))
async def domain_error(event: ErrorEvent) -> None:
    await _reply(event, error_text(event.exception))


@routes.errors(ExceptionTypeFilter(TelegramForbiddenError))
async def chat_blocked(event: ErrorEvent) -> None:
    """The user blocked the bot (or was deactivated): there is nobody to tell; what was saved stays."""
    log.warning("update %s: %s", event.update.update_id, event.exception)


@routes.errors()
async def unexpected_error(event: ErrorEvent) -> None:
    log.exception("unexpected error in update %s", event.update.update_id, exc_info=event.exception)
    await _reply(event, _("Sorry, something went wrong on our side. Please try again; /quotes and /orders show what is saved."))
