"""One run: train for the requested steps, trace the first, check its gradient, build the JSON.

No response holds NaN or ±Infinity: the arithmetic runs under np.errstate(..., "raise"), so an
overflow, a division by zero or an invalid operation stops the run with a BackpropOverflowError
that says in which step and pass it happened. The `layer` numbers in a response are 1-based, like
z¹ and δ².
"""

from dataclasses import dataclass

import numpy as np

from app.backprop.contract import Array, BackpropOverflowError
from app.backprop.network import Network, Trace, gradient_check
from app.backprop.validate import TrainingSetup


@dataclass(frozen=True)
class Run:
    """What one call computes: the first step's trace, the loss history, the final parameters."""

    setup: TrainingSetup
    trace: Trace
    history: Array
    gradient_check: tuple[float, bool]
    updated: list[dict[str, object]]


_FORWARD, _BACKWARD, _CHECK, _UPDATE = range(4)


def _overflow(setup: TrainingSetup, phase: int, step: int, error: FloatingPointError) -> str:
    where = {
        _FORWARD: f"loss after step {step}" if step else "loss before training",
        _BACKWARD: f"gradient in step {step + 1}",
        _CHECK: "numeric gradient of the gradient check",
        _UPDATE: f"parameters after step {step}",
    }[phase]
    hint = "try a smaller learning rate, smaller inputs or smaller weights"
    if setup.loss == "bce" and phase in (_FORWARD, _BACKWARD):
        hint = (
            "bce needs every output strictly between 0 and 1: use a sigmoid output layer and"
            " keep its weighted inputs z below about 36, beyond which σ(z) rounds to 1"
        )
    return f"{where} is not finite ({error}); {hint}"


def run(setup: TrainingSetup) -> Run:
    """Train for setup.steps steps, tracing the first one and checking its gradient."""
    net = Network(setup)
    history = np.empty(setup.steps + 1)
    phase, step = _FORWARD, 0
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            history[0] = net.forward()
            phase = _BACKWARD
            net.backward()
            trace = net.trace()
            phase = _CHECK
            check = gradient_check(net, float(history[0]))
            for step in range(1, setup.steps + 1):
                phase = _UPDATE
                net.update()
                phase = _FORWARD
                history[step] = net.forward()
                if step < setup.steps:
                    phase = _BACKWARD
                    net.backward()
    except FloatingPointError as error:
        raise BackpropOverflowError(_overflow(setup, phase, step, error)) from None
    if not (np.isfinite(history).all() and np.isfinite(net.theta).all()):  # errstate forbids it
        raise BackpropOverflowError("the result is not finite")
    return Run(setup, trace, history, check, net.parameters())


def response(run: Run, steps: list[dict[str, object]]) -> dict[str, object]:
    trace, history = run.trace, run.history
    return {
        "forward": [
            {"layer": k + 1, "z": z.tolist(), "a": a.tolist()}
            for k, (z, a) in enumerate(zip(trace.z, trace.a, strict=True))
        ],
        "loss": float(history[0]),
        "backward": [
            {
                "layer": k + 1,
                "delta": delta.tolist(),
                "grad_weights": gw.tolist(),
                "grad_bias": None if gb is None else gb.tolist(),
            }
            for k, (delta, gw, gb) in enumerate(
                zip(trace.delta, trace.grad_weights, trace.grad_bias, strict=True)
            )
        ],
        "steps": steps,
        "updated": {"layers": run.updated},
        "loss_after": float(history[-1]),
        "history": history.tolist(),
        "gradient_check": {"max_abs_error": run.gradient_check[0], "ok": run.gradient_check[1]},
    }
