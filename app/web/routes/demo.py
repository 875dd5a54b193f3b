"""The backpropagation demo: POST and GET /api/v1/backprop, and the page /demo/backprop (+ /en).

Thin: pydantic parses, app.backprop computes, this returns JSON or renders templates/demo.html.
The engine's errors become a 422 problem+json naming the field ("body.layers[0].weights",
"query.w1"); the page shows them next to the form field instead, with status 422.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app import urls
from app.backprop import (
    ARTICLE_DEFAULTS,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_NEURONS,
    MAX_STEPS,
    BackpropInputError,
    BackpropOverflowError,
    LayerSpec,
    article_example,
    train,
)
from app.backprop.contract import MAX_LAYER_STEPS
from app.backprop.display import CURVE_HEIGHT, CURVE_WIDTH, format_number, loss_curve
from app.backprop.explain import ACTIVATION_TEXT, LOSS_TEXT
from app.data import queries
from app.data.db import SessionDep
from app.text.i18n import Lang, translate
from app.web.errors import ProblemError, problem_responses
from app.web.templates import lang_of, render_page, templates

router = APIRouter()

Activation = Literal["sigmoid", "tanh", "relu", "identity"]
LossName = Literal["half_sse", "sse", "bce"]
CACHE_CONTROL: Final = "public, max-age=3600"  # a GET's answer depends on its URL alone
INLINE_STEPS: Final = 100  # the article example runs on the event loop up to this many steps

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


class ArticleQuery(BaseModel):
    """The article's example: z1 = w1·x + b, h = hidden(z1), y = output(w2·h), L = loss."""

    model_config = ConfigDict(allow_inf_nan=False)  # so ?x=nan is reported with the rest

    x: float = Field(1.0, description="input x")
    w1: float = Field(0.5, description="weight w1 (input → hidden)")
    w2: float = Field(0.8, description="weight w2 (hidden → output)")
    b: float = Field(0.1, description="bias b of the hidden unit")
    t: float = Field(1.0, description="target t")
    lr: float = Field(0.5, gt=0, le=MAX_LEARNING_RATE, description="learning rate η")
    steps: int = Field(1, ge=1, le=MAX_STEPS, description="gradient-descent steps")
    hidden: Activation = Field("sigmoid", description="activation of the hidden unit")
    output: Activation = Field("identity", description="activation of the output")
    loss: LossName = Field("half_sse", description="loss function")


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


# ── The API ────────────────────────────────────────────────────────────────────────────────


def _problem(error: BackpropInputError | BackpropOverflowError, where: str) -> ProblemError:
    """The engine's error as a 422 problem; `where` is "body" or "query"."""
    if isinstance(error, BackpropOverflowError):
        return ProblemError(422, f"the computation overflowed: {error.message}", title="Overflow")
    field = f"{where}.{error.field}"
    return ProblemError(
        422,
        f"invalid value for {field}",
        title="Invalid request",
        errors=[{"field": field, "message": error.message, "type": error.code}],
    )


@router.post(
    "/api/v1/backprop",
    response_model=BackpropOut,
    responses=problem_responses(400, 413, 422),
    tags=["backprop"],
)
def backprop(body: BackpropIn) -> Response:
    """Train a small network and walk through the chain rule, step by step."""
    layers = [LayerSpec(layer.weights, layer.bias, layer.activation) for layer in body.layers]
    try:
        result = train(
            x=body.x,
            t=body.t,
            layers=layers,
            loss=body.loss,
            learning_rate=body.learning_rate,
            steps=body.steps,
            update_bias=body.update_bias,
        )
    except (BackpropInputError, BackpropOverflowError) as error:
        raise _problem(error, "body") from None
    return JSONResponse(result)


@router.get(
    "/api/v1/backprop",
    response_model=ArticleOut,
    responses=problem_responses(414, 422),
    tags=["backprop"],
)
async def backprop_article(query: Annotated[ArticleQuery, Query()]) -> Response:
    """The article's two-layer example; with no parameters, its default values."""
    example = partial(article_example, **query.model_dump())
    try:
        # Up to INLINE_STEPS the engine needs well under a millisecond, less than handing it to
        # a worker thread costs (which then also contends for the GIL); longer runs go there.
        result = example() if query.steps <= INLINE_STEPS else await run_in_threadpool(example)
    except (BackpropInputError, BackpropOverflowError) as error:
        raise _problem(error, "query") from None
    return JSONResponse(result, headers={"Cache-Control": CACHE_CONTROL})


# ── The page ───────────────────────────────────────────────────────────────────────────────

PATH: Final = "/demo/backprop"
NUMBER_FIELDS: Final = ("x", "w1", "b", "w2", "t")
FIELDS: Final = (*NUMBER_FIELDS, "lr", "steps", "hidden", "output", "loss")
FIELD_MESSAGES: Final = {  # field → the demo_error_* string that says what it accepts
    **dict.fromkeys(NUMBER_FIELDS, "demo_error_number"),
    "lr": "demo_error_lr",
    "steps": "demo_error_steps",
    **dict.fromkeys(("hidden", "output", "loss"), "demo_error_choice"),
}


def demo_url(lang: Lang) -> str:
    """The demo page in one language."""
    return f"{urls.prefix(lang)}{PATH}"


def field_message(lang: Lang, field: str, code: str = "") -> str:
    """What a form field accepts, in the page's language."""
    key = "demo_error_bce_target" if code == "bce_target" else FIELD_MESSAGES[field]
    return translate(lang, key, max=f"{MAX_LEARNING_RATE:g}", steps=MAX_STEPS)


# HTML's "valid floating-point number": what an <input type=number> may hold as its value.
HTML_NUMBER: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _form_value(name: str, given: dict[str, str]) -> str:
    """What a form field shows: the value asked for, if the field can hold it, or the default."""
    if name not in given:
        value = ARTICLE_DEFAULTS[name]
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = given[name]
    if name in ("hidden", "output", "loss") or HTML_NUMBER.fullmatch(text):
        return text
    return ""  # "abc" or "nan": left empty; the message next to the field says what it takes


def view_numbers(query: ArticleQuery, result: dict[str, Any]) -> dict[str, float]:
    """Every number the page shows, by the name its `data-v` attribute carries (see demo.js)."""
    hidden, output = result["updated"]["layers"]
    return {
        "x": query.x,
        "w1": query.w1,
        "b": query.b,
        "w2": query.w2,
        "t": query.t,
        "lr": query.lr,
        "steps": query.steps,
        **result["named"],
        "w1_after": hidden["weights"][0][0],
        "b_after": hidden["bias"][0],
        "w2_after": output["weights"][0][0],
        "loss_after": result["loss_after"],
        "check_error": result["gradient_check"]["max_abs_error"],
    }


@lru_cache(maxsize=1)
def article_table_example() -> dict[str, Any]:
    """The article's default example, with its inputs: what templates/_backprop_table.html shows."""
    query = ArticleQuery()
    result = article_example()
    return {"result": result, "view": view_numbers(query, result)}


templates.env.filters["demo_num"] = format_number
templates.env.globals.update(backprop_article=article_table_example, demo_url=demo_url)


def _both(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register one page handler for the Japanese path and its /en twin."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        options: dict[str, Any] = {"response_class": HTMLResponse, "include_in_schema": False}
        router.get(path, **options)(handler)
        router.get(f"/en{path}", name=f"{handler.__name__}_en", **options)(handler)
        return handler

    return register


@_both(PATH)
def demo_page(request: Request, session: SessionDep) -> Response:
    """The live demo: a GET form whose results are rendered here, and updated by demo.js."""
    return render_demo(request, session, template="demo.html", lang=lang_of(request))


def render_demo(
    request: Request, session: SessionDep, *, template: str, lang: Lang, **context: Any
) -> Response:
    """The demo for the request's query, in template: this page, or the embed's frame."""
    given = {name: request.query_params[name] for name in FIELDS if name in request.query_params}
    errors: dict[str, str] = {}
    overflow = None
    result: dict[str, Any] | None = None
    try:
        query = ArticleQuery.model_validate(given)
    except ValidationError as error:
        for item in error.errors():
            field = str(item["loc"][0])
            errors.setdefault(field, field_message(lang, field))
        query = ArticleQuery()
    else:
        try:
            result = article_example(**query.model_dump())
        except BackpropInputError as error:
            errors[error.field] = field_message(lang, error.field, error.code)
        except BackpropOverflowError as error:
            overflow = error.message
    shown = result or article_table_example()["result"]
    return render_page(
        request,
        template,
        lang,
        status=200 if result else 422,
        site=queries.site_info(session=session),
        form={name: _form_value(name, given) for name in FIELDS},
        errors=errors,
        overflow=overflow,
        result=result,
        shown=shown,
        view=view_numbers(query, result) if result else article_table_example()["view"],
        curve=loss_curve(shown["history"]),
        curve_size=(CURVE_WIDTH, CURVE_HEIGHT),
        activation_options=[(name, getattr(text, lang)) for name, text in ACTIVATION_TEXT.items()],
        loss_options=[
            (name, f"{getattr(text, lang)}: {text.value.format(sum='', y='y')}")
            for name, text in LOSS_TEXT.items()
        ],
        field_message=field_message,
        max_learning_rate=f"{MAX_LEARNING_RATE:g}",
        max_steps=MAX_STEPS,
        api_url="/api/v1/backprop" + (f"?{request.url.query}" if request.url.query else ""),
        **context,
    )
