"""Handlers are collected at import time and a fresh aiogram Router is built per dispatcher.

An aiogram Router can belong to one parent only; building per dispatcher lets the bot, the
console demo and every test run their own dispatcher in one process.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router




class Routes:
    def __init__(self, name: str) -> None:
        self.name = name
        self._handlers: list[tuple[str, tuple[Any, ...], Callable]] = []

    def _collect(self, observer: str, filters: tuple[Any, ...]) -> Callable[[Callable], Callable]:
        def register(handler: Callable) -> Callable:
            self._handlers.append((observer, filters, handler))
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
