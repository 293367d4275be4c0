"""Filters shared by the conversations."""
from __future__ import annotations

from aiogram import F

# Text typed in a step of a conversation. A command (/orders, /quotes, ...) is not an answer to the
# step: it goes on to its own handler, as the user meant.
TYPED = F.text & ~F.text.startswith("/")
