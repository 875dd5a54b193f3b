"""train(): any small network, as POST /api/v1/backprop receives it."""

from app.backprop.contract import LayerSpec
from app.backprop.explain import general_steps
from app.backprop.run import response, run
from app.backprop.validate import validate


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
    setup = validate(
        x=x,
        t=t,
        layers=layers,
        loss=loss,
        learning_rate=learning_rate,
        steps=steps,
        update_bias=update_bias,
    )
    result = run(setup)
    return response(result, general_steps(result))
