"""Keep aiogram's parametrised response models alive for the life of the process.

aiogram validates every API answer with `Response[<returning type>]`, a pydantic generic that
pydantic caches only weakly: between two requests the garbage collector may drop the class, and
rebuilding it costs about 10 ms of CPU per request (measured with bench/quotation_entry.py). Holding
a strong reference to the ones this bot uses makes each answer a cache hit.
"""
from __future__ import annotations

import gc

from aiogram import methods
from aiogram.methods.base import Response

USED_METHODS = (
    methods.SendMessage, methods.EditMessageText, methods.EditMessageReplyMarkup,
    methods.AnswerCallbackQuery, methods.SendDocument, methods.SendPhoto, methods.SetMyCommands,
    methods.DeleteMyCommands, methods.GetMe, methods.GetUpdates, methods.DeleteWebhook,
    methods.SetWebhook, methods.DeleteMessage, methods.SendChatAction,
)

_PINNED: list[type] = []


def pin_response_models() -> None:
    if not _PINNED:
        _PINNED.extend(Response[m.__returning__] for m in USED_METHODS)


def freeze_startup_heap() -> None:
    """After assembly, before the first update: collect once, then move every object alive now
    (modules, routers, ORM mappers, templates, pydantic models: tens of thousands, kept for the
    life of the process) into the collector's permanent generation. Full collections then skip
    them: in bench/quotation_entry.py one full pass over them took ~0.25 s, a tenth of the run.
    Not in `build_app`: a test process builds many apps, and what is frozen is never collected."""
    gc.collect()
    gc.freeze()
