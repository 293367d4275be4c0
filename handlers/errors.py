"""One error handler: a domain error becomes a translated reply; anything else is logged, and the
user is asked to try again (a unit of work that failed rolled back; one that committed before the
failure, e.g. before a reply could be sent, kept its change, hence no promise that nothing changed)."""
from __future__ import annotations

import logging


from handlers.routes import Routes
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent

from bot.formatting import plain_text
from bot.i18n import _
from domain.errors import DomainError
from handlers.text import error_text

log = logging.getLogger(__name__)
routes = Routes("errors")
ALERT_LIMIT = 200  # characters Telegram shows in a callback query's alert


async def _reply(event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query:
            await _tell_tapper(update.callback_query, text)
        elif update.message:
            await update.message.answer(text)
    except TelegramAPIError as exc:  # e.g. the user blocked the bot meanwhile
        log.warning("could not tell the user about an error: %s", exc)


async def _tell_tapper(query: CallbackQuery, text: str) -> None:
    """An alert on the tap; in the chat instead when the text is too long for an alert or the
    handler had answered the tap already (a tap is answered once: a second answer is refused)."""
    alert = plain_text(text)  # alerts are plain text: no tags, the HTML escaping undone
    try:
        if len(alert) <= ALERT_LIMIT:
            if await query.answer(alert, show_alert=True):  # False: too late (bot/telegram_hiccups.py)
                return
        else:
            await query.answer()
    except TelegramBadRequest:
        pass
    chat_id = query.message.chat.id if query.message else query.from_user.id
    await query.bot.send_message(chat_id, text)


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
    await _reply(event, _("Sorry, something went wrong on our side. Please check whether it was done, and if not, try "
                          "again."))
