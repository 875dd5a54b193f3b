"""The engine's public shapes: its limits, the layer a caller passes in, and the two errors.

- weights[i][j] connects input j to neuron i (n_out × n_in, like torch.nn.Linear); bias is one
  number per neuron, or None for none.
- BackpropInputError.field is a JSON path with 0-based indexes, like pydantic's `loc`:
  "layers[0].weights[1][0]"; .code says what kind of problem it is, for callers that word the
  message themselves (the demo page does, in Japanese and English).
"""

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

ACTIVATIONS: Final = ("sigmoid", "tanh", "relu", "identity")
LOSSES: Final = ("half_sse", "sse", "bce")
MAX_LAYERS: Final = 4
MAX_NEURONS: Final = 16  # per layer, and the most inputs x may have
MAX_STEPS: Final = 10_000
MAX_LEARNING_RATE: Final = 100.0
# The work of one request, in layer-steps (steps × layers): a step costs a few microseconds per
# layer whatever its width up to 16 neurons (NumPy's per-call overhead dominates such small
# matrices), so this bounds a request to roughly 150 ms of CPU. Two layers may run MAX_STEPS
# steps; three layers 8,000; four layers 6,000.
MAX_LAYER_STEPS: Final = 24_000

# BackpropInputError.code: what kind of problem the field has.
INPUT_ERROR_CODES: Final = (
    "type",  # not a number, list, layer or bool at all
    "not_finite",  # NaN or ±Infinity
    "length",  # a list too short, too long, or not the length the layers need
    "choice",  # not one of the named activations or losses
    "range",  # a number outside its limits (learning_rate, steps)
    "work",  # steps × layers past MAX_LAYER_STEPS: too much work for one request
    "bce_target",  # a target outside [0, 1] with the bce loss
)


class BackpropInputError(ValueError):
    """Bad input: .field is a JSON path like "layers[1].weights" or "x"; .message says what."""

    def __init__(self, field: str, message: str, code: str = "type") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


class BackpropOverflowError(ValueError):
    """The computation overflowed or produced a non-finite number; .message says where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LayerSpec:
    """One layer as the API receives it: weights n_out × n_in, bias per neuron or None."""

    weights: list[list[float]]
    bias: list[float] | None
    activation: str
