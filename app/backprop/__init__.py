"""Backpropagation engine for the live demo: validate, train, explain.

`train()` answers POST /api/v1/backprop; `article_example()` answers GET /api/v1/backprop, the
two-layer example of the article 「誤差伝播とは」. docs/api.md describes both requests and their
responses; contract.py holds the limits. NumPy only, no web framework: the routes turn
BackpropInputError and BackpropOverflowError into a 422.

The modules, in the order a request goes through them:
  contract.py   limits, LayerSpec, BackpropInputError (.field .message .code), BackpropOverflowError
  validate.py   request → TrainingSetup (float64 arrays), or the first field at fault
  kernels.py    activations and losses as in-place NumPy kernels
  network.py    θ = every layer's [W | b] in one vector; forward, backward, update, gradient check
  run.py        the training loop under np.errstate(..., "raise"), and the JSON-ready response
  explain.py    the chain rule as steps {id, ja, en, formula, value}
  general.py    train(): any network up to 4 layers of 16 neurons
  article.py    article_example(): z1 = w1·x + b, h = hidden(z1), y = output(w2·h), L = loss
  display.py    numbers and the loss curve as the demo page and the term page show them
"""

from app.backprop.article import ARTICLE_DEFAULTS, article_example
from app.backprop.contract import (
    ACTIVATIONS,
    LOSSES,
    MAX_LAYERS,
    MAX_LEARNING_RATE,
    MAX_NEURONS,
    MAX_STEPS,
    BackpropInputError,
    BackpropOverflowError,
    LayerSpec,
)
from app.backprop.general import train
from app.backprop.network import GRADIENT_CHECK_EPS, GRADIENT_CHECK_TOLERANCE

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
