"""What the images look like: the 1200×630 OG card, the site's mark, the demo's network.

Drawing only: the font comes in as an argument (og.py finds it and caches the PNG bytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from PIL import Image, ImageDraw

from app.seo.typeset import Face, Font, Fonts, drawable, fit, font_at, text_width
from app.text.i18n import Lang

WIDTH, HEIGHT = 1200, 630

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


@dataclass(frozen=True)
class Block:
    lines: tuple[str, ...]
    font: Font
    size: int
    color: str
    leading: float = 1.25  # line height as a multiple of the size
    gap: int = 0  # space above
    tail: str = ""  # quieter text after the last line, on its baseline (a reading)
    tail_font: Font | None = None


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
            x = MARGIN + text_width(draw, block.lines[-1], block.font) + block.size * 0.5
            if x + text_width(draw, block.tail, block.tail_font) <= WIDTH - MARGIN:
                draw.text((x, baseline), block.tail, font=block.tail_font, fill=MUTED, anchor="ls")


def _badge(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], face: Face | None) -> None:
    """The site's mark (static/favicon.svg): 語 in white on an accent rounded square."""
    left, top, right, _ = box
    size = right - left
    draw.rounded_rectangle(box, radius=round(size * 12 / 64), fill=ACCENT)
    if face is not None:
        font = font_at(face, round(size * 0.62))
        centre = (left + size / 2, top + size / 2 + size * 0.02)
        draw.text(centre, BADGE_MARK, font=font, fill=WHITE, anchor="mm")


def _diagram(draw: ImageDraw.ImageDraw, face: Face | None, top: int) -> None:
    """The demo's network: x → h → y → L forward, and the error flowing back, dashed."""
    labels = ("x", "h", "y", "L")
    radius, spacing = 40, 110  # spacing: the room between two circles for the arrows
    left = MARGIN
    step = 2 * radius + spacing
    centres = [(left + radius + i * step, top + radius) for i in range(len(labels))]
    font = font_at(face, 40)
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
    site_name = drawable(card.site_name, regular)
    if site_name:
        draw.text((MARGIN + 84, 86), site_name, font=font_at(bold, 32), fill=FG, anchor="lm")

    # Footer: a rule, where the page lives, and the accent band along the bottom edge.
    draw.line((MARGIN, 528, WIDTH - MARGIN, 528), fill=LINE, width=2)
    footer = drawable(card.footer, regular)
    if footer:
        lines, size = fit(
            draw, footer, regular, sizes=range(28, 19, -2), max_width=inner, max_lines=1
        )
        draw.text((MARGIN, 572), lines[0], font=font_at(regular, size), fill=MUTED, anchor="lm")
    draw.rectangle((0, HEIGHT - 14, WIDTH, HEIGHT), fill=ACCENT)

    blocks: list[Block] = []
    bottom = 500
    if card.diagram:
        _diagram(draw, bold, 396)
        bottom = 372
    kicker = drawable(card.kicker, regular)
    if kicker:
        lines, size = fit(
            draw, kicker, regular, sizes=range(40, 23, -4), max_width=inner, max_lines=1
        )
        blocks.append(Block(tuple(lines), font_at(regular, size), size, MUTED, leading=1.3))
    title = drawable(card.title, bold) or "—"
    big = range(128, 59, -4) if not card.diagram else range(96, 51, -4)
    lines, size = fit(draw, title, bold, sizes=big, max_width=inner, max_lines=2)
    blocks.append(Block(tuple(lines), font_at(bold, size), size, FG, leading=1.2, gap=4))
    subtitle = drawable(card.subtitle, regular)
    note_after = drawable(card.subtitle_note, regular)
    if subtitle:
        lines, size = fit(
            draw, subtitle, regular, sizes=range(52, 27, -4), max_width=inner, max_lines=2
        )
        tail_font = font_at(regular, round(size * 0.7))
        blocks.append(
            Block(
                tuple(lines),
                font_at(regular, size),
                size,
                ACCENT,
                leading=1.3,
                gap=14,
                tail=note_after,
                tail_font=tail_font,
            )
        )
    note = drawable(card.note, regular)
    if note:
        lines, size = fit(
            draw, note, regular, sizes=range(32, 23, -2), max_width=inner, max_lines=2
        )
        blocks.append(
            Block(tuple(lines), font_at(regular, size), size, MUTED, leading=1.45, gap=18)
        )
    _stack(draw, blocks, 132, bottom)
    return image


def draw_mark(size: int, face: Face | None, *, rounded: bool) -> Image.Image:
    """The site's mark, size × size: a rounded badge on transparency, or full bleed."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if rounded else ACCENT)
    draw = ImageDraw.Draw(image)
    if rounded:
        _badge(draw, (0, 0, size - 1, size - 1), face)
    elif face is not None:
        font = font_at(face, round(size * 0.62))
        draw.text(
            (size / 2, size / 2 + size * 0.02), BADGE_MARK, font=font, fill=WHITE, anchor="mm"
        )
    return image
