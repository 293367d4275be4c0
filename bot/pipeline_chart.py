"""The /pipeline chart: a PNG bar chart of value per stage with the counts, drawn with matplotlib.

matplotlib is CPU work and not thread-safe through pyplot: the figure is built with the object
API on the Agg canvas (no global state), and callers run it off the event loop (asyncio.to_thread).
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

COLOURS = ("#9ecae1", "#6baed6", "#3182bd", "#31a354", "#bdbdbd")


def pipeline_png(title: str, labels: Sequence[str], counts: Sequence[int], values: Sequence[Decimal],
                 value_label: str, value_texts: Sequence[str], notes: Sequence[str] = ()) -> bytes:
    """One bar per stage (height: value), each labelled with its count and formatted value; a
    non-empty note (e.g. how many have no estimate yet) is added under the count."""
    figure = Figure(figsize=(7, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    heights = [float(v) for v in values]
    bars = axes.bar(range(len(labels)), heights, color=COLOURS[:len(labels)])
    notes = list(notes) + [""] * (len(labels) - len(notes))
    axes.set_xticks(range(len(labels)), [f"{l}\n({c})" + (f"\n{n}" if n else "")
                                         for l, c, n in zip(labels, counts, notes)])
    axes.set_title(title)
    axes.set_ylabel(value_label)
    axes.bar_label(bars, labels=list(value_texts), padding=2, fontsize=8)
    top = max(heights, default=0)
    axes.set_ylim(0, top * 1.15 if top > 0 else 1)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
