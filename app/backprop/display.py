"""Numbers and the loss curve as the demo page and the term page show them.

static/demo.js repeats `format_number` and `loss_curve` so that a value the browser recomputes
reads exactly as the server wrote it; change both together.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

DIGITS: Final = 6
CURVE_POINTS: Final = 201  # at most this many points on the polyline, whatever the steps
CURVE_WIDTH: Final = 420.0
CURVE_HEIGHT: Final = 150.0

_SUPERSCRIPTS: Final = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def format_number(value: float, digits: int = DIGITS) -> str:
    """`digits` significant digits, like %g; a real minus sign; 3.5×10⁻⁵ for tiny or huge."""
    if value == 0:
        return "0"  # and not "-0"
    text = f"{value:.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    if exponent:
        text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    return text.replace("-", "−")


def sample_indexes(count: int, points: int = CURVE_POINTS) -> list[int]:
    """Evenly spaced indexes into a sequence of `count` items, first and last included."""
    if count <= points:
        return list(range(count))
    return [i * (count - 1) // (points - 1) for i in range(points)]


@dataclass(frozen=True)
class Curve:
    """A loss history as an SVG polyline in a CURVE_WIDTH × CURVE_HEIGHT box (y grows down)."""

    points: str  # "x,y x,y …", for <polyline points>
    top: float  # the loss at the top edge; the bottom edge is 0
    steps: int
    first: float
    last: float


def loss_curve(history: Sequence[float]) -> Curve:
    """Scale `history` (losses, ≥ 0) to the box, from 0 at the bottom to its maximum at the top."""
    top = max(history) or 1.0
    last_index = max(len(history) - 1, 1)
    points = " ".join(
        f"{CURVE_WIDTH * i / last_index:.1f},{CURVE_HEIGHT * (1 - history[i] / top):.1f}"
        for i in sample_indexes(len(history))
    )
    return Curve(points, top, len(history) - 1, history[0], history[-1])
