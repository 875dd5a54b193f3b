"""Activations and losses as in-place kernels: each writes into an array allocated once.

Constants are 0-d arrays because a ufunc takes them about twice as fast as Python floats, and a
training step is made of such calls.
"""

from collections.abc import Callable
from typing import Final

import numpy as np

from app.backprop.contract import Array

ONE: Final = np.array(1.0)
TWO: Final = np.array(2.0)
ZERO: Final = np.array(0.0)

Forward = Callable[[Array, Array], None]  # (z, out=a)
Slope = Callable[[Array, Array, Array], None]  # (z, a, out=f′(z))


def _sigmoid(z: Array, out: Array) -> None:
    # σ(z) = exp(−ln(1 + e^(−z))): unlike 1 / (1 + e^(−z)) it cannot overflow, and it is as exact.
    np.negative(z, out=out)
    np.logaddexp(ZERO, out, out=out)
    np.negative(out, out=out)
    np.exp(out, out=out)


def _sigmoid_slope(z: Array, a: Array, out: Array) -> None:
    np.subtract(ONE, a, out=out)
    np.multiply(out, a, out=out)


def _tanh(z: Array, out: Array) -> None:
    np.tanh(z, out=out)


def _tanh_slope(z: Array, a: Array, out: Array) -> None:
    np.multiply(a, a, out=out)
    np.subtract(ONE, out, out=out)


def _relu(z: Array, out: Array) -> None:
    np.maximum(z, ZERO, out=out)


def _relu_slope(z: Array, a: Array, out: Array) -> None:
    np.sign(a, out=out)  # a = max(0, z), so this is [z > 0]: 0 at z = 0


def _identity(z: Array, out: Array) -> None:
    np.copyto(out, z)


def _identity_slope(z: Array, a: Array, out: Array) -> None:
    out.fill(1.0)


ACTIVATION_KERNELS: Final[dict[str, tuple[Forward, Slope]]] = {
    "sigmoid": (_sigmoid, _sigmoid_slope),
    "tanh": (_tanh, _tanh_slope),
    "relu": (_relu, _relu_slope),
    "identity": (_identity, _identity_slope),
}

LossValue = Callable[[Array, Array, Array], float]  # (y, t, scratch) → L
LossGradient = Callable[[Array, Array, Array], None]  # (y, t, out=∂L/∂y)


def _half_sse(y: Array, t: Array, scratch: Array) -> float:
    np.subtract(y, t, out=scratch)
    return 0.5 * float(np.dot(scratch, scratch))


def _half_sse_gradient(y: Array, t: Array, out: Array) -> None:
    np.subtract(y, t, out=out)


def _sse(y: Array, t: Array, scratch: Array) -> float:
    np.subtract(y, t, out=scratch)
    return float(np.dot(scratch, scratch))


def _sse_gradient(y: Array, t: Array, out: Array) -> None:
    np.subtract(y, t, out=out)
    np.multiply(out, TWO, out=out)


def _bce(y: Array, t: Array, scratch: Array) -> float:
    np.log(y, out=scratch)  # log(0) and log(< 0) raise under the run's errstate
    hits = float(np.dot(t, scratch))
    np.subtract(ONE, y, out=scratch)
    np.log(scratch, out=scratch)
    return 0.0 - (hits + float(np.dot(1.0 - t, scratch)))  # 0.0 − …, so a perfect fit is not −0.0


def bce_of_logits(z: Array, t: Array, scratch: Array) -> float:
    """bce of y = σ(z), computed from z: Σ[t·softplus(−z) + (1 − t)·softplus(z)].

    Same value as _bce, but exact where 1 − y has lost its digits (z ≳ 15), which keeps the
    gradient check honest for a confident sigmoid output.
    """
    np.logaddexp(ZERO, z, out=scratch)  # softplus(z) = −ln(1 − σ(z))
    misses = float(np.dot(1.0 - t, scratch))
    np.negative(z, out=scratch)
    np.logaddexp(ZERO, scratch, out=scratch)  # softplus(−z) = −ln σ(z)
    return float(np.dot(t, scratch)) + misses


def _bce_gradient(y: Array, t: Array, out: Array) -> None:
    np.subtract(ONE, y, out=out)
    np.multiply(out, y, out=out)
    np.divide(y - t, out, out=out)  # (y − t) / (y(1 − y))


LOSS_KERNELS: Final[dict[str, tuple[LossValue, LossGradient]]] = {
    "half_sse": (_half_sse, _half_sse_gradient),
    "sse": (_sse, _sse_gradient),
    "bce": (_bce, _bce_gradient),
}
