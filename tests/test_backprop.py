"""The backprop engine (app/backprop/) against its contract (docs/api.md, the backprop endpoints).

Pinned here:
- Numbers worked by hand: the article's default example (x = 1, w1 = 0.5, b = 0.1, w2 = 0.8,
  t = 1, sigmoid hidden unit, identity output, L = ½(y − t)², η = 0.5) and Matt Mazur's classic
  2-2-2 network ("A Step by Step Backpropagation Example", 2015), which does not update biases.
- Gradients: on random small networks (every activation and loss) the engine's forward pass and
  loss match a plain-Python reference, its analytic gradient matches central differences of that
  reference, and its own gradient_check says ok; a wrong gradient makes gradient_check say not ok.
- Gradient descent: history holds steps + 1 losses, small steps lower the loss, update_bias=False
  and bias=None keep biases as they are, relu's slope at 0 is 0.
- Every bad input raises BackpropInputError whose .field is the JSON path of the culprit (0-based
  indexes; the article example names its query parameters) and whose .code says what kind of
  problem it is; overflow raises BackpropOverflowError saying where; a response is plain JSON with
  no NaN or Infinity; the package imports no web framework.
"""

import copy
import itertools
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.backprop import (
    ACTIVATIONS,
    LOSSES,
    MAX_STEPS,
    BackpropInputError,
    BackpropOverflowError,
    LayerSpec,
    article_example,
    kernels,
    train,
)
from app.backprop.contract import INPUT_ERROR_CODES

ROOT = Path(__file__).resolve().parents[1]

# ── Fixtures ───────────────────────────────────────────────────────────────────────────────

# Mazur's network: inputs i1, i2; hidden h1, h2 (w1..w4, b1 = 0.35); outputs o1, o2 (w5..w8,
# b2 = 0.60). In our n_out × n_in layout row i holds the weights into neuron i.
MAZUR_X = [0.05, 0.10]
MAZUR_T = [0.01, 0.99]


def mazur_layers() -> list[LayerSpec]:
    return [
        LayerSpec([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], "sigmoid"),  # [[w1, w2], [w3, w4]]
        LayerSpec([[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60], "sigmoid"),  # [[w5, w6], [w7, w8]]
    ]


def mazur(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "x": MAZUR_X,
        "t": MAZUR_T,
        "layers": mazur_layers(),
        "loss": "half_sse",
        "learning_rate": 0.5,
        "steps": 1,
        "update_bias": False,
    }
    return train(**{**arguments, **overrides})


def assert_plain_json(value: object) -> None:
    """Only JSON's own types, and finite floats: json.dumps(allow_nan=False) would accept it."""
    if isinstance(value, dict):
        assert all(isinstance(k, str) for k in value)
        for item in value.values():
            assert_plain_json(item)
    elif isinstance(value, list):
        for item in value:
            assert_plain_json(item)
    elif isinstance(value, float):
        assert type(value) is float and math.isfinite(value)
    else:
        assert value is None or type(value) in (str, int, bool)


# ── The article's example, by hand ─────────────────────────────────────────────────────────


def test_article_default_matches_the_hand_computation() -> None:
    named = article_example()["named"]
    expected = {
        "z1": 0.6,  # w1·x + b = 0.5·1 + 0.1
        "h": 0.645656,  # σ(0.6) = 1 / (1 + e^−0.6) = 1 / 1.548812
        "y": 0.516525,  # w2·h = 0.8·0.645656 (identity output, no output bias)
        "L": 0.116874,  # ½(y − t)² = ½(−0.483475)²
        "dL_dy": -0.483475,  # y − t
        "dL_dw2": -0.312159,  # (y − t)·h = −0.483475·0.645656
        "dL_dh": -0.386780,  # (y − t)·w2 = −0.483475·0.8
        "dh_dz1": 0.228784,  # h(1 − h) = 0.645656·0.354344
        "dL_dz1": -0.088489,  # ∂L/∂h·∂h/∂z1 = −0.386780·0.228784
        "dL_dw1": -0.088489,  # ∂L/∂z1·x, x = 1
        "dL_db": -0.088489,  # ∂L/∂z1·1
    }
    assert list(named) == list(expected)
    for key, value in expected.items():
        assert named[key] == pytest.approx(value, abs=5e-7), key


def test_article_default_update_and_response_shape() -> None:
    result = article_example()
    # θ ← θ − η·∂L/∂θ with η = 0.5: w1 = 0.5 + 0.5·0.088489, b = 0.1 + 0.5·0.088489,
    # w2 = 0.8 + 0.5·0.312159.
    hidden, output = result["updated"]["layers"]
    assert hidden["weights"][0][0] == pytest.approx(0.544245, abs=5e-7)
    assert hidden["bias"][0] == pytest.approx(0.144245, abs=5e-7)
    assert output["weights"][0][0] == pytest.approx(0.956079, abs=5e-7)
    assert output["bias"] is None  # the article's output has no bias
    assert result["forward"] == [
        {"layer": 1, "z": [pytest.approx(0.6)], "a": [pytest.approx(0.6456563)]},
        {"layer": 2, "z": [pytest.approx(0.5165250)], "a": [pytest.approx(0.5165250)]},
    ]
    assert result["backward"][1]["grad_bias"] is None
    assert result["loss"] == result["named"]["L"] == result["history"][0]
    assert len(result["history"]) == 2
    assert result["loss_after"] < result["loss"]
    assert result["gradient_check"]["ok"] is True


def test_article_steps_walk_the_named_values_with_formulas() -> None:
    result = article_example()
    steps = result["steps"]
    assert [item["id"] for item in steps] == list(result["named"])
    for item in steps:
        assert set(item) == {"id", "ja", "en", "formula", "value"}
        assert item["value"] == result["named"][item["id"]]
    by_id = {item["id"]: item for item in steps}
    assert by_id["dL_dw2"]["formula"] == "∂L/∂w2 = ∂L/∂y · ∂y/∂w2 = (y − t)·h"
    assert by_id["dL_dy"]["ja"] == "出力 y の誤差 ∂L/∂y"
    assert by_id["dh_dz1"]["formula"] == "∂h/∂z1 = σ′(z1) = h(1 − h)"
    assert by_id["z1"]["formula"] == "z1 = w1·x + b"


def test_article_formulas_follow_the_chosen_functions() -> None:
    steps = article_example(hidden="tanh", output="sigmoid", loss="bce")["steps"]
    by_id = {item["id"]: item["formula"] for item in steps}
    assert by_id["h"] == "h = tanh(z1)"
    assert by_id["y"] == "y = σ(w2·h)"
    assert by_id["dh_dz1"] == "∂h/∂z1 = tanh′(z1) = 1 − h²"
    assert by_id["dL_dw2"].endswith("= (y − t)·h")  # with a sigmoid output, bce's y(1 − y) cancels
    by_id = {item["id"]: item["formula"] for item in article_example(loss="sse")["steps"]}
    assert by_id["L"] == "L = (y − t)²"
    assert by_id["dL_dw2"].endswith("= 2(y − t)·h")


def test_article_example_matches_train_on_the_same_network() -> None:
    article = article_example(x=0.3, w1=-1.2, w2=2.0, b=0.4, t=0.2, lr=0.1, steps=5)
    general = train(
        x=[0.3],
        t=[0.2],
        layers=[LayerSpec([[-1.2]], [0.4], "sigmoid"), LayerSpec([[2.0]], None, "identity")],
        learning_rate=0.1,
        steps=5,
    )
    for key in ("forward", "loss", "backward", "updated", "loss_after", "history"):
        assert article[key] == general[key], key


# ── Mazur's 2-2-2 network, by hand ─────────────────────────────────────────────────────────


def test_mazur_forward_pass_and_total_error() -> None:
    result = mazur()
    hidden, output = result["forward"]
    # net_h1 = w1·i1 + w2·i2 + b1 = 0.15·0.05 + 0.2·0.1 + 0.35; out_h1 = σ(net_h1)
    assert hidden["z"] == pytest.approx([0.3775, 0.3925])
    assert hidden["a"] == pytest.approx([0.593269992, 0.596884378])
    assert output["a"] == pytest.approx([0.75136507, 0.772928465])
    # E_total = E_o1 + E_o2 = 0.274811083 + 0.023560026
    assert result["loss"] == pytest.approx(0.298371109, abs=1e-9)


def test_mazur_updated_weights() -> None:
    updated = mazur()["updated"]["layers"]
    # Mazur's w5..w8 after one step: 0.35891648, 0.408666186, 0.511301270, 0.561370121
    assert updated[1]["weights"] == [
        [pytest.approx(0.35891648, abs=1e-8), pytest.approx(0.408666186, abs=1e-9)],
        [pytest.approx(0.511301270, abs=1e-9), pytest.approx(0.561370121, abs=1e-9)],
    ]
    # w1..w4: 0.149780716, 0.19956143, 0.24975114, 0.29950229
    assert updated[0]["weights"] == [
        [pytest.approx(0.149780716, abs=1e-9), pytest.approx(0.19956143, abs=1e-8)],
        [pytest.approx(0.24975114, abs=1e-8), pytest.approx(0.29950229, abs=1e-8)],
    ]
    assert [layer["bias"] for layer in updated] == [[0.35, 0.35], [0.60, 0.60]]


def test_mazur_after_10000_rounds() -> None:
    # Mazur: "after repeating this process 10,000 times ... the error plummets to 0.0000351085";
    # his figure is the error measured before the 10,000th update, our history[9999].
    history = mazur(steps=10_000)["history"]
    assert len(history) == 10_001
    assert history[9_999] == pytest.approx(0.0000351085, rel=1e-5)


def test_mazur_chain_rule_steps() -> None:
    result = mazur(update_bias=True)
    steps = result["steps"]
    assert [item["id"] for item in steps] == [
        "z1", "a1", "z2", "a2", "L",
        "dL_da2", "delta2", "dL_dW2", "dL_db2",
        "dL_da1", "delta1", "dL_dW1", "dL_db1",
    ]  # fmt: skip
    by_id = {item["id"]: item for item in steps}
    assert by_id["delta2"]["formula"] == "δ² = ∂L/∂a² ⊙ σ′(z²) = ∂L/∂a² ⊙ a²(1 − a²)"
    assert by_id["dL_dW2"]["formula"] == "∂L/∂W² = δ² (a¹)ᵀ"
    assert by_id["dL_dW1"]["formula"] == "∂L/∂W¹ = δ¹ xᵀ"
    assert by_id["dL_da1"]["formula"] == "∂L/∂a¹ = (W²)ᵀ δ²"
    assert by_id["L"]["formula"] == "L = ½ Σ (a² − t)²"
    for item in steps:
        assert item["ja"] and item["en"] and item["formula"]
    # ∂E/∂w5 = (out_o1 − t_o1)·out_o1(1 − out_o1)·out_h1 = 0.082167041 (Mazur)
    assert by_id["dL_dW2"]["value"][0][0] == pytest.approx(0.082167041, abs=1e-9)
    backward = {entry["layer"]: entry for entry in result["backward"]}
    assert by_id["delta1"]["value"] == backward[1]["delta"]
    assert by_id["dL_db2"]["value"] == backward[2]["grad_bias"] == backward[2]["delta"]


def test_gradients_and_update_fit_together() -> None:
    result = mazur(update_bias=True, learning_rate=0.25)
    inputs = [MAZUR_X, result["forward"][0]["a"]]
    for layer, entry, before, after in zip(
        (1, 2), result["backward"], mazur_layers(), result["updated"]["layers"], strict=True
    ):
        assert entry["layer"] == layer
        delta = np.array(entry["delta"])
        # ∂L/∂W = δ·aᵀ of the layer's input; ∂L/∂b = δ; θ_new = θ − η·∂L/∂θ
        np.testing.assert_allclose(entry["grad_weights"], np.outer(delta, inputs[layer - 1]))
        assert entry["grad_bias"] == entry["delta"]
        np.testing.assert_allclose(
            after["weights"], np.array(before.weights) - 0.25 * np.array(entry["grad_weights"])
        )
        np.testing.assert_allclose(after["bias"], np.array(before.bias) - 0.25 * delta)


# ── Gradient descent ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("steps", [1, 2, 17, 300])
def test_history_holds_the_loss_before_and_after_every_step(steps: int) -> None:
    result = mazur(steps=steps)
    assert len(result["history"]) == steps + 1
    assert result["history"][0] == result["loss"]
    assert result["history"][-1] == result["loss_after"]


def test_loss_goes_down_with_a_small_learning_rate() -> None:
    history = mazur(steps=200, learning_rate=0.1, update_bias=True)["history"]
    assert all(later < earlier for earlier, later in itertools.pairwise(history))


def test_one_more_step_continues_from_the_updated_parameters() -> None:
    two = mazur(steps=2, update_bias=True)
    one = mazur(update_bias=True)
    layers = [
        LayerSpec(layer["weights"], layer["bias"], "sigmoid") for layer in one["updated"]["layers"]
    ]
    again = mazur(layers=layers, update_bias=True)
    assert again["loss"] == pytest.approx(two["history"][1], rel=1e-12)
    assert again["loss_after"] == pytest.approx(two["loss_after"], rel=1e-12)


def test_update_bias_false_keeps_biases_and_none_stays_none() -> None:
    layers = [
        LayerSpec([[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]], [0.1, -0.2, 0.3], "tanh"),
        LayerSpec([[0.2, -0.1, 0.3]], None, "identity"),
    ]
    result = train(x=[1.0, -1.0], t=[0.5], layers=layers, steps=50, update_bias=False)
    hidden, output = result["updated"]["layers"]
    assert hidden["bias"] == [0.1, -0.2, 0.3]
    assert hidden["weights"] != layers[0].weights
    assert output["bias"] is None
    assert result["backward"][1]["grad_bias"] is None
    assert "dL_db2" not in {item["id"] for item in result["steps"]}
    assert result["backward"][0]["grad_bias"] is not None  # reported, just not applied


def test_relu_slope_is_zero_at_zero() -> None:
    layers = [LayerSpec([[1.0]], [-1.0], "relu"), LayerSpec([[2.0]], [0.0], "identity")]
    result = train(x=[1.0], t=[3.0], layers=layers)  # z¹ = 1·1 − 1 = 0 exactly
    assert result["forward"][0]["z"] == [0.0]
    assert result["backward"][0]["delta"] == [0.0]
    assert result["updated"]["layers"][0] == {"weights": [[1.0]], "bias": [-1.0]}


# ── Gradients on random networks ───────────────────────────────────────────────────────────

SMALL = st.floats(-2.0, 2.0, allow_nan=False)


def reference_forward(
    x: list[float], layers: list[LayerSpec]
) -> tuple[list[list[float]], list[float]]:
    """Each layer's z and the output y, in plain Python: a witness independent of NumPy."""
    functions = {
        "sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)),
        "tanh": math.tanh,
        "relu": lambda z: max(0.0, z),
        "identity": lambda z: z,
    }
    a, zs = x, []
    for layer in layers:
        bias = layer.bias or [0.0] * len(layer.weights)
        z = [
            sum(w * v for w, v in zip(row, a, strict=True)) + b
            for row, b in zip(layer.weights, bias, strict=True)
        ]
        zs.append(z)
        a = [functions[layer.activation](v) for v in z]
    return zs, a


def softplus(u: float) -> float:
    """ln(1 + eᵘ) without overflow or cancellation."""
    return max(u, 0.0) + math.log1p(math.exp(-abs(u)))


def reference_loss(x: list[float], t: list[float], layers: list[LayerSpec], loss: str) -> float:
    zs, y = reference_forward(x, layers)
    if loss == "bce":  # y = σ(z), so −ln y = softplus(−z) and −ln(1 − y) = softplus(z)
        pairs = zip(zs[-1], t, strict=True)
        return sum(ti * softplus(-zi) + (1 - ti) * softplus(zi) for zi, ti in pairs)
    return (0.5 if loss == "half_sse" else 1.0) * sum(
        (yi - ti) ** 2 for yi, ti in zip(y, t, strict=True)
    )


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[float], list[float], list[LayerSpec], str]:
    """1 to 3 layers of 1 to 3 neurons, numbers in [−2, 2]; bce gets a sigmoid output."""
    loss = draw(st.sampled_from(LOSSES))
    widths = draw(st.lists(st.integers(1, 3), min_size=2, max_size=4))  # len(x), then layers
    layers = []
    for n_in, n_out in itertools.pairwise(widths):
        last = len(layers) == len(widths) - 2
        activation = "sigmoid" if last and loss == "bce" else draw(st.sampled_from(ACTIVATIONS))
        row = st.lists(SMALL, min_size=n_in, max_size=n_in)
        weights = draw(st.lists(row, min_size=n_out, max_size=n_out))
        bias = draw(st.none() | st.lists(SMALL, min_size=n_out, max_size=n_out))
        layers.append(LayerSpec(weights, bias, activation))
    x = draw(st.lists(SMALL, min_size=widths[0], max_size=widths[0]))
    target = st.floats(0.0, 1.0) if loss == "bce" else SMALL
    t = draw(st.lists(target, min_size=widths[-1], max_size=widths[-1]))
    return x, t, layers, loss


def moved(layers: list[LayerSpec], k: int, where: tuple[int, ...], by: float) -> list[LayerSpec]:
    """A copy of `layers` with weight (i, j) or bias (i,) of layer k moved by `by`."""
    copied = copy.deepcopy(layers)
    if len(where) == 2:
        copied[k].weights[where[0]][where[1]] += by
    else:
        assert copied[k].bias is not None
        copied[k].bias[where[0]] += by
    return copied


@settings(max_examples=150, deadline=None)
@given(networks())
def test_analytic_gradient_matches_central_differences(
    network: tuple[list[float], list[float], list[LayerSpec], str],
) -> None:
    x, t, layers, loss = network
    zs, y = reference_forward(x, layers)
    for layer, z in zip(layers, zs, strict=True):
        if layer.activation == "relu":
            assume(all(abs(v) > 1e-3 for v in z))  # a difference across relu's kink is no slope
    result = train(x=x, t=t, layers=layers, loss=loss)
    assert result["forward"][-1]["a"] == pytest.approx(y, rel=1e-9, abs=1e-12)
    assert result["loss"] == pytest.approx(reference_loss(x, t, layers, loss), rel=1e-9, abs=1e-12)
    h = 1e-6
    for k, entry in enumerate(result["backward"]):
        positions: list[tuple[tuple[int, ...], float]] = [
            ((i, j), g) for i, row in enumerate(entry["grad_weights"]) for j, g in enumerate(row)
        ]
        positions += [((i,), g) for i, g in enumerate(entry["grad_bias"] or [])]
        for where, analytic in positions:
            up = reference_loss(x, t, moved(layers, k, where, h), loss)
            down = reference_loss(x, t, moved(layers, k, where, -h), loss)
            assert analytic == pytest.approx((up - down) / (2 * h), abs=1e-5)
    assert result["gradient_check"]["ok"] is True
    assert result["gradient_check"]["max_abs_error"] < 1e-6
    assert_plain_json(result)


def test_gradient_check_catches_a_wrong_gradient(monkeypatch: pytest.MonkeyPatch) -> None:
    def doubled(y: Any, t: Any, out: Any) -> None:  # 2(y − t), which is not ∂(½Σ(y − t)²)/∂y
        np.subtract(y, t, out=out)
        np.multiply(out, 2.0, out=out)

    value, _ = kernels.LOSS_KERNELS["half_sse"]
    monkeypatch.setitem(kernels.LOSS_KERNELS, "half_sse", (value, doubled))
    check = mazur()["gradient_check"]
    assert check["ok"] is False
    assert check["max_abs_error"] > 1e-3


# ── Bad input ──────────────────────────────────────────────────────────────────────────────

NAN, INF = float("nan"), float("inf")


def layer(
    weights: list[list[float]], bias: list[float] | None = None, activation: str = "sigmoid"
) -> LayerSpec:
    return LayerSpec(weights, bias, activation)


BAD_INPUTS: list[tuple[str, dict[str, Any], str]] = [
    ("no inputs", {"x": []}, "x"),
    ("17 inputs", {"x": [0.1] * 17}, "x"),
    ("x not a list", {"x": 0.5}, "x"),
    ("NaN in x", {"x": [0.05, NAN]}, "x[1]"),
    ("Infinity in x", {"x": [-INF, 0.1]}, "x[0]"),
    ("text in x", {"x": ["0.05", 0.1]}, "x[0]"),
    ("true in x", {"x": [True, 0.1]}, "x[0]"),
    ("no layers", {"layers": []}, "layers"),
    ("5 layers", {"layers": [layer([[0.1, 0.1], [0.1, 0.1]])] * 5}, "layers"),
    ("a dict, not a LayerSpec", {"layers": [{"weights": [[0.1, 0.1]]}]}, "layers[0]"),
    ("no neurons", {"layers": [layer([])]}, "layers[0].weights"),
    ("17 neurons", {"layers": [layer([[0.1, 0.1]] * 17)]}, "layers[0].weights"),
    ("short row", {"layers": [layer([[0.1, 0.2], [0.3]])]}, "layers[0].weights[1]"),
    (
        "layer 2 does not fit layer 1",
        {"layers": [layer([[0.1, 0.2], [0.3, 0.4]]), layer([[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]])]},
        "layers[1].weights[0]",
    ),
    (
        "NaN weight",
        {"layers": [mazur_layers()[0], layer([[0.4, NAN], [0.5, 0.55]])]},
        "layers[1].weights[0][1]",
    ),
    ("short bias", {"layers": [layer([[0.1, 0.2], [0.3, 0.4]], [0.35])]}, "layers[0].bias"),
    (
        "Infinity bias",
        {"layers": [layer([[0.1, 0.2], [0.3, 0.4]], [0.35, INF])]},
        "layers[0].bias[1]",
    ),
    (
        "unknown activation",
        {"layers": [mazur_layers()[0], layer([[0.4, 0.45], [0.5, 0.55]], None, "softmax")]},
        "layers[1].activation",
    ),
    ("t too long", {"t": [0.01, 0.99, 0.5]}, "t"),
    ("NaN in t", {"t": [NAN, 0.99]}, "t[0]"),
    ("unknown loss", {"loss": "mse"}, "loss"),
    ("bce target above 1", {"loss": "bce", "t": [0.01, 1.5]}, "t[1]"),
    ("bce target below 0", {"loss": "bce", "t": [-0.1, 0.99]}, "t[0]"),
    ("learning rate 0", {"learning_rate": 0.0}, "learning_rate"),
    ("negative learning rate", {"learning_rate": -0.5}, "learning_rate"),
    ("learning rate above 100", {"learning_rate": 100.5}, "learning_rate"),
    ("NaN learning rate", {"learning_rate": NAN}, "learning_rate"),
    ("0 steps", {"steps": 0}, "steps"),
    ("too many steps", {"steps": MAX_STEPS + 1}, "steps"),
    ("fractional steps", {"steps": 1.5}, "steps"),
    ("steps true", {"steps": True}, "steps"),
    ("update_bias not a bool", {"update_bias": "yes"}, "update_bias"),
]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [(o, f) for _, o, f in BAD_INPUTS],
    ids=[name for name, _, _ in BAD_INPUTS],
)
def test_bad_input_names_its_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(BackpropInputError) as caught:
        mazur(**overrides)
    assert caught.value.field == field
    assert caught.value.message
    assert str(caught.value) == f"{field}: {caught.value.message}"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("17 inputs", "length"),
        ("x not a list", "type"),
        ("NaN in x", "not_finite"),
        ("text in x", "type"),
        ("short row", "length"),
        ("unknown activation", "choice"),
        ("unknown loss", "choice"),
        ("bce target above 1", "bce_target"),
        ("learning rate above 100", "range"),
        ("too many steps", "range"),
    ],
)
def test_bad_input_says_what_kind_of_problem_it_is(name: str, code: str) -> None:
    overrides = next(o for n, o, _ in BAD_INPUTS if n == name)
    with pytest.raises(BackpropInputError) as caught:
        mazur(**overrides)
    assert caught.value.code == code
    assert code in INPUT_ERROR_CODES


def test_the_article_example_keeps_the_kind_of_problem() -> None:
    with pytest.raises(BackpropInputError) as caught:
        article_example(loss="bce", t=2.0)
    assert (caught.value.field, caught.value.code) == ("t", "bce_target")


def test_the_engine_imports_no_web_framework() -> None:
    code = (
        "import sys, app.backprop, app.backprop.display; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'pydantic'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"


def test_the_limits_themselves_are_allowed() -> None:
    sixteen = [LayerSpec([[0.01] * 16] * 16, [0.0] * 16, "tanh")] * 4
    result = train(x=[0.5] * 16, t=[0.1] * 16, layers=sixteen, learning_rate=100.0, steps=2)
    assert len(result["forward"]) == 4
    assert len(mazur(steps=MAX_STEPS)["history"]) == MAX_STEPS + 1
    assert mazur(loss="bce", t=[0.0, 1.0])["loss"] > 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"x": NAN}, "x"),
        ({"w1": INF}, "w1"),
        ({"w2": NAN}, "w2"),
        ({"b": -INF}, "b"),
        ({"t": NAN}, "t"),
        ({"loss": "bce", "t": 2.0}, "t"),
        ({"lr": 0.0}, "lr"),
        ({"steps": 0}, "steps"),
        ({"steps": MAX_STEPS + 1}, "steps"),
        ({"hidden": "softmax"}, "hidden"),
        ({"output": "step"}, "output"),
        ({"loss": "hinge"}, "loss"),
    ],
)
def test_article_bad_input_names_the_query_parameter(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(BackpropInputError) as caught:
        article_example(**overrides)
    assert caught.value.field == field


# ── Overflow ───────────────────────────────────────────────────────────────────────────────


def test_huge_weights_overflow_before_training() -> None:
    layers = [LayerSpec([[1e300]], None, "identity"), LayerSpec([[1e300]], None, "identity")]
    with pytest.raises(BackpropOverflowError, match="loss before training is not finite"):
        train(x=[1.0], t=[0.0], layers=layers)


def test_a_diverging_run_says_after_which_step() -> None:
    layers = [LayerSpec([[0.5, 0.5]], [0.0], "identity")]
    with pytest.raises(BackpropOverflowError, match=r"after step \d+ is not finite") as caught:
        train(x=[1.0, 2.0], t=[1.0], layers=layers, learning_rate=100.0, steps=MAX_STEPS)
    assert "learning rate" in caught.value.message


def test_article_with_a_huge_learning_rate_overflows() -> None:
    with pytest.raises(BackpropOverflowError):
        article_example(hidden="identity", lr=100.0, steps=MAX_STEPS)


@pytest.mark.parametrize(
    ("weight", "activation"),
    [(2.0, "identity"), (-800.0, "sigmoid"), (40.0, "sigmoid")],
    ids=["output above 1", "sigmoid rounds to 0", "sigmoid rounds to 1"],
)
def test_bce_with_an_output_outside_0_1_overflows(weight: float, activation: str) -> None:
    layers = [LayerSpec([[weight]], [0.0], activation)]
    with pytest.raises(BackpropOverflowError, match="bce needs every output"):
        train(x=[1.0], t=[0.0 if weight < 0 else 1.0], layers=layers, loss="bce")


def test_saturated_but_finite_is_not_an_error() -> None:
    result = train(x=[1.0], t=[0.0], layers=[LayerSpec([[1e300]], [0.0], "sigmoid")])
    assert result["forward"][0]["a"] == [1.0]
    assert result["gradient_check"]["ok"] is True


# ── JSON ───────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_responses_are_plain_finite_json(activation: str, loss: str) -> None:
    layers = [LayerSpec([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], activation), mazur_layers()[1]]
    for result in (
        mazur(layers=layers, loss=loss, steps=20, update_bias=True),
        article_example(hidden=activation, output="sigmoid", loss=loss, steps=20),
    ):
        assert_plain_json(result)
        json.dumps(result, allow_nan=False)
