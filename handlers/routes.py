"""Handlers are collected at import time and a fresh aiogram Router is built per dispatcher.

An aiogram Router can belong to one parent only; building per dispatcher lets the bot, the
console demo and every test run their own dispatcher in one process.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.state import State, StatesGroup
from magic_filter import MagicFilter


class MagicCheck(Filter):
    """A magic filter (`F.text`, ...) resolved on the event loop.

    aiogram runs a synchronous filter or handler through `asyncio.to_thread`: a thread hand-off
    per check, ~0.1-0.8 ms with the GIL contended, and a typed line passes a dozen checks. A
    `State` and the `F` filters are synchronous, so every filter is made asynchronous here.
    """

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: Any) -> Any:
        return self.magic.resolve(event)


def on_the_loop(event_filter: Any) -> Any:
    """The same check, as one aiogram awaits instead of sending to a thread."""
    if isinstance(event_filter, Filter) or inspect.iscoroutinefunction(event_filter):
        return event_filter
    if isinstance(event_filter, MagicFilter):
        return MagicCheck(event_filter)
    if isinstance(event_filter, State) or (inspect.isclass(event_filter)
                                           and issubclass(event_filter, StatesGroup)):
        return StateFilter(event_filter)
    raise TypeError(f"synchronous filter {event_filter!r}: make it a Filter or a coroutine")


class Routes:
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[tuple[str, tuple[Any, ...], Callable]] = []

    def _collect(self, observer: str, filters: tuple[Any, ...]) -> Callable[[Callable], Callable]:
        def register(handler: Callable) -> Callable:
            if not inspect.iscoroutinefunction(handler):  # aiogram would run it in a thread
                raise TypeError(f"handler {handler.__qualname__} must be a coroutine function")
            self._handlers.append((observer, tuple(on_the_loop(f) for f in filters), handler))
            return handler
        return register

    def message(self, *filters: Any) -> Callable[[Callable], Callable]:
        return self._collect("message", filters)

    def callback_query(self, *filters: Any) -> Callable[[Callable], Callable]:
        return self._collect("callback_query", filters)

    def errors(self, *filters: Any) -> Callable[[Callable], Callable]:
        return self._collect("errors", filters)

    def build(self) -> Router:
        router = Router(name=self.name)
        for observer, filters, handler in self._handlers:
            getattr(router, observer).register(handler, *filters)
        return router
