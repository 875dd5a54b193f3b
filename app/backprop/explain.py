"""The chain rule in words and formulas: the `steps` of a response, in Japanese and English.

Each step is {id, ja, en, formula, value}. For any network the steps walk forward layer by layer,
then the loss, then backwards through δ, ∂L/∂W and ∂L/∂b of every layer; for the article's
example they walk its named scalars (z1, h, y, L, ∂L/∂y, …) in the order they are computed.
"""

from typing import Final, NamedTuple

import numpy as np

from app.backprop.contract import Array
from app.backprop.run import Run
from app.backprop.validate import TrainingSetup


class _ActivationText(NamedTuple):
    ja: str
    en: str
    symbol: str  # f in f′(z)
    apply: str  # f(z), with {z}
    slope: str  # f′(z), with {z}, {a} = f(z) and {a2} = a²


ACTIVATION_TEXT: Final = {
    "sigmoid": _ActivationText("シグモイド関数", "sigmoid", "σ", "σ({z})", "{a}(1 − {a})"),
    "tanh": _ActivationText("tanh", "tanh", "tanh", "tanh({z})", "1 − {a2}"),
    "relu": _ActivationText("ReLU", "ReLU", "ReLU", "max(0, {z})", "[{z} > 0]"),
    "identity": _ActivationText("恒等関数", "identity", "id", "{z}", "1"),
}


class _LossText(NamedTuple):
    ja: str
    en: str
    value: str  # L, with {y} and {sum} ("Σ " for vectors)
    gradient: str  # ∂L/∂y, with {y}


LOSS_TEXT: Final = {
    "half_sse": _LossText("二乗誤差の½", "half squared error", "½ {sum}({y} − t)²", "{y} − t"),
    "sse": _LossText("二乗誤差", "squared error", "{sum}({y} − t)²", "2({y} − t)"),
    "bce": _LossText(
        "二値交差エントロピー",
        "binary cross-entropy",
        "−{sum}[t ln {y} + (1 − t) ln(1 − {y})]",
        "({y} − t) / ({y}(1 − {y}))",
    ),
}

_SUPERSCRIPTS: Final = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _slope(name: str, z: str, a: str) -> str:
    """f′(z) of activation `name`, written with a = f(z) where that is shorter."""
    squared = f"{a}²" if len(a) == 1 else f"({a})²"
    return ACTIVATION_TEXT[name].slope.format(z=z, a=a, a2=squared)


def _factor(expr: str) -> str:
    """Parenthesize `expr` if it is a difference or quotient, so it can be multiplied."""
    depth = 0
    for i, char in enumerate(expr):
        depth += (char == "(") - (char == ")")
        if depth == 0 and expr.startswith((" − ", " / "), i):
            return f"({expr})"
    return expr


def _item(id_: str, ja: str, en: str, formula: str, value: Array | float) -> dict[str, object]:
    number = value.tolist() if isinstance(value, np.ndarray) else float(value)
    return {"id": id_, "ja": ja, "en": en, "formula": formula, "value": number}


def general_steps(run: Run) -> list[dict[str, object]]:
    """The chain rule for any network: forward layer by layer, the loss, then backwards."""
    setup, trace = run.setup, run.trace
    n = len(trace.z)
    sup = [str(k).translate(_SUPERSCRIPTS) for k in range(n + 1)]
    below = ["x", *(f"a{s}" for s in sup[1:])]  # the input of layer k is below[k - 1]
    items = []
    for k, s in enumerate(sup[1:], start=1):
        act = ACTIVATION_TEXT[setup.activations[k - 1]]
        bias = f" + b{s}" if trace.grad_bias[k - 1] is not None else ""
        items += [
            _item(
                f"z{k}",
                f"第{k}層の重み付き入力 z{s}",
                f"Weighted input of layer {k}, z{s}",
                f"z{s} = W{s}{below[k - 1]}{bias}",
                trace.z[k - 1],
            ),
            _item(
                f"a{k}",
                f"第{k}層の出力 a{s}({act.ja})",
                f"Output of layer {k}, a{s} ({act.en})",
                f"a{s} = " + act.apply.format(z=f"z{s}"),
                trace.a[k - 1],
            ),
        ]
    loss = LOSS_TEXT[setup.loss]
    y = f"a{sup[n]}"
    items.append(
        _item(
            "L",
            f"誤差 L({loss.ja})",
            f"Loss L ({loss.en})",
            "L = " + loss.value.format(sum="Σ ", y=y),
            run.history[0],
        )
    )
    items.append(
        _item(
            f"dL_da{n}",
            f"出力 {y} の誤差 ∂L/∂{y}",
            f"Error at the output, ∂L/∂{y}",
            f"∂L/∂{y} = " + loss.gradient.format(y=y),
            trace.dL_da[-1],
        )
    )
    for k in range(n, 0, -1):
        items += _layer_gradient_items(run, k, sup[k], below[k - 1])
        if k > 1:
            items.append(
                _item(
                    f"dL_da{k - 1}",
                    f"第{k - 1}層の出力に逆向きに伝わる誤差 ∂L/∂a{sup[k - 1]}",
                    f"Error sent back to the output of layer {k - 1}, ∂L/∂a{sup[k - 1]}",
                    f"∂L/∂a{sup[k - 1]} = (W{sup[k]})ᵀ δ{sup[k]}",
                    trace.dL_da[k - 2],
                )
            )
    return items


def _layer_gradient_items(run: Run, k: int, s: str, below: str) -> list[dict[str, object]]:
    """δ, ∂L/∂W and ∂L/∂b of layer k (1-based, superscript s, input `below`)."""
    trace, name = run.trace, run.setup.activations[k - 1]
    slope = _slope(name, f"z{s}", f"a{s}")
    delta = f"δ{s} = ∂L/∂a{s} ⊙ {ACTIVATION_TEXT[name].symbol}′(z{s}) = ∂L/∂a{s}"
    items = [
        _item(
            f"delta{k}",
            f"第{k}層のデルタ δ{s}(重み付き入力 z{s} に伝わる誤差 ∂L/∂z{s})",
            f"Delta of layer {k}, δ{s} = ∂L/∂z{s}: the error at its weighted input",
            delta if slope == "1" else f"{delta} ⊙ {_factor(slope)}",
            trace.delta[k - 1],
        ),
        _item(
            f"dL_dW{k}",
            f"第{k}層の重みの勾配 ∂L/∂W{s}",
            f"Gradient of the weights of layer {k}, ∂L/∂W{s}",
            f"∂L/∂W{s} = δ{s} " + ("xᵀ" if below == "x" else f"({below})ᵀ"),
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


def article_steps(setup: TrainingSetup, named: dict[str, float]) -> list[dict[str, object]]:
    """One item per named scalar of the article's example, in the order it computes them."""
    hidden, output = setup.activations
    h_text, y_text = ACTIVATION_TEXT[hidden], ACTIVATION_TEXT[output]
    loss = LOSS_TEXT[setup.loss]
    dy_dwh = _slope(output, "w2·h", "y")  # ∂y/∂(w2·h)
    if setup.loss == "bce" and output == "sigmoid":
        chain = "(y − t)"  # y(1 − y) cancels: why a sigmoid output goes with bce
    else:
        factors = [_factor(loss.gradient.format(y="y")), _factor(dy_dwh)]
        chain = "·".join(f for f in factors if f != "1")
    dh_dz1 = _slope(hidden, "z1", "h")
    rows = [
        ("z1", "隠れ層の重み付き入力 z1", "Weighted input of the hidden unit, z1", "z1 = w1·x + b"),
        (
            "h",
            f"隠れ層の出力 h({h_text.ja})",
            f"Output of the hidden unit, h ({h_text.en})",
            "h = " + h_text.apply.format(z="z1"),
        ),
        (
            "y",
            f"出力 y({y_text.ja})",
            f"Output y ({y_text.en})",
            "y = " + y_text.apply.format(z="w2·h"),
        ),
        (
            "L",
            f"誤差 L({loss.ja})",
            f"Loss L ({loss.en})",
            "L = " + loss.value.format(sum="", y="y"),
        ),
        (
            "dL_dy",
            "出力 y の誤差 ∂L/∂y",
            "Error at the output, ∂L/∂y",
            "∂L/∂y = " + loss.gradient.format(y="y"),
        ),
        (
            "dL_dw2",
            "重み w2 の勾配 ∂L/∂w2",
            "Gradient of the weight w2, ∂L/∂w2",
            f"∂L/∂w2 = ∂L/∂y · ∂y/∂w2 = {chain}·h",
        ),
        (
            "dL_dh",
            "隠れ層の出力 h に伝わる誤差 ∂L/∂h",
            "Error sent back to h, ∂L/∂h",
            f"∂L/∂h = ∂L/∂y · ∂y/∂h = {chain}·w2",
        ),
        (
            "dh_dz1",
            "活性化関数の傾き ∂h/∂z1",
            "Slope of the hidden activation, ∂h/∂z1",
            "∂h/∂z1 = " + ("1" if dh_dz1 == "1" else f"{h_text.symbol}′(z1) = {dh_dz1}"),
        ),
        (
            "dL_dz1",
            "隠れ層の重み付き入力 z1 に伝わる誤差 ∂L/∂z1",
            "Error at the weighted input z1, ∂L/∂z1",
            "∂L/∂z1 = ∂L/∂h · ∂h/∂z1",
        ),
        (
            "dL_dw1",
            "重み w1 の勾配 ∂L/∂w1",
            "Gradient of the weight w1, ∂L/∂w1",
            "∂L/∂w1 = ∂L/∂z1 · ∂z1/∂w1 = ∂L/∂z1 · x",
        ),
        (
            "dL_db",
            "バイアス b の勾配 ∂L/∂b",
            "Gradient of the bias b, ∂L/∂b",
            "∂L/∂b = ∂L/∂z1 · ∂z1/∂b = ∂L/∂z1",
        ),
    ]
    return [_item(id_, ja, en, formula, named[id_]) for id_, ja, en, formula in rows]
