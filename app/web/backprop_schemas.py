"""The backprop API's request and response shapes (and the demo page's query).

The routes return the engine's JSON as it is; the response models describe it for
/openapi.json. ArticleQuery's defaults are the article's own (ARTICLE_DEFAULTS).
"""

from __future__ import annotations

from typing import Any, Final, Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from app.backprop import ARTICLE_DEFAULTS, MAX_LAYERS, MAX_LEARNING_RATE, MAX_NEURONS, MAX_STEPS
from app.backprop.contract import MAX_LAYER_STEPS

Activation = Literal["sigmoid", "tanh", "relu", "identity"]
LossName = Literal["half_sse", "sse", "bce"]

# ── Requests ───────────────────────────────────────────────────────────────────────────────

MAZUR_EXAMPLE: Final[dict[str, Any]] = {
    "x": [0.05, 0.10],
    "t": [0.01, 0.99],
    "layers": [
        {"weights": [[0.15, 0.20], [0.25, 0.30]], "bias": [0.35, 0.35], "activation": "sigmoid"},
        {"weights": [[0.40, 0.45], [0.50, 0.55]], "bias": [0.60, 0.60], "activation": "sigmoid"},
    ],
    "loss": "half_sse",
    "learning_rate": 0.5,
    "steps": 1,
    "update_bias": True,
}


class LayerIn(BaseModel):
    """One layer: weights[i][j] from input j to neuron i (n_out × n_in), a bias per neuron."""

    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False)

    weights: list[list[float]] = Field(
        min_length=1, max_length=MAX_NEURONS, description="n_out rows of n_in numbers"
    )
    bias: list[float] | None = Field(description="one number per neuron, or null for none")
    activation: Activation


class BackpropIn(BaseModel):
    """A small network, its input and target, and how to train it."""

    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        allow_inf_nan=False,  # JSON has no NaN, but Python's parser reads NaN and 1e999
        json_schema_extra={"examples": [MAZUR_EXAMPLE]},
    )

    x: list[float] = Field(min_length=1, max_length=MAX_NEURONS)
    t: list[float] = Field(min_length=1, max_length=MAX_NEURONS, description="the target")
    layers: list[LayerIn] = Field(min_length=1, max_length=MAX_LAYERS)
    loss: LossName = "half_sse"
    learning_rate: float = Field(0.5, gt=0, le=MAX_LEARNING_RATE)
    steps: int = Field(
        1,
        ge=1,
        le=MAX_STEPS,
        description=f"gradient-descent steps; steps × layers may be at most {MAX_LAYER_STEPS:,}",
    )
    update_bias: bool = True


_DEFAULT = cast(dict[str, Any], ARTICLE_DEFAULTS)


class ArticleQuery(BaseModel):
    """The article's example: z1 = w1·x + b, h = hidden(z1), y = output(w2·h), L = loss."""

    model_config = ConfigDict(allow_inf_nan=False)  # so ?x=nan is reported with the rest

    x: float = Field(_DEFAULT["x"], description="input x")
    w1: float = Field(_DEFAULT["w1"], description="weight w1 (input → hidden)")
    w2: float = Field(_DEFAULT["w2"], description="weight w2 (hidden → output)")
    b: float = Field(_DEFAULT["b"], description="bias b of the hidden unit")
    t: float = Field(_DEFAULT["t"], description="target t")
    lr: float = Field(_DEFAULT["lr"], gt=0, le=MAX_LEARNING_RATE, description="learning rate η")
    steps: int = Field(_DEFAULT["steps"], ge=1, le=MAX_STEPS, description="gradient-descent steps")
    hidden: Activation = Field(_DEFAULT["hidden"], description="activation of the hidden unit")
    output: Activation = Field(_DEFAULT["output"], description="activation of the output")
    loss: LossName = Field(_DEFAULT["loss"], description="loss function")


# ── Responses (for /openapi.json; the routes return the engine's JSON as it is) ─────────────


class ForwardOut(BaseModel):
    layer: int
    z: list[float]
    a: list[float]


class BackwardOut(BaseModel):
    layer: int
    delta: list[float]
    grad_weights: list[list[float]]
    grad_bias: list[float] | None


class StepOut(BaseModel):
    id: str
    ja: str
    en: str
    formula: str
    value: float | list[float] | list[list[float]]


class LayerOut(BaseModel):
    weights: list[list[float]]
    bias: list[float] | None


class UpdatedOut(BaseModel):
    layers: list[LayerOut]


class GradientCheckOut(BaseModel):
    max_abs_error: float
    ok: bool


class BackpropOut(BaseModel):
    forward: list[ForwardOut]
    loss: float = Field(description="before any update")
    backward: list[BackwardOut] = Field(description="of the first step")
    steps: list[StepOut] = Field(description="the chain rule, step by step")
    updated: UpdatedOut
    loss_after: float
    history: list[float] = Field(description="the loss before step 1 and after every step")
    gradient_check: GradientCheckOut


class NamedOut(BaseModel):
    z1: float
    h: float
    y: float
    L: float
    dL_dy: float
    dL_dw2: float
    dL_dh: float
    dh_dz1: float
    dL_dz1: float
    dL_dw1: float
    dL_db: float


class ArticleOut(BackpropOut):
    named: NamedOut
