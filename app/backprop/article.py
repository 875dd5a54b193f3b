"""article_example(): the two-layer example of the article 「誤差伝播とは」, as GET receives it.

z1 = w1·x + b, h = hidden(z1), y = output(w2·h) (no output bias), L = loss(y, t). Its errors name
the query parameters of GET /api/v1/backprop ("w1", "lr") instead of train()'s JSON paths.
"""

import inspect
from typing import Final

from app.backprop.contract import BackpropInputError, LayerSpec
from app.backprop.explain import article_steps
from app.backprop.run import response, run
from app.backprop.validate import validate

# train()'s field paths → the query parameters of GET /api/v1/backprop.
ARTICLE_FIELDS: Final = {
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

    The response is train()'s, with `steps` told per scalar, plus `named` {z1, h, y, L, dL_dy,
    dL_dw2, dL_dh, dh_dz1, dL_dz1, dL_dw1, dL_db}. Errors name the query parameter ("w1", "lr").
    """
    try:
        setup = validate(
            x=[x],
            t=[t],
            layers=[LayerSpec([[w1]], [b], hidden), LayerSpec([[w2]], None, output)],
            loss=loss,
            learning_rate=lr,
            steps=steps,
            update_bias=True,
        )
    except BackpropInputError as error:
        field = ARTICLE_FIELDS.get(error.field, error.field)
        raise BackpropInputError(field, error.message, error.code) from None
    result = run(setup)
    trace, (grad_b, _) = result.trace, result.trace.grad_bias
    assert grad_b is not None  # the hidden layer has the bias b
    named = {
        "z1": float(trace.z[0][0]),
        "h": float(trace.a[0][0]),
        "y": float(trace.a[1][0]),
        "L": float(result.history[0]),
        "dL_dy": float(trace.dL_da[1][0]),
        "dL_dw2": float(trace.grad_weights[1][0, 0]),
        "dL_dh": float(trace.dL_da[0][0]),
        "dh_dz1": float(trace.slope[0][0]),
        "dL_dz1": float(trace.delta[0][0]),
        "dL_dw1": float(trace.grad_weights[0][0, 0]),
        "dL_db": float(grad_b[0]),
    }
    return {**response(result, article_steps(setup, named)), "named": named}


# The query parameters of GET /api/v1/backprop and their defaults, in order: article_example()'s
# keywords, read from its signature so the article's numbers are written once.
ARTICLE_DEFAULTS: Final[dict[str, float | int | str]] = {
    name: parameter.default
    for name, parameter in inspect.signature(article_example).parameters.items()
}
