"""The font of every printed document: DejaVu Sans (the euro sign, accents and Cyrillic).

fpdf2's core fonts are Latin-1 only (no euro sign in some viewers, no Cyrillic), so the documents
embed DejaVu Sans. matplotlib ships it in its package data; we only *locate* the files via
importlib (importing matplotlib costs ~0.3 s and pulls in numpy). fpdf2 subsets the font, so a
PDF stays small.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

FONT = "DejaVu"


@lru_cache(maxsize=1)
def font_paths() -> tuple[Path, Path]:
    """(regular, bold) DejaVu Sans from matplotlib's package data, without importing it."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed: it provides the DejaVu fonts for PDFs")
    ttf = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
    paths = (ttf / "DejaVuSans.ttf", ttf / "DejaVuSans-Bold.ttf")
    for path in paths:
        if not path.is_file():
            raise RuntimeError(f"DejaVu font not found at {path}")
    return paths
