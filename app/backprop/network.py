"""The network in arrays allocated once, its forward and backward pass, and the gradient check.

Why a step is fast: a layer's weights and bias live together as one matrix P = [W | b], a slice of
one flat parameter vector θ, and the layer's input is kept as [a; 1]. Then z = P·[a; 1],
∂L/∂P = δ·[a; 1]ᵀ and the whole update θ ← θ − η·∇θ are one NumPy call each, written into arrays
allocated once. A 2-2-2 network does 10,000 steps in about 0.1 s and the largest allowed network
(4 × 16 neurons) in about 0.2 s: the cost is mostly the number of calls, not their size
(bench/bench_backprop_engine.py).
"""

from dataclasses import dataclass
from typing import Final

import numpy as np

from app.backprop import kernels
from app.backprop.contract import Array
from app.backprop.kernels import Forward, Slope
from app.backprop.validate import TrainingSetup

# The gradient check uses central differences with step h = EPS·max(1, |θ|). Its error is the
# truncation h²/6·|∂³L/∂θ³| (≈ 2e-13·|L‴|) plus rounding ≈ ε·|L|/h (≈ 2e-10·|L|). It passes when
#     max_abs_error ≤ GRADIENT_CHECK_TOLERANCE · max(1, |L|, max|∂L/∂θ|),
# which a correct gradient meets with room to spare (h = 1e-5 did not: steep sigmoids with weights
# of ±5 have |L‴| in the millions) and a wrong factor or sign does not. It can fail honestly when
# a relu input lies within h of the kink at 0, where the loss has no derivative.
GRADIENT_CHECK_EPS: Final = 1e-6
GRADIENT_CHECK_TOLERANCE: Final = 1e-6


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
class Trace:
    """Copies of every intermediate of one forward and backward pass, in layer order."""

    z: list[Array]
    a: list[Array]
    dL_da: list[Array]
    slope: list[Array]
    delta: list[Array]
    grad_weights: list[Array]
    grad_bias: list[Array | None]


class Network:
    """A network in arrays allocated once: forward(), backward() and update() allocate nothing.

    θ holds every layer's P = [W | b] (n_out × (n_in + 1)) back to back. A layer without a bias
    keeps a zero bias column: `step_sizes` (η per entry of θ, 0 where it is frozen) never moves
    it, and `exists` (1 per real parameter, 0 there) keeps it out of the gradient check.
    """

    def __init__(self, setup: TrainingSetup) -> None:
        shapes = [(len(w), len(w[0]) + 1) for w in setup.weights]
        ends = np.cumsum([rows * cols for rows, cols in shapes]).tolist()
        self.theta = np.zeros(ends[-1])
        self.grad = np.zeros_like(self.theta)
        self.step_sizes = np.full_like(self.theta, setup.learning_rate)
        self.exists = np.ones_like(self.theta)
        self.t = setup.t
        self._scaled = np.empty_like(self.theta)
        self._loss, self._loss_gradient = kernels.LOSS_KERNELS[setup.loss]
        self._loss_scratch = np.empty(shapes[-1][0])
        self._of_logits = setup.loss == "bce" and setup.activations[-1] == "sigmoid"
        if self._of_logits:
            self._loss = kernels.bce_of_logits

        def view(flat: Array, k: int) -> Array:
            return flat[ends[k] - shapes[k][0] * shapes[k][1] : ends[k]].reshape(shapes[k])

        inputs = [np.ones(cols) for _, cols in shapes]
        inputs[0][:-1] = setup.x
        outputs = [*(i[:-1] for i in inputs[1:]), np.empty(shapes[-1][0])]
        self.layers: list[_Layer] = []
        for k, (w, b, name) in enumerate(
            zip(setup.weights, setup.biases, setup.activations, strict=True)
        ):
            p, rows = view(self.theta, k), len(w)
            p[:, :-1] = w
            p[:, -1] = 0.0 if b is None else b
            if b is None:
                view(self.exists, k)[:, -1] = 0.0
            if b is None or not setup.update_bias:
                view(self.step_sizes, k)[:, -1] = 0.0
            delta = np.empty(rows)
            activate, slope_of = kernels.ACTIVATION_KERNELS[name]
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
            np.dot(layer.p, layer.inputs, out=layer.z)  # z = W a + b = [W | b]·[a; 1]
            layer.activate(layer.z, layer.a)
        output = self.layers[-1]
        loss_input = output.z if self._of_logits else output.a
        return self._loss(loss_input, self.t, self._loss_scratch)

    def backward(self) -> None:
        """Fill ∇θ with ∂L/∂θ for the last forward pass."""
        layers = self.layers
        self._loss_gradient(layers[-1].a, self.t, layers[-1].dL_da)
        for k, layer in self._backwards:
            layer.slope_of(layer.z, layer.a, layer.slope)
            np.multiply(layer.dL_da, layer.slope, out=layer.delta)  # δ = ∂L/∂a ⊙ f′(z)
            np.multiply(layer.delta_column, layer.inputs, out=layer.grad)  # δ·[a; 1]ᵀ
            if k:
                np.dot(layer.weights_t, layer.delta, out=layers[k - 1].dL_da)  # Wᵀδ

    def update(self) -> None:
        """Take one gradient-descent step: θ ← θ − η ⊙ ∇θ."""
        np.multiply(self.grad, self.step_sizes, out=self._scaled)
        np.subtract(self.theta, self._scaled, out=self.theta)

    def trace(self) -> Trace:
        """Copy the intermediates of the last forward and backward pass."""
        layers = self.layers
        return Trace(
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


def gradient_check(net: Network, loss: float) -> tuple[float, bool]:
    """Compare ∇θ with central differences of the loss; leave θ as it was."""
    theta, saved = net.theta, net.theta.copy()
    numeric = np.zeros_like(theta)
    for i in np.flatnonzero(net.exists).tolist():
        h = GRADIENT_CHECK_EPS * max(1.0, abs(saved[i]))  # relative, so 1e300 + h ≠ 1e300
        theta[i] = saved[i] + h
        up, up_at = net.forward(), theta[i]
        theta[i] = saved[i] - h
        down, down_at = net.forward(), theta[i]
        theta[i] = saved[i]
        numeric[i] = (up - down) / (up_at - down_at)  # the step θ really took, after rounding
    analytic = net.grad * net.exists
    error = float(np.max(np.abs(numeric - analytic)))
    scale = max(1.0, abs(loss), float(np.max(np.abs(analytic))))
    return error, error <= GRADIENT_CHECK_TOLERANCE * scale
