"""What the demo page and its embedded frame show for a query string: the form as typed, the
errors next to their fields, and every number the engine computed.

The engine (app/backprop) computes; this module only parses the form and arranges the
results for templates/_demo_partials.html. The term page's worked example uses the same
numbers for the article's defaults (article_table()).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Final

from fastapi import Query
from pydantic import ValidationError

from app.backprop import (
    ARTICLE_DEFAULTS,
    MAX_LEARNING_RATE,
    MAX_STEPS,
    BackpropInputError,
    BackpropOverflowError,
    article_example,
)
from app.backprop.display import CURVE_HEIGHT, CURVE_WIDTH, loss_curve
from app.backprop.explain import ACTIVATION_TEXT, LOSS_TEXT
from app.text.i18n import Lang, translate
from app.web.backprop_schemas import ArticleQuery

DEMO_TERM: Final = "backpropagation"  # the term whose article the demo belongs to
NUMBER_FIELDS: Final = ("x", "w1", "b", "w2", "t")
CHOICE_FIELDS: Final = ("hidden", "output", "loss")
FIELDS: Final = (*NUMBER_FIELDS, "lr", "steps", *CHOICE_FIELDS)
MORE_FIELDS: Final = ("lr", "steps", *CHOICE_FIELDS)  # behind "more settings" in the frame
FIELD_MESSAGES: Final = {  # field → the demo_error_* string that says what it accepts
    **dict.fromkeys(NUMBER_FIELDS, "demo_error_number"),
    "lr": "demo_error_lr",
    "steps": "demo_error_steps",
    **dict.fromkeys(CHOICE_FIELDS, "demo_error_choice"),
}
# HTML's "valid floating-point number": what an <input type=number> may hold as its value.
HTML_NUMBER: Final = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def field_message(lang: Lang, field: str, code: str = "") -> str:
    """What a form field accepts, in the page's language."""
    key = "demo_error_bce_target" if code == "bce_target" else FIELD_MESSAGES[field]
    return translate(lang, key, max=f"{MAX_LEARNING_RATE:g}", steps=MAX_STEPS)


def form_value(name: str, given: Mapping[str, str]) -> str:
    """What a form field shows: the value asked for, if the field can hold it, or the default."""
    if name not in given:
        value = ARTICLE_DEFAULTS[name]
        return f"{value:g}" if isinstance(value, float) else str(value)
    text = given[name]
    if name in CHOICE_FIELDS or HTML_NUMBER.fullmatch(text):
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


FormField = Annotated[str | None, Query()]


@dataclass(frozen=True)
class DemoForm:
    """The demo's query parameters as typed, for its page and its frame (a dependency: each is
    declared, so the response cache keys on them); demo_view() parses and checks them."""

    x: FormField = None
    w1: FormField = None
    b: FormField = None
    w2: FormField = None
    t: FormField = None
    lr: FormField = None
    steps: FormField = None
    hidden: FormField = None
    output: FormField = None
    loss: FormField = None

    def given(self) -> dict[str, str]:
        """The fields the query holds, by name."""
        return {name: value for name in FIELDS if (value := getattr(self, name)) is not None}


@lru_cache(maxsize=1)
def article_table() -> dict[str, Any]:
    """The article's default example with its inputs: what _backprop_table.html shows."""
    query = ArticleQuery()
    result = article_example()
    return {"result": result, "view": view_numbers(query, result)}


@dataclass(frozen=True)
class DemoView:
    """The demo for one query: its status (422 when a field is refused) and its context."""

    status: int
    context: dict[str, Any]


def demo_view(params: Mapping[str, str], lang: Lang) -> DemoView:
    """Parse the form, run the engine, and arrange everything the demo's templates show."""
    given = {name: params[name] for name in FIELDS if name in params}
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
    shown = result or article_table()["result"]
    context = {
        "form": {name: form_value(name, given) for name in FIELDS},
        "errors": errors,
        "overflow": overflow,
        "result": result,
        "shown": shown,
        "view": view_numbers(query, result) if result else article_table()["view"],
        "curve": loss_curve(shown["history"]),
        "curve_size": (CURVE_WIDTH, CURVE_HEIGHT),
        "activation_options": [
            (name, getattr(text, lang)) for name, text in ACTIVATION_TEXT.items()
        ],
        "loss_options": [
            (name, f"{getattr(text, lang)}: {text.value.format(sum='', y='y')}")
            for name, text in LOSS_TEXT.items()
        ],
        "field_messages": {field: field_message(lang, field) for field in FIELDS},
        "bce_message": field_message(lang, "t", "bce_target"),
        "max_learning_rate": f"{MAX_LEARNING_RATE:g}",
        "max_steps": MAX_STEPS,
    }
    return DemoView(status=200 if result else 422, context=context)
