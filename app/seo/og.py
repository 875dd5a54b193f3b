"""Open Graph images (1200×630 PNG) and the favicon, drawn with Pillow in a Japanese font.

The font is Noto Sans CJK JP from Debian's fonts-noto-cjk (what .ci/run and the Dockerfile
install), else another installed CJK font. With none, the log says so once and the images are
drawn without the text they cannot show: a plain card is better than a 500.

This module finds the font and caches the bytes; typeset.py lays text out in a face and
drawing.py draws the card and the mark.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageFont

from app.seo.drawing import Card, draw_card, draw_mark
from app.seo.typeset import Face, Fonts

__all__ = [
    "FONT_CANDIDATES",
    "FONT_DIRS",
    "FONT_PATTERNS",
    "Card",
    "Face",
    "Fonts",
    "card_png",
    "draw_card",
    "favicon_ico",
    "find_fonts",
    "touch_icon_png",
]

log = logging.getLogger("glossary")

ICON_SIZES = ((16, 16), (32, 32), (48, 48))

# (regular, bold) pairs, best first: Noto Sans CJK (fonts-noto-cjk), then IPAex Gothic
# (fonts-ipaexfont-gothic), then whatever fontconfig's Japanese alternatives point at.
FONT_CANDIDATES: tuple[tuple[str, str], ...] = (
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
    ),
    (
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
        "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    ),
    (
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
        "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    ),
)
FONT_PATTERNS = ("*NotoSansCJK*", "*NotoSansJP*", "*ipaexg*", "*ipag*", "*Gothic*", "*CJK*")
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


# ── Fonts ──────────────────────────────────────────────────────────────────────────────────


def _japanese_face(path: str) -> Face | None:
    """The face of a font file that renders Japanese (the JP face of a .ttc collection)."""
    first: Face | None = None
    for index in range(16):
        try:
            font = ImageFont.truetype(path, 20, index=index)
        except OSError:
            break
        family = " ".join(str(part) for part in font.getname())
        if first is None:
            first = Face(path, index)
        if "JP" in family or "Japanese" in family:
            return Face(path, index)
    return first


@lru_cache(maxsize=1)
def find_fonts() -> Fonts | None:
    """The installed Japanese font, or None (logged once) when there is none."""
    pairs: list[tuple[str, str]] = [pair for pair in FONT_CANDIDATES if Path(pair[0]).is_file()]
    if not pairs:
        for directory in FONT_DIRS:
            if not directory.is_dir():
                continue
            for pattern in FONT_PATTERNS:
                for match in sorted(directory.rglob(pattern)):
                    if match.suffix.lower() in (".ttf", ".otf", ".ttc"):
                        pairs.append((str(match), str(match)))
    for regular_path, bold_path in pairs:
        regular = _japanese_face(regular_path)
        if regular is None:
            continue
        bold = _japanese_face(bold_path) if Path(bold_path).is_file() else None
        return Fonts(regular, bold or regular)
    log.error(
        "no Japanese font found for OG images and the favicon; install Debian's fonts-noto-cjk "
        "(or fonts-ipaexfont-gothic). Drawing plain images without Japanese text."
    )
    return None


# ── Images ─────────────────────────────────────────────────────────────────────────────────


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=256)
def card_png(card: Card) -> bytes:
    """The card as PNG bytes, drawn once per distinct card (the data's text is in the key)."""
    try:
        return _png(draw_card(card, find_fonts()))
    except OSError:  # a font file that cannot be read after all: a plain card, not a 500
        log.exception("drawing the OG image of %r failed; drawing it without the font", card.title)
        return _png(draw_card(card, None))


def _mark(size: int, *, rounded: bool) -> Image.Image:
    fonts = find_fonts()
    return draw_mark(size, fonts.bold if fonts else None, rounded=rounded)


@lru_cache(maxsize=1)
def favicon_ico() -> bytes:
    """/favicon.ico: the site's mark at 16, 32 and 48 pixels."""
    buffer = io.BytesIO()
    _mark(256, rounded=True).save(buffer, format="ICO", sizes=list(ICON_SIZES))
    return buffer.getvalue()


@lru_cache(maxsize=1)
def touch_icon_png() -> bytes:
    """/apple-touch-icon.png: 180×180, full bleed (the system rounds the corners)."""
    return _png(_mark(180, rounded=False).convert("RGB"))
