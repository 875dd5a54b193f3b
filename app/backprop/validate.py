"""Check a request against the contract and turn it into float64 arrays, or say which field."""

import math
import numbers
from dataclasses import dataclass

import numpy as np

from app.backprop.contract import (
    ACTIVATIONS,
    LOSSES,
    MAX_LAYER_STEPS,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_NEURONS,
    MAX_STEPS,
    Array,
    BackpropInputError,
    LayerSpec,
)


@dataclass(frozen=True)
class TrainingSetup:
    """A validated training request: data, network and settings, as float64 arrays."""

    x: Array
    t: Array
    weights: list[Array]
    biases: list[Array | None]
    activations: list[str]
    loss: str
    learning_rate: float
    steps: int
    update_bias: bool


def _number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise BackpropInputError(field, "must be a number", "type")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise BackpropInputError(
            field, "must be a finite number, not NaN or ±Infinity", "not_finite"
        )
    return number


def _vector(values: object, field: str, length: int | None = None) -> Array:
    """A list of finite numbers: `length` of them, or 1 to MAX_NEURONS when None."""
    if not isinstance(values, list | tuple):
        raise BackpropInputError(field, "must be a list of numbers", "type")
    if length is None and not 1 <= len(values) <= MAX_NEURONS:
        raise BackpropInputError(
            field, f"must hold 1 to {MAX_NEURONS} numbers, not {len(values)}", "length"
        )
    if length is not None and len(values) != length:
        raise BackpropInputError(field, f"must hold {length} numbers, not {len(values)}", "length")
    return np.array([_number(v, f"{field}[{i}]") for i, v in enumerate(values)], dtype=np.float64)


def _layer(spec: object, field: str, n_in: int) -> tuple[Array, Array | None, str]:
    if not isinstance(spec, LayerSpec):
        raise BackpropInputError(field, "must be a layer with weights, bias and activation")
    rows = spec.weights
    if not isinstance(rows, list | tuple) or not 1 <= len(rows) <= MAX_NEURONS:
        raise BackpropInputError(
            f"{field}.weights",
            f"must be a list of 1 to {MAX_NEURONS} rows, one per neuron",
            "length",
        )
    weights = np.array([_vector(row, f"{field}.weights[{i}]", n_in) for i, row in enumerate(rows)])
    bias = None if spec.bias is None else _vector(spec.bias, f"{field}.bias", len(rows))
    if spec.activation not in ACTIVATIONS:
        raise BackpropInputError(
            f"{field}.activation",
            f"must be one of {', '.join(ACTIVATIONS)}; got {spec.activation!r}",
            "choice",
        )
    return weights, bias, spec.activation


def validate(
    *,
    x: object,
    t: object,
    layers: object,
    loss: object,
    learning_rate: object,
    steps: object,
    update_bias: object,
) -> TrainingSetup:
    """Check every input against the contract; raise BackpropInputError at the first problem."""
    x_array = _vector(x, "x")
    if not isinstance(layers, list | tuple) or not 1 <= len(layers) <= MAX_LAYERS:
        raise BackpropInputError("layers", f"must be a list of 1 to {MAX_LAYERS} layers", "length")
    specs, n_in = [], len(x_array)
    for k, spec in enumerate(layers):
        specs.append(_layer(spec, f"layers[{k}]", n_in))
        n_in = len(specs[-1][0])
    t_array = _vector(t, "t", n_in)
    if loss not in LOSSES:
        raise BackpropInputError(
            "loss", f"must be one of {', '.join(LOSSES)}; got {loss!r}", "choice"
        )
    if loss == "bce":
        for i, target in enumerate(t_array):
            if not 0.0 <= target <= 1.0:
                raise BackpropInputError(
                    f"t[{i}]", "must be between 0 and 1 for the bce loss", "bce_target"
                )
    rate = _number(learning_rate, "learning_rate")
    if not 0.0 < rate <= MAX_LEARNING_RATE:
        raise BackpropInputError(
            "learning_rate", f"must be > 0 and ≤ {MAX_LEARNING_RATE:g}", "range"
        )
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise BackpropInputError("steps", f"must be a whole number from 1 to {MAX_STEPS}", "range")
    if steps * len(specs) > MAX_LAYER_STEPS:
        most = MAX_LAYER_STEPS // len(specs)
        raise BackpropInputError(
            "steps",
            f"must be at most {most:,} for {len(specs)} layers: the work limit is"
            f" steps × layers ≤ {MAX_LAYER_STEPS:,} per request",
            "work",
        )
    if not isinstance(update_bias, bool):
        raise BackpropInputError("update_bias", "must be true or false")
    return TrainingSetup(
        x=x_array,
        t=t_array,
        weights=[w for w, _, _ in specs],
        biases=[b for _, b, _ in specs],
        activations=[a for _, _, a in specs],
        loss=str(loss),
        learning_rate=rate,
        steps=int(steps),
        update_bias=update_bias,
    )
