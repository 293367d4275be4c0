"""The /campaign N funnel: one horizontal bar per step, widest on top, drawn like the pipeline chart
(the object API on the Agg canvas; callers run it off the event loop)."""
from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.pipeline_chart import COLOURS


def funnel_png(title: str, labels: Sequence[str], counts: Sequence[int]) -> bytes:
    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    top = max(counts, default=0) or 1
    widths = [float(c) for c in counts]
    lefts = [(top - w) / 2 for w in widths]  # centred: the funnel's shape
    positions = list(range(len(labels)))[::-1]
    bars = axes.barh(positions, widths, left=lefts, color=[COLOURS[i % len(COLOURS)] for i in positions])
    axes.bar_label(bars, labels=[str(c) for c in counts], label_type="center", fontsize=9)
    axes.set_yticks(positions, list(labels))
    axes.set_xlim(0, top)
    axes.set_xticks([])
    axes.set_title(title)
    axes.spines[["top", "right", "bottom"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
