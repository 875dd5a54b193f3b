"""Backpropagation engine for the live demo: validate, train, explain.

`train()` answers POST /api/v1/backprop and `article_example()` answers GET /api/v1/backprop, the
two-layer example of the article 「誤差伝播とは」 (DESIGN.md, "Backprop demo contract"). NumPy only and
no web framework: the routes turn BackpropInputError and BackpropOverflowError into a 422.

Conventions
- weights[i][j] connects input j to neuron i (n_out × n_in, like torch.nn.Linear); bias is one
  number per neuron, or None for none.
- BackpropInputError.field is a JSON path with 0-based indexes, like pydantic's `loc`:
  "layers[0].weights[1][0]". The `layer` numbers in a response are 1-based, like z¹ and δ².
- No response holds NaN or ±Infinity: the arithmetic runs under np.errstate(..., "raise"), so an
  overflow, a division by zero or an invalid operation stops the run with a BackpropOverflowError
  that says in which step and pass it happened.

Why a step is fast: a layer's weights and bias live together as one matrix P = [W | b], a slice of
one flat parameter vector θ, and the layer's input is kept as [a; 1]. Then z = P·[a; 1],
∂L/∂P = δ·[a; 1]ᵀ and the whole update θ ← θ − η·∇θ are one NumPy call each, written into arrays
allocated once. A 2-2-2 network does 10,000 steps in about 0.1 s (bench/bench_backprop_engine.py),
and the largest allowed network takes about as long, because the cost is the number of calls.
"""

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "ACTIVATIONS",
    "ARTICLE_DEFAULTS",
    "GRADIENT_CHECK_EPS",
    "GRADIENT_CHECK_TOLERANCE",
    "LOSSES",
    "MAX_LAYERS",
    "MAX_LEARNING_RATE",
    "MAX_NEURONS",
    "MAX_STEPS",
    "BackpropInputError",
    "BackpropOverflowError",
    "LayerSpec",
    "article_example",
    "train",
]

Array = npt.NDArray[np.float64]

ACTIVATIONS: Final = ("sigmoid", "tanh", "relu", "identity")
LOSSES: Final = ("half_sse", "sse", "bce")
MAX_LAYERS: Final = 4
MAX_NEURONS: Final = 16  # per layer, and the most inputs x may have
MAX_STEPS: Final = 10_000
MAX_LEARNING_RATE: Final = 100.0

# Central differences with step h: truncation error ≈ h²/6·|∂³L/∂θ³|, rounding error ≈ ε·|L|/h,
# both ≈ 2e-11 at h = 1e-5 for quantities of order 1. The check passes when
#     max_abs_error ≤ GRADIENT_CHECK_TOLERANCE · max(1, |L|, max|∂L/∂θ|),
# which leaves a correct gradient four orders of magnitude of room and still catches a wrong
# factor or sign. It can fail honestly when some relu input lies within h of its kink at 0.
GRADIENT_CHECK_EPS: Final = 1e-5
GRADIENT_CHECK_TOLERANCE: Final = 1e-6

# The sigmoid computes exp(−z); capping −z at 700 keeps exp finite, and σ(−700) ≈ 1e-304 is exact
# to double precision, so the cap changes no result.
_EXP_CAP: Final = 700.0


class BackpropInputError(ValueError):
    """Bad input: .field is a JSON path like "layers[1].weights" or "x"; .message says what."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


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


# ── Validation ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Problem:
    """A validated request, as float64 arrays."""

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
        raise BackpropInputError(field, "must be a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise BackpropInputError(field, "must be a finite number, not NaN or ±Infinity")
    return number


def _vector(values: object, field: str, length: int | None = None) -> Array:
    """A list of finite numbers: `length` of them, or 1 to MAX_NEURONS when None."""
    if not isinstance(values, list | tuple):
        raise BackpropInputError(field, "must be a list of numbers")
    if length is None and not 1 <= len(values) <= MAX_NEURONS:
        raise BackpropInputError(field, f"must hold 1 to {MAX_NEURONS} numbers, not {len(values)}")
    if length is not None and len(values) != length:
        raise BackpropInputError(field, f"must hold {length} numbers, not {len(values)}")
    return np.array([_number(v, f"{field}[{i}]") for i, v in enumerate(values)], dtype=np.float64)


def _layer(spec: object, field: str, n_in: int) -> tuple[Array, Array | None, str]:
    if not isinstance(spec, LayerSpec):
        raise BackpropInputError(field, "must be a layer with weights, bias and activation")
    rows = spec.weights
    if not isinstance(rows, list | tuple) or not 1 <= len(rows) <= MAX_NEURONS:
        raise BackpropInputError(
            f"{field}.weights", f"must be a list of 1 to {MAX_NEURONS} rows, one per neuron"
        )
    weights = np.array([_vector(row, f"{field}.weights[{i}]", n_in) for i, row in enumerate(rows)])
    bias = None if spec.bias is None else _vector(spec.bias, f"{field}.bias", len(rows))
    if spec.activation not in ACTIVATIONS:
        raise BackpropInputError(
            f"{field}.activation", f"must be one of {', '.join(ACTIVATIONS)}; got {spec.activation!r}"
        )
    return weights, bias, spec.activation


def _validate(
    *,
    x: object,
    t: object,
    layers: object,
    loss: object,
    learning_rate: object,
    steps: object,
    update_bias: object,
) -> _Problem:
    """Check every input against the contract; raise BackpropInputError at the first problem."""
    x_array = _vector(x, "x")
    if not isinstance(layers, list | tuple) or not 1 <= len(layers) <= MAX_LAYERS:
        raise BackpropInputError("layers", f"must be a list of 1 to {MAX_LAYERS} layers")
    specs, n_in = [], len(x_array)
    for k, spec in enumerate(layers):
        specs.append(_layer(spec, f"layers[{k}]", n_in))
        n_in = len(specs[-1][0])
    t_array = _vector(t, "t", n_in)
    if loss not in LOSSES:
        raise BackpropInputError("loss", f"must be one of {', '.join(LOSSES)}; got {loss!r}")
    if loss == "bce":
        for i, target in enumerate(t_array):
            if not 0.0 <= target <= 1.0:
                raise BackpropInputError(f"t[{i}]", "must be between 0 and 1 for the bce loss")
    rate = _number(learning_rate, "learning_rate")
    if not 0.0 < rate <= MAX_LEARNING_RATE:
        raise BackpropInputError("learning_rate", f"must be > 0 and ≤ {MAX_LEARNING_RATE:g}")
    if (
        isinstance(steps, bool)
        or not isinstance(steps, numbers.Integral)
        or not 1 <= steps <= MAX_STEPS
    ):
        raise BackpropInputError("steps", f"must be a whole number from 1 to {MAX_STEPS}")
    if not isinstance(update_bias, bool):
        raise BackpropInputError("update_bias", "must be true or false")
    return _Problem(
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


# ── Activations and losses, as in-place kernels ────────────────────────────────────────────

Forward = Callable[[Array, Array], None]  # (z, out=a)
Slope = Callable[[Array, Array, Array], None]  # (z, a, out=f′(z))


def _sigmoid(z: Array, out: Array) -> None:
    np.negative(z, out=out)
    np.minimum(out, _EXP_CAP, out=out)
    np.exp(out, out=out)
    np.add(out, 1.0, out=out)
    np.divide(1.0, out, out=out)


def _sigmoid_slope(z: Array, a: Array, out: Array) -> None:
    np.subtract(1.0, a, out=out)
    np.multiply(out, a, out=out)


def _tanh(z: Array, out: Array) -> None:
    np.tanh(z, out=out)


def _tanh_slope(z: Array, a: Array, out: Array) -> None:
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)


def _relu(z: Array, out: Array) -> None:
    np.maximum(z, 0.0, out=out)


def _relu_slope(z: Array, a: Array, out: Array) -> None:
    np.greater(z, 0.0, out=out)  # so the slope at exactly 0 is 0


def _identity(z: Array, out: Array) -> None:
    np.copyto(out, z)


def _identity_slope(z: Array, a: Array, out: Array) -> None:
    out.fill(1.0)


_ACTIVATION_KERNELS: Final[dict[str, tuple[Forward, Slope]]] = {
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
    np.multiply(out, 2.0, out=out)


def _bce(y: Array, t: Array, scratch: Array) -> float:
    np.log(y, out=scratch)  # log(0) and log(< 0) raise under the run's errstate
    hits = float(np.dot(t, scratch))
    np.subtract(1.0, y, out=scratch)
    np.log(scratch, out=scratch)
    return -(hits + float(np.dot(1.0 - t, scratch)))


def _bce_gradient(y: Array, t: Array, out: Array) -> None:
    np.subtract(1.0, y, out=out)
    np.multiply(out, y, out=out)
    np.divide(y - t, out, out=out)  # (y − t) / (y(1 − y))


_LOSS_KERNELS: Final[dict[str, tuple[LossValue, LossGradient]]] = {
    "half_sse": (_half_sse, _half_sse_gradient),
    "sse": (_sse, _sse_gradient),
    "bce": (_bce, _bce_gradient),
}


# ── The network ────────────────────────────────────────────────────────────────────────────


@dataclass(slots=True)
class _Layer:
    """One layer's views into θ and ∇θ, and its work arrays."""

    p: Array  # [W | b], a view into θ
    grad: Array  # ∂L/∂[W | b], a view into ∇θ
    inputs: Array  # [a of the layer below (or x); 1]
    z: Array
    a: Array  # a view into the next layer's inputs, except in the output layer
    dL_da: Array
    slope: Array  # f′(z)
    delta: Array  # δ = ∂L/∂z
    delta_column: Array  # δ as an n_out × 1 view, to broadcast δ·[a; 1]ᵀ
    weights_t: Array  # Wᵀ, a view into θ
    activate: Forward
    slope_of: Slope
    has_bias: bool


@dataclass(frozen=True)
class _Trace:
    """Copies of every intermediate of one forward and backward pass, in layer order."""

    z: list[Array]
    a: list[Array]
    dL_da: list[Array]
    slope: list[Array]
    delta: list[Array]
    grad_weights: list[Array]
    grad_bias: list[Array | None]


class _Network:
    """A network in arrays allocated once: forward(), backward() and update() allocate nothing.

    θ holds every layer's P = [W | b] (n_out × (n_in + 1)) back to back. A layer without a bias
    keeps a zero bias column that `step_sizes` (η, or 0 where a parameter is frozen) never moves,
    and `exists` (1 or 0 per entry of θ) leaves out of the gradient check.
    """

    def __init__(self, problem: _Problem) -> None:
        shapes = [(len(w), len(w[0]) + 1) for w in problem.weights]
        ends = np.cumsum([rows * cols for rows, cols in shapes]).tolist()
        self.theta = np.zeros(ends[-1])
        self.grad = np.zeros_like(self.theta)
        self.step_sizes = np.full_like(self.theta, problem.learning_rate)
        self.exists = np.ones_like(self.theta)
        self.t = problem.t
        self._scaled = np.empty_like(self.theta)
        self._loss, self._loss_gradient = _LOSS_KERNELS[problem.loss]
        self._loss_scratch = np.empty(shapes[-1][0])

        def view(flat: Array, k: int) -> Array:
            return flat[ends[k] - shapes[k][0] * shapes[k][1] : ends[k]].reshape(shapes[k])

        inputs = [np.ones(cols) for _, cols in shapes]
        inputs[0][:-1] = problem.x
        outputs = [*(i[:-1] for i in inputs[1:]), np.empty(shapes[-1][0])]
        self.layers: list[_Layer] = []
        for k, (w, b, name) in enumerate(
            zip(problem.weights, problem.biases, problem.activations, strict=True)
        ):
            p, rows = view(self.theta, k), len(w)
            p[:, :-1] = w
            p[:, -1] = 0.0 if b is None else b
            view(self.exists, k)[:, -1] = b is not None
            view(self.step_sizes, k)[:, -1] *= b is not None and problem.update_bias
            delta = np.empty(rows)
            activate, slope_of = _ACTIVATION_KERNELS[name]
            self.layers.append(
                _Layer(
                    p=p,
                    grad=view(self.grad, k),
                    inputs=inputs[k],
                    z=np.empty(rows),
                    a=outputs[k],
                    dL_da=np.empty(rows),
                    slope=np.empty(rows),
                    delta=delta,
                    delta_column=delta[:, np.newaxis],
                    weights_t=p[:, :-1].T,
                    activate=activate,
                    slope_of=slope_of,
                    has_bias=b is not None,
                )
            )
        self._backwards = list(enumerate(self.layers))[::-1]

    def forward(self) -> float:
        """Run the forward pass from θ and return the loss."""
        for layer in self.layers:
            np.matmul(layer.p, layer.inputs, out=layer.z)  # z = W a + b = [W | b]·[a; 1]
            layer.activate(layer.z, layer.a)
        return self._loss(self.layers[-1].a, self.t, self._loss_scratch)

    def backward(self) -> None:
        """Fill ∇θ with ∂L/∂θ for the last forward pass."""
        layers = self.layers
        self._loss_gradient(layers[-1].a, self.t, layers[-1].dL_da)
        for k, layer in self._backwards:
            layer.slope_of(layer.z, layer.a, layer.slope)
            np.multiply(layer.dL_da, layer.slope, out=layer.delta)  # δ = ∂L/∂a ⊙ f′(z)
            np.multiply(layer.delta_column, layer.inputs, out=layer.grad)  # δ·[a; 1]ᵀ
            if k:
                np.matmul(layer.weights_t, layer.delta, out=layers[k - 1].dL_da)  # Wᵀδ

    def update(self) -> None:
        """Take one gradient-descent step: θ ← θ − η ⊙ ∇θ."""
        np.multiply(self.grad, self.step_sizes, out=self._scaled)
        np.subtract(self.theta, self._scaled, out=self.theta)

    def trace(self) -> _Trace:
        """Copy the intermediates of the last forward and backward pass."""
        layers = self.layers
        return _Trace(
            z=[layer.z.copy() for layer in layers],
            a=[layer.a.copy() for layer in layers],
            dL_da=[layer.dL_da.copy() for layer in layers],
            slope=[layer.slope.copy() for layer in layers],
            delta=[layer.delta.copy() for layer in layers],
            grad_weights=[layer.grad[:, :-1].copy() for layer in layers],
            grad_bias=[layer.grad[:, -1].copy() if layer.has_bias else None for layer in layers],
        )

    def parameters(self) -> list[dict[str, object]]:
        """The current parameters as JSON-ready {weights, bias} per layer."""
        return [
            {
                "weights": layer.p[:, :-1].tolist(),
                "bias": layer.p[:, -1].tolist() if layer.has_bias else None,
            }
            for layer in self.layers
        ]


def _gradient_check(net: _Network, loss: float) -> tuple[float, bool]:
    """Compare ∇θ with central differences of the loss; leave θ as it was."""
    theta, saved = net.theta, net.theta.copy()
    numeric = np.zeros_like(theta)
    for i in np.flatnonzero(net.exists).tolist():
        theta[i] = saved[i] + GRADIENT_CHECK_EPS
        up, up_at = net.forward(), theta[i]
        theta[i] = saved[i] - GRADIENT_CHECK_EPS
        down, down_at = net.forward(), theta[i]
        theta[i] = saved[i]
        numeric[i] = (up - down) / (up_at - down_at)  # the step θ really took, after rounding
    analytic = net.grad * net.exists
    error = float(np.max(np.abs(numeric - analytic)))
    scale = max(1.0, abs(loss), float(np.max(np.abs(analytic))))
    return error, error <= GRADIENT_CHECK_TOLERANCE * scale


# ── A run ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Run:
    """What one call computes: the first step's trace, the loss history, the final parameters."""

    problem: _Problem
    trace: _Trace
    history: Array
    gradient_check: tuple[float, bool]
    layers: list[dict[str, object]]


_FORWARD, _BACKWARD, _CHECK, _UPDATE = range(4)


def _overflow(problem: _Problem, phase: int, step: int, error: FloatingPointError) -> str:
    where = {
        _FORWARD: f"loss after step {step}" if step else "loss before training",
        _BACKWARD: f"gradient in step {step + 1}",
        _CHECK: "numeric gradient of the gradient check",
        _UPDATE: f"parameters after step {step}",
    }[phase]
    hint = "try a smaller learning rate, smaller inputs or smaller weights"
    if problem.loss == "bce" and phase in (_FORWARD, _BACKWARD):
        hint = "bce needs every output strictly between 0 and 1, as a sigmoid output layer gives"
    return f"{where} is not finite ({error}); {hint}"


def _run(problem: _Problem) -> _Run:
    """Train for problem.steps steps, tracing the first one and checking its gradient."""
    net = _Network(problem)
    history = np.empty(problem.steps + 1)
    phase, step = _FORWARD, 0
    try:
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            history[0] = net.forward()
            phase = _BACKWARD
            net.backward()
            trace = net.trace()
            phase = _CHECK
            check = _gradient_check(net, float(history[0]))
            for step in range(1, problem.steps + 1):
                phase = _UPDATE
                net.update()
                phase = _FORWARD
                history[step] = net.forward()
                if step < problem.steps:
                    phase = _BACKWARD
                    net.backward()
    except FloatingPointError as error:
        raise BackpropOverflowError(_overflow(problem, phase, step, error)) from None
    if not (np.isfinite(history).all() and np.isfinite(net.theta).all()):  # errstate forbids it
        raise BackpropOverflowError("the result is not finite")
    return _Run(problem, trace, history, check, net.parameters())


def _response(run: _Run, steps: list[dict[str, object]]) -> dict[str, object]:
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
        "updated": {"layers": run.layers},
        "loss_after": float(history[-1]),
        "history": history.tolist(),
        "gradient_check": {"max_abs_error": run.gradient_check[0], "ok": run.gradient_check[1]},
    }


# ── The chain rule in words and formulas ──────────────────────────────────────────────────


class _ActivationText(NamedTuple):
    ja: str
    en: str
    symbol: str  # f in f′(z)
    apply: Callable[[str], str]  # "z" → "σ(z)"
    slope: Callable[[str, str], str]  # ("z", "a") → f′(z) written with a


def _squared(name: str) -> str:
    return f"{name}²" if len(name) == 1 else f"({name})²"


_ACTIVATION_TEXT: Final = {
    "sigmoid": _ActivationText(
        "シグモイド関数", "sigmoid", "σ", lambda z: f"σ({z})", lambda z, a: f"{a}(1 − {a})"
    ),
    "tanh": _ActivationText(
        "tanh", "tanh", "tanh", lambda z: f"tanh({z})", lambda z, a: f"1 − {_squared(a)}"
    ),
    "relu": _ActivationText(
        "ReLU", "ReLU", "ReLU", lambda z: f"max(0, {z})", lambda z, a: f"[{z} > 0]"
    ),
    "identity": _ActivationText("恒等関数", "identity", "id", lambda z: z, lambda z, a: "1"),
}


class _LossText(NamedTuple):
    ja: str
    en: str
    value: str  # with {sum} ("Σ " or "") and {y}
    gradient: str  # ∂L/∂y, with {y}


_LOSS_TEXT: Final = {
    "half_sse": _LossText("二乗誤差の½", "half the squared error", "½ {sum}({y} − t)²", "{y} − t"),
    "sse": _LossText("二乗誤差", "squared error", "{sum}({y} − t)²", "2({y} − t)"),
    "bce": _LossText(
        "二値交差エントロピー",
        "binary cross-entropy",
        "−{sum}[t ln {y} + (1 − t) ln(1 − {y})]",
        "({y} − t) / ({y}(1 − {y}))",
    ),
}

_SUPERSCRIPTS: Final = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _item(
    id_: str, ja: str, en: str, formula: str, value: Array | float
) -> dict[str, object]:
    number = value.tolist() if isinstance(value, np.ndarray) else float(value)
    return {"id": id_, "ja": ja, "en": en, "formula": formula, "value": number}


def _general_steps(run: _Run) -> list[dict[str, object]]:
    """The chain rule for any network: forward per layer, the loss, then backwards layer by layer."""
    problem, trace = run.problem, run.trace
    n = len(trace.z)
    sup = [str(k).translate(_SUPERSCRIPTS) for k in range(n + 1)]
    below = ["x", *(f"a{s}" for s in sup[1:])]  # what layer k reads, by k − 1
    items = []
    for k in range(1, n + 1):
        act = _ACTIVATION_TEXT[problem.activations[k - 1]]
        plus_bias = f" + b{sup[k]}" if trace.grad_bias[k - 1] is not None else ""
        items += [
            _item(
                f"z{k}",
                f"第{k}層の重み付き入力 z{sup[k]}",
                f"Weighted input of layer {k}, z{sup[k]}",
                f"z{sup[k]} = W{sup[k]}{below[k - 1]}{plus_bias}",
                trace.z[k - 1],
            ),
            _item(
                f"a{k}",
                f"第{k}層の出力 a{sup[k]}({act.ja})",
                f"Output of layer {k}, a{sup[k]} ({act.en})",
                f"a{sup[k]} = {act.apply(f'z{sup[k]}')}",
                trace.a[k - 1],
            ),
        ]
    loss = _LOSS_TEXT[problem.loss]
    items.append(
        _item(
            "L",
            f"誤差 L({loss.ja})",
            f"Loss L ({loss.en})",
            "L = " + loss.value.format(sum="Σ ", y=f"a{sup[n]}"),
            run.history[0],
        )
    )
    for k in range(n, 0, -1):
        items += _layer_gradient_items(run, k, sup, below)
    return items


def _layer_gradient_items(
    run: _Run, k: int, sup: list[str], below: list[str]
) -> list[dict[str, object]]:
    """∂L/∂a, δ, ∂L/∂W and ∂L/∂b of layer k (1-based)."""
    trace, n, s = run.trace, len(run.trace.z), sup[k]
    if k == n:
        gradient = _LOSS_TEXT[run.problem.loss].gradient.format(y=f"a{s}")
        items = [
            _item(
                f"dL_da{k}",
                f"出力 a{s} の誤差 ∂L/∂a{s}",
                f"Error at the output, ∂L/∂a{s}",
                f"∂L/∂a{s} = {gradient}",
                trace.dL_da[k - 1],
            )
        ]
    else:
        items = [
            _item(
                f"dL_da{k}",
                f"第{k}層の出力に逆向きに伝わる誤差 ∂L/∂a{s}",
                f"Error sent back to the output of layer {k}, ∂L/∂a{s}",
                f"∂L/∂a{s} = (W{sup[k + 1]})ᵀ δ{sup[k + 1]}",
                trace.dL_da[k - 1],
            )
        ]
    act = _ACTIVATION_TEXT[run.problem.activations[k - 1]]
    slope = act.slope(f"z{s}", f"a{s}")
    delta = f"δ{s} = ∂L/∂a{s} ⊙ {act.symbol}′(z{s}) = ∂L/∂a{s}"
    items += [
        _item(
            f"delta{k}",
            f"第{k}層のデルタ δ{s}(重み付き入力 z{s} に伝わる誤差)",
            f"Delta of layer {k}, δ{s}: the error at its weighted input z{s}",
            delta if slope == "1" else f"{delta} ⊙ {slope}",
            trace.delta[k - 1],
        ),
        _item(
            f"dL_dW{k}",
            f"第{k}層の重みの勾配 ∂L/∂W{s}",
            f"Gradient of the weights of layer {k}, ∂L/∂W{s}",
            f"∂L/∂W{s} = δ{s} " + ("xᵀ" if k == 1 else f"({below[k - 1]})ᵀ"),
            trace.grad_weights[k - 1],
        ),
    ]
    grad_bias = trace.grad_bias[k - 1]
    if grad_bias is not None:
        items.append(
            _item(
                f"dL_db{k}",
                f"第{k}層のバイアスの勾配 ∂L/∂b{s}",
                f"Gradient of the bias of layer {k}, ∂L/∂b{s}",
                f"∂L/∂b{s} = δ{s}",
                grad_bias,
            )
        )
    return items


# ── Public API ────────────────────────────────────────────────────────────────────────────


def train(
    *,
    x: list[float],
    t: list[float],
    layers: list[LayerSpec],
    loss: str = "half_sse",
    learning_rate: float = 0.5,
    steps: int = 1,
    update_bias: bool = True,
) -> dict[str, object]:
    """Validate, run, return the JSON-ready response of POST /api/v1/backprop."""
    problem = _validate(
        x=x,
        t=t,
        layers=layers,
        loss=loss,
        learning_rate=learning_rate,
        steps=steps,
        update_bias=update_bias,
    )
    run = _run(problem)
    return _response(run, _general_steps(run))


ARTICLE_DEFAULTS: Final[dict[str, float | int | str]] = {
    "x": 1.0,
    "w1": 0.5,
    "w2": 0.8,
    "b": 0.1,
    "t": 1.0,
    "lr": 0.5,
    "steps": 1,
    "hidden": "sigmoid",
    "output": "identity",
    "loss": "half_sse",
}

# train()'s field paths → the query parameters of GET /api/v1/backprop.
_ARTICLE_FIELDS: Final = {
    "x[0]": "x",
    "t[0]": "t",
    "layers[0].weights[0][0]": "w1",
    "layers[0].bias[0]": "b",
    "layers[0].activation": "hidden",
    "layers[1].weights[0][0]": "w2",
    "layers[1].activation": "output",
    "learning_rate": "lr",
}


def article_example(
    *,
    x: float = 1.0,
    w1: float = 0.5,
    w2: float = 0.8,
    b: float = 0.1,
    t: float = 1.0,
    lr: float = 0.5,
    steps: int = 1,
    hidden: str = "sigmoid",
    output: str = "identity",
    loss: str = "half_sse",
) -> dict[str, object]:
    """Run the article's example: z1 = w1·x + b, h = hidden(z1), y = output(w2·h), L = loss.

    The response is train()'s with `steps` told per scalar, plus `named` (z1, h, y, L, dL_dy,
    dL_dw2, dL_dh, dh_dz1, dL_dz1, dL_dw1, dL_db). Errors name the query parameter ("w1", "lr").
    """
    try:
        problem = _validate(
            x=[x],
            t=[t],
            layers=[LayerSpec([[w1]], [b], hidden), LayerSpec([[w2]], None, output)],
            loss=loss,
            learning_rate=lr,
            steps=steps,
            update_bias=True,
        )
    except BackpropInputError as error:
        raise BackpropInputError(_ARTICLE_FIELDS.get(error.field, error.field), error.message) from None
    run = _run(problem)
    trace = run.trace
    named = {
        "z1": trace.z[0][0],
        "h": trace.a[0][0],
        "y": trace.a[1][0],
        "L": run.history[0],
        "dL_dy": trace.dL_da[1][0],
        "dL_dw2": trace.grad_weights[1][0, 0],
        "dL_dh": trace.dL_da[0][0],
        "dh_dz1": trace.slope[0][0],
        "dL_dz1": trace.delta[0][0],
        "dL_dw1": trace.grad_weights[0][0, 0],
        "dL_db": trace.grad_bias[0][0] if trace.grad_bias[0] is not None else 0.0,
    }
    response = _response(run, _article_steps(problem, {k: float(v) for k, v in named.items()}))
    response["named"] = {k: float(v) for k, v in named.items()}
    return response


def _article_steps(problem: _Problem, named: dict[str, float]) -> list[dict[str, object]]:
    """One item per named scalar, in the order the article computes them."""
    hidden = _ACTIVATION_TEXT[problem.activations[0]]
    output = _ACTIVATION_TEXT[problem.activations[1]]
    loss = _LOSS_TEXT[problem.loss]
    dL_dy = f"({loss.gradient.format(y='y')})" if problem.loss != "sse" else "2(y − t)"
    dy_dzy = output.slope("w2·h", "y")
    if problem.loss == "bce" and problem.activations[1] == "sigmoid":
        chain = "(y − t)"  # y(1 − y) cancels: the reason sigmoid and bce are paired
    elif dy_dzy == "1":
        chain = dL_dy
    else:
        chain = f"{dL_dy}·{dy_dzy if not dy_dzy.startswith('1 −') else f'({dy_dzy})'}"
    dh_dz1 = hidden.slope("z1", "h")
    rows = [
        ("z1", "隠れ層の重み付き入力 z1", "Weighted input of the hidden unit, z1", "z1 = w1·x + b"),
        ("h", f"隠れ層の出力 h({hidden.ja})", f"Hidden output h ({hidden.en})",
         f"h = {hidden.apply('z1')}"),
        ("y", f"出力 y({output.ja})", f"Output y ({output.en})", f"y = {output.apply('w2·h')}"),
        ("L", f"誤差 L({loss.ja})", f"Loss L ({loss.en})",
         "L = " + loss.value.format(sum="", y="y")),
        ("dL_dy", "出力 y の誤差 ∂L/∂y", "Error at the output, ∂L/∂y",
         f"∂L/∂y = {loss.gradient.format(y='y')}"),
        ("dL_dw2", "重み w2 の勾配 ∂L/∂w2", "Gradient of the weight w2, ∂L/∂w2",
         f"∂L/∂w2 = ∂L/∂y · ∂y/∂w2 = {chain}·h"),
        ("dL_dh", "隠れ層の出力 h に伝わる誤差 ∂L/∂h", "Error sent back to h, ∂L/∂h",
         f"∂L/∂h = ∂L/∂y · ∂y/∂h = {chain}·w2"),
        ("dh_dz1", "活性化関数の傾き ∂h/∂z1", "Slope of the hidden activation, ∂h/∂z1",
         "∂h/∂z1 = 1" if dh_dz1 == "1" else f"∂h/∂z1 = {hidden.symbol}′(z1) = {dh_dz1}"),
        ("dL_dz1", "隠れ層の重み付き入力 z1 に伝わる誤差 ∂L/∂z1", "Error at z1, ∂L/∂z1",
         "∂L/∂z1 = ∂L/∂h · ∂h/∂z1"),
        ("dL_dw1", "重み w1 の勾配 ∂L/∂w1", "Gradient of the weight w1, ∂L/∂w1",
         "∂L/∂w1 = ∂L/∂z1 · ∂z1/∂w1 = ∂L/∂z1 · x"),
        ("dL_db", "バイアス b の勾配 ∂L/∂b", "Gradient of the bias b, ∂L/∂b",
         "∂L/∂b = ∂L/∂z1 · ∂z1/∂b = ∂L/∂z1"),
    ]
    return [_item(id_, ja, en, formula, named[id_]) for id_, ja, en, formula in rows]
