"""/pipeline: count and value per relationship stage, as text and as a chart (a salesperson's own;
a manager's holds everyone's). Opportunities whose estimate is pending are counted and named as
such; they add no value."""
from __future__ import annotations

import asyncio

from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message

from bot.formatting import format_money
from bot.i18n import _, current_locale
from bot.pipeline_chart import pipeline_png
from domain.relationship import Stage
from domain.services import relationships
from domain.user import Permission, User
from handlers.deps import Deps
from handlers.labels import label
from handlers.relationship_render import pipeline_text
from handlers.routes import Routes

routes = Routes("pipeline")


@routes.message(Command("pipeline"))
async def show_pipeline(message: Message, user: User, deps: Deps) -> None:
    rows = await relationships.pipeline(deps.uow(), user)
    everyone = user.can(Permission.SEE_ALL)
    await message.answer(pipeline_text(rows, deps.currency, everyone))
    locale = current_locale()
    png = await asyncio.to_thread(
        pipeline_png, _("Pipeline of everyone") if everyone else _("Your pipeline"),
        [label(r.key) for r in rows], [r.count for r in rows], [r.value for r in rows],
        deps.currency, [format_money(r.value, deps.currency, locale) for r in rows],
        [_("{count} without estimate").format(count=r.pending) if r.pending and r.key is Stage.OPPORTUNITY
         else "" for r in rows])
    await message.answer_photo(BufferedInputFile(png, filename="pipeline.png"),
                               caption=_("Value per stage; the number of each in brackets."))
