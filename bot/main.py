"""`salesbot run`: migrate, assemble the app, long-poll Telegram until SIGINT/SIGTERM."""
from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError

from bot.app import build_app, make_bot
from bot.settings import Settings
from bot.warmup import freeze_startup_heap
from storage.migrate import upgrade_async

log = logging.getLogger(__name__)


class MissingToken(Exception):
    """SALESBOT_BOT_TOKEN is not set."""


class TokenRefused(Exception):
    """Telegram answered 401: the token is well formed but revoked or mistyped."""


class TelegramUnreachable(Exception):
    """Telegram (SALESBOT_TELEGRAM_API_URL) could not be asked who the bot is; str() says why."""


async def introduce(bot: Bot) -> None:
    """Ask Telegram who the bot is (getMe, remembered by the bot) before anything else starts, so a
    wrong token or an unreachable Telegram ends the start with one line instead of a traceback from
    whichever part asked first. Not retried: at start-up an admin is watching, and a wrong URL
    should not look like a bot that hangs. Once polling runs, aiogram retries network errors itself."""
    try:
        await bot.me()
    except TelegramUnauthorizedError:
        raise TokenRefused() from None
    except TelegramNetworkError as exc:
        raise TelegramUnreachable(exc.message) from None
    except TelegramAPIError as exc:  # e.g. a URL that is not a Bot API server (404), or its 5xx
        raise TelegramUnreachable(f"getMe was answered with {exc.message!r}") from None


async def run_polling(settings: Settings) -> None:
    if settings.bot_token is None or not settings.bot_token.get_secret_value().strip():
        raise MissingToken()
    token = settings.bot_token.get_secret_value().strip()
    # Validate the token before touching the database: aiogram raises TokenValidationError.
    bot = make_bot(settings, token)
    try:
        await introduce(bot)
        await upgrade_async(settings.database_url)
    except BaseException:
        await bot.session.close()
        raise
    app = build_app(settings, bot)
    try:
        await app.start_background()
        freeze_startup_heap()
        if app.accept_web is not None and app.accept_web.webhook is not None:  # §A: SALESBOT_WEBHOOK_URL
            await app.accept_web.serve_webhook()
            return
        log.info("polling Telegram as bot id %s", bot.id)
        # start_polling stops gracefully on SIGINT/SIGTERM (handle_signals=True by default);
        # app.close() closes the bot session, the engine and the scheduler afterwards.
        await app.dispatcher.start_polling(
            app.bot, close_bot_session=False,
            allowed_updates=app.dispatcher.resolve_used_update_types())
    finally:
        await app.close()
