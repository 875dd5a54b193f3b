"""Open Graph images (1200×630 PNG) and the favicon, drawn with Pillow in a Japanese font.

The font is Noto Sans CJK JP from Debian's fonts-noto-cjk (what .ci/run and the Dockerfile
install), else another installed CJK font. With none, the log says so once and the images are
drawn without the text they cannot show: a plain card is better than a 500.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.text.i18n import Lang

log = logging.getLogger("glossary")

WIDTH, HEIGHT = 1200, 630
ICON_SIZES = ((16, 16), (32, 32), (48, 48))

# The palette of static/app.css (light scheme).
BG = "#fdfdfc"
FG = "#1d2327"
MUTED = "#5b6670"
LINE = "#dde2e6"
ACCENT = "#1f4e79"
ACCENT_SOFT = "#e6eef6"
WHITE = "#ffffff"

MARGIN = 80
BADGE_MARK = "語"

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

# Characters a line must not start with (行頭禁則), so a wrapped title never begins with 、 or ー.
NO_LINE_START = frozenset("、。,.・:;!?)]}）」』】ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ々")


@dataclass(frozen=True)
class Face:
    path: str
    index: int


@dataclass(frozen=True)
class Fonts:
    regular: Face
    bold: Face


@dataclass(frozen=True)
class Card:
    """Everything an image shows; equal cards draw equal images, so it is the cache key."""

    lang: Lang
    site_name: str
    title: str
    kicker: str = ""  # above the title: the reading on a Japanese card
    subtitle: str = ""  # below the title: the name in the other language
    subtitle_note: str = ""  # after the subtitle, quieter: the reading on an English card
    note: str = ""  # a sentence under it all: a description, a count
    footer: str = ""  # bottom left: where the page is
    diagram: bool = False  # the demo's x → h → y → L network


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


@lru_cache(maxsize=64)
def _font(face: Face | None, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    if face is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(face.path, size, index=face.index)


def _drawable(text: str, face: Face | None) -> str:
    """Without a Japanese font, only what the fallback font can draw (no tofu boxes)."""
    text = " ".join(text.split())  # one line, single spaces
    if face is not None:
        return text
    return text if all(ord(ch) < 0x250 or ch in "—–…→" for ch in text) else ""


# ── Text layout ────────────────────────────────────────────────────────────────────────────


def _width(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont
) -> float:
    return float(draw.textlength(text, font=font))


def _tokens(text: str) -> list[str]:
    """Break opportunities: after each space in Latin text, between any two CJK characters."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ch == " ":
            tokens.append(word + " ")
            word = ""
        elif ord(ch) >= 0x2E80:  # CJK, kana, full-width forms
            if word:
                tokens.append(word)
                word = ""
            if ch in NO_LINE_START and tokens:
                tokens[-1] += ch
            else:
                tokens.append(ch)
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    max_width: int,
) -> list[str]:
    """Lines of text no wider than max_width (a word wider than that gets a line of its own)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if line and _width(draw, (line + token).rstrip(), font) > max_width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class Block:
    lines: tuple[str, ...]
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    size: int
    color: str
    leading: float = 1.25  # line height as a multiple of the size
    gap: int = 0  # space above
    tail: str = ""  # quieter text after the last line, on its baseline (a reading)
    tail_font: ImageFont.FreeTypeFont | ImageFont.ImageFont | None = None


def fit(
    draw: ImageDraw.ImageDraw,
    text: str,
    face: Face | None,
    *,
    sizes: range,
    max_width: int,
    max_lines: int,
) -> tuple[list[str], int]:
    """The largest size in sizes at which text fits in max_lines; cut with … at the smallest."""
    size = sizes.start
    for size in sizes:
        font = _font(face, size)
        lines = wrap(draw, text, font, max_width)
        if len(lines) <= max_lines and all(_width(draw, x, font) <= max_width for x in lines):
            return lines, size
    font = _font(face, size)
    lines = wrap(draw, text, font, max_width)[:max_lines]
    last = lines[-1]
    while last and _width(draw, last + "…", font) > max_width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return [_cut(draw, line, font, max_width) for line in lines], size


def _cut(
    draw: ImageDraw.ImageDraw,
    line: str,
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont,
    max_width: int,
) -> str:
    """A line shortened with … until it fits (one very long word)."""
    if _width(draw, line, font) <= max_width:
        return line
    while line and _width(draw, line + "…", font) > max_width:
        line = line[:-1]
    return line + "…"


def _stack(draw: ImageDraw.ImageDraw, blocks: list[Block], top: int, bottom: int) -> None:
    """Draw blocks one under another, centred as a whole between top and bottom."""
    heights = [b.gap + round(b.size * b.leading) * len(b.lines) for b in blocks]
    y = top + max(0, (bottom - top - sum(heights)) // 2)
    for block in blocks:
        y += block.gap
        step = round(block.size * block.leading)
        for line in block.lines:
            # The baseline sits where the line box's half-leading and the ascent put it.
            baseline = y + round((step - block.size) / 2 + block.size * 0.88)
            draw.text((MARGIN, baseline), line, font=block.font, fill=block.color, anchor="ls")
            y += step
        if block.tail and block.lines and block.tail_font is not None:
            x = MARGIN + _width(draw, block.lines[-1], block.font) + block.size * 0.5
            if x + _width(draw, block.tail, block.tail_font) <= WIDTH - MARGIN:
                draw.text((x, baseline), block.tail, font=block.tail_font, fill=MUTED, anchor="ls")


# ── Drawing ────────────────────────────────────────────────────────────────────────────────


def _badge(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], face: Face | None) -> None:
    """The site's mark (static/favicon.svg): 語 in white on an accent rounded square."""
    left, top, right, _ = box
    size = right - left
    draw.rounded_rectangle(box, radius=round(size * 12 / 64), fill=ACCENT)
    if face is not None:
        font = _font(face, round(size * 0.62))
        centre = (left + size / 2, top + size / 2 + size * 0.02)
        draw.text(centre, BADGE_MARK, font=font, fill=WHITE, anchor="mm")


def _diagram(draw: ImageDraw.ImageDraw, face: Face | None, top: int) -> None:
    """The demo's network: x → h → y → L forward, and the error flowing back, dashed."""
    labels = ("x", "h", "y", "L")
    radius, spacing = 40, 110  # spacing: the room between two circles for the arrows
    left = MARGIN
    step = 2 * radius + spacing
    centres = [(left + radius + i * step, top + radius) for i in range(len(labels))]
    font = _font(face, 40)
    for (cx, cy), (nx, _) in pairwise(centres):
        start, end = cx + radius + 8, nx - radius - 8
        draw.line((start, cy - 10, end - 12, cy - 10), fill=ACCENT, width=4)
        draw.polygon(((end, cy - 10), (end - 16, cy - 19), (end - 16, cy - 1)), fill=ACCENT)
        for x in range(end, start + 12, -18):  # dashed, pointing back
            draw.line((max(x - 10, start + 12), cy + 12, x, cy + 12), fill=MUTED, width=3)
        draw.polygon(((start, cy + 12), (start + 14, cy + 5), (start + 14, cy + 19)), fill=MUTED)
    for (cx, cy), label in zip(centres, labels, strict=True):
        fill = ACCENT if label == "L" else ACCENT_SOFT
        draw.ellipse(
            (cx - radius, cy - radius, cx + radius, cy + radius), fill=fill, outline=ACCENT, width=3
        )
        color = WHITE if label == "L" else ACCENT
        draw.text((cx, cy), label, font=font, fill=color, anchor="mm")


def draw_card(card: Card, fonts: Fonts | None) -> Image.Image:
    """The 1200×630 image of a card."""
    regular = fonts.regular if fonts else None
    bold = fonts.bold if fonts else None
    image = Image.new("RGB", (WIDTH, HEIGHT), BG)
    draw = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN

    # Header: the mark and the site's name.
    _badge(draw, (MARGIN, 56, MARGIN + 60, 116), bold)
    site_name = _drawable(card.site_name, regular)
    if site_name:
        draw.text((MARGIN + 84, 86), site_name, font=_font(bold, 32), fill=FG, anchor="lm")

    # Footer: a rule, where the page lives, and the accent band along the bottom edge.
    draw.line((MARGIN, 528, WIDTH - MARGIN, 528), fill=LINE, width=2)
    footer = _drawable(card.footer, regular)
    if footer:
        lines, size = fit(
            draw, footer, regular, sizes=range(28, 19, -2), max_width=inner, max_lines=1
        )
        draw.text((MARGIN, 572), lines[0], font=_font(regular, size), fill=MUTED, anchor="lm")
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=ACCENT)

    blocks: list[Block] = []
    bottom = 500
    if card.diagram:
        _diagram(draw, bold, 396)
        bottom = 372
    kicker = _drawable(card.kicker, regular)
    if kicker:
        lines, size = fit(
            draw, kicker, regular, sizes=range(40, 23, -4), max_width=inner, max_lines=1
        )
        blocks.append(Block(tuple(lines), _font(regular, size), size, MUTED, leading=1.3))
    title = _drawable(card.title, bold) or "—"
    big = range(128, 59, -4) if not card.diagram else range(96, 51, -4)
    lines, size = fit(draw, title, bold, sizes=big, max_width=inner, max_lines=2)
    blocks.append(Block(tuple(lines), _font(bold, size), size, FG, leading=1.2, gap=4))
    subtitle = _drawable(card.subtitle, regular)
    note_after = _drawable(card.subtitle_note, regular)
    if subtitle:
        lines, size = fit(
            draw, subtitle, regular, sizes=range(52, 27, -4), max_width=inner, max_lines=2
        )
        tail_font = _font(regular, round(size * 0.7))
        blocks.append(
            Block(
                tuple(lines),
                _font(regular, size),
                size,
                ACCENT,
                leading=1.3,
                gap=14,
                tail=note_after,
                tail_font=tail_font,
            )
        )
    note = _drawable(card.note, regular)
    if note:
        lines, size = fit(
            draw, note, regular, sizes=range(32, 23, -2), max_width=inner, max_lines=2
        )
        blocks.append(Block(tuple(lines), _font(regular, size), size, MUTED, leading=1.45, gap=18))
    _stack(draw, blocks, 132, bottom)
    return image


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
    face = fonts.bold if fonts else None
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if rounded else ACCENT)
    draw = ImageDraw.Draw(image)
    if rounded:
        _badge(draw, (0, 0, size - 1, size - 1), face)
    elif face is not None:
        font = _font(face, round(size * 0.62))
        draw.text(
            (size / 2, size / 2 + size * 0.02), BADGE_MARK, font=font, fill=WHITE, anchor="mm"
        )
    return image


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
