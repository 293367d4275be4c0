"""Every filter and handler of the bot runs on the event loop: aiogram sends a synchronous one to a
thread per check (handlers/routes.py), which made the dispatch of a typed line ~1.5 ms slower."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from aiogram import F
from aiogram.fsm.state import State, StatesGroup

from bot.app import build_dispatcher
from bot.settings import Settings
from handlers.routes import MagicCheck, Routes


class Steps(StatesGroup):
    first = State()


def _all_handlers(router):
    for observer in router.observers.values():
        yield from observer.handlers
    for child in router.sub_routers:
        yield from _all_handlers(child)


def test_no_handler_or_filter_of_the_bot_goes_to_a_thread():
    dp = build_dispatcher(deps=SimpleNamespace(), settings=Settings(_env_file=None))
    handlers = list(_all_handlers(dp))
    assert len(handlers) > 100  # the whole bot, not an empty tree
    sync = [h.callback for h in handlers if not h.awaitable]
    sync += [f.callback for h in handlers for f in (h.filters or []) if not f.awaitable]
    assert sync == []


async def test_a_magic_filter_checks_the_same_on_the_loop():
    typed = MagicCheck(F.text & ~F.text.startswith("/"))
    assert await typed(SimpleNamespace(text="A-100 2"))
    assert not await typed(SimpleNamespace(text="/quote"))
    assert not await typed(SimpleNamespace(text=None))
    assert await MagicCheck(F.text.as_("typed"))(SimpleNamespace(text="hi")) == {"typed": "hi"}


def test_states_become_state_filters_and_a_plain_function_is_refused():
    routes = Routes("t")

    @routes.message(Steps.first, Steps)
    async def handler(message) -> None:
        pass

    built = routes.build().message.handlers[0]
    assert all(f.awaitable for f in built.filters)
    with pytest.raises(TypeError, match="synchronous filter"):
        routes.message(lambda message: True)(handler)
    with pytest.raises(TypeError, match="coroutine"):
        routes.message()(lambda message: None)
