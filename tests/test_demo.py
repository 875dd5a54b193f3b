"""The backprop demo over HTTP: GET and POST /api/v1/backprop and the page /demo/backprop (+ /en).

Pinned here:
- The default GET is the article's example, worked by hand (the derivation is in
  tests/test_backprop.py): z1 = 0.5·1 + 0.1 = 0.6, h = σ(0.6) = 0.645656, y = 0.8·h = 0.516525,
  L = ½(y − 1)² = 0.116874, ∂L/∂w2 = (y − t)·h = −0.312159, ∂L/∂w1 = (y − t)·w2·h(1 − h)·x =
  −0.088489. The POST example is Mazur's 2-2-2 network, E_total = 0.298371109.
- history has steps + 1 losses; update_bias false keeps the biases; the routes answer what the
  engine answers, byte for byte.
- Every bad input is a 422 application/problem+json naming its field ("body.layers[0].weights",
  "query.w1"); an overflow is a 422 that says so; no answer is a 500 or holds NaN or Infinity.
- The page renders the results on the server in both languages (SVG diagram, chain-rule table,
  updates, loss curve when steps > 1, gradient-check badge); bad values re-render the form with the
  message next to the field, with status 422; it loads no inline script, and term pages do not
  load its CSS or JavaScript.
- templates/_backprop_table.html renders the engine's default example for the term page.
"""

from __future__ import annotations

import copy
import json
import math
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app.backprop import ARTICLE_DEFAULTS, MAX_STEPS, LayerSpec, article_example, train
from app.backprop.display import CURVE_HEIGHT, CURVE_WIDTH, format_number, loss_curve
from app.web.assets import static_assets
from app.web.backprop_schemas import MAZUR_EXAMPLE, ArticleQuery
from app.web.demo_view import article_table
from app.web.templates import templates

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def strict_json(text: str) -> Any:
    """Parse JSON, refusing NaN and ±Infinity (which Python's parser would accept)."""

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} in a response")

    return json.loads(text, parse_constant=refuse)


def assert_problem(response: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """A 422 problem+json; when `fields` is given, exactly those fields are named, in order."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = strict_json(response.text)
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == 422 and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    for error in body["errors"]:
        assert set(error) == {"field", "message", "type"} and error["message"]
    if fields is not None:
        assert [error["field"] for error in body["errors"]] == fields
    return dict(body)


# ── GET /api/v1/backprop: the article's example ─────────────────────────────────────────────


def test_the_default_get_is_the_article_example_worked_by_hand(client: TestClient) -> None:
    response = client.get("/api/v1/backprop")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"].startswith("public")  # the same URL, the same answer
    body = strict_json(response.text)
    expected = {
        "z1": 0.6,
        "h": 0.645656,
        "y": 0.516525,
        "L": 0.116874,
        "dL_dw2": -0.312159,
        "dL_dw1": -0.088489,
        "dL_db": -0.088489,
    }
    for name, value in expected.items():
        assert body["named"][name] == pytest.approx(value, abs=5e-7), name
    assert set(body) == {
        "forward", "loss", "backward", "steps", "updated", "loss_after", "history",
        "gradient_check", "named",
    }  # fmt: skip
    assert len(body["history"]) == 2
    assert body["loss"] == body["history"][0] == body["named"]["L"]
    assert body["gradient_check"]["ok"] is True
    # one step of η = 0.5: w2 = 0.8 − 0.5·(−0.312159) = 0.956079
    assert body["updated"]["layers"][1]["weights"] == [[pytest.approx(0.956079, abs=5e-7)]]


def test_the_get_answers_what_the_engine_answers(client: TestClient) -> None:
    params = {"x": "0.3", "w1": "-1.2", "w2": "2", "b": "0.4", "t": "0.2", "lr": "0.1"}
    params |= {"steps": "7", "hidden": "tanh", "output": "sigmoid", "loss": "bce"}
    body = strict_json(client.get("/api/v1/backprop", params=params).text)
    engine = article_example(**ArticleQuery.model_validate(params).model_dump())
    assert body == json.loads(json.dumps(engine))
    assert len(body["history"]) == 8


@pytest.mark.parametrize("steps", [1, 2, 50, MAX_STEPS])
def test_history_holds_steps_plus_one_losses(client: TestClient, steps: int) -> None:
    body = client.get("/api/v1/backprop", params={"steps": steps}).json()
    assert len(body["history"]) == steps + 1
    assert body["history"][-1] == body["loss_after"]


def test_query_defaults_are_the_engine_defaults() -> None:
    assert ArticleQuery().model_dump() == ARTICLE_DEFAULTS


# ── POST /api/v1/backprop: any small network ───────────────────────────────────────────────


def test_the_post_example_is_mazurs_network(client: TestClient) -> None:
    response = client.post("/api/v1/backprop", json=MAZUR_EXAMPLE)
    assert response.status_code == 200
    body = strict_json(response.text)
    assert body["loss"] == pytest.approx(0.298371109, abs=1e-9)  # E_o1 + E_o2
    assert [layer["layer"] for layer in body["forward"]] == [1, 2]
    assert body["forward"][1]["a"] == pytest.approx([0.75136507, 0.772928465])
    assert len(body["history"]) == 2
    assert "named" not in body
    layers = [LayerSpec(**layer) for layer in MAZUR_EXAMPLE["layers"]]
    arguments = {**MAZUR_EXAMPLE, "layers": layers}
    assert body == json.loads(json.dumps(train(**arguments)))


def test_update_bias_false_keeps_the_biases(client: TestClient) -> None:
    body = client.post(
        "/api/v1/backprop", json={**MAZUR_EXAMPLE, "update_bias": False, "steps": 3}
    ).json()
    assert [layer["bias"] for layer in body["updated"]["layers"]] == [[0.35, 0.35], [0.6, 0.6]]
    # Mazur's w5 after one step is 0.35891648; after three it has moved further
    assert body["updated"]["layers"][1]["weights"][0][0] < 0.35891648
    assert len(body["history"]) == 4


def test_a_layer_without_bias_and_defaults(client: TestClient) -> None:
    minimal = {
        "x": [1.0],
        "t": [0.0],
        "layers": [{"weights": [[0.5]], "bias": None, "activation": "tanh"}],
    }
    body = client.post("/api/v1/backprop", json=minimal).json()
    assert body["backward"][0]["grad_bias"] is None
    assert body["updated"]["layers"][0]["bias"] is None
    assert len(body["history"]) == 2  # steps defaults to 1


# ── Bad input ──────────────────────────────────────────────────────────────────────────────


def mazur_with(changes: dict[str, Any]) -> dict[str, Any]:
    """MAZUR_EXAMPLE with the items at paths like "layers.0.weights" replaced or removed."""
    body = copy.deepcopy(MAZUR_EXAMPLE)
    for path, value in changes.items():
        *parents, last = path.split(".")
        target: Any = body
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        key: Any = int(last) if last.isdigit() else last
        if value is REMOVE:
            del target[key]
        else:
            target[key] = value
    return body


REMOVE = object()
ROW = [0.1, 0.2]

BAD_BODIES: list[tuple[str, dict[str, Any], str]] = [
    ("no inputs", {"x": []}, "body.x"),
    ("17 inputs", {"x": [0.1] * 17}, "body.x"),
    ("a string in x", {"x": ["0.05", 0.1]}, "body.x[0]"),
    ("true in x", {"x": [True, 0.1]}, "body.x[0]"),
    ("no layers", {"layers": []}, "body.layers"),
    ("5 layers", {"layers": [MAZUR_EXAMPLE["layers"][1]] * 5}, "body.layers"),
    ("17 neurons", {"layers.0.weights": [ROW] * 17}, "body.layers[0].weights"),
    ("a short row", {"layers.0.weights": [ROW, [0.3]]}, "body.layers[0].weights[1]"),
    ("a misfit layer", {"layers.1.weights": [[1, 2, 3]] * 2}, "body.layers[1].weights[0]"),
    ("a short bias", {"layers.0.bias": [0.35]}, "body.layers[0].bias"),
    ("a bias left out", {"layers.0.bias": REMOVE}, "body.layers[0].bias"),
    ("an unknown activation", {"layers.1.activation": "softmax"}, "body.layers[1].activation"),
    ("an unknown field", {"layers.0.dropout": 0.5}, "body.layers[0].dropout"),
    ("a long target", {"t": [0.01, 0.99, 0.5]}, "body.t"),
    ("an unknown loss", {"loss": "mse"}, "body.loss"),
    ("a bce target above 1", {"loss": "bce", "t": [0.01, 1.5]}, "body.t[1]"),
    ("learning rate 0", {"learning_rate": 0}, "body.learning_rate"),
    ("learning rate above 100", {"learning_rate": 101}, "body.learning_rate"),
    ("0 steps", {"steps": 0}, "body.steps"),
    ("too many steps", {"steps": MAX_STEPS + 1}, "body.steps"),
    ("fractional steps", {"steps": 1.5}, "body.steps"),
    ("update_bias a string", {"update_bias": "yes"}, "body.update_bias"),
]


@pytest.mark.parametrize(
    ("changes", "field"),
    [(changes, field) for _, changes, field in BAD_BODIES],
    ids=[name for name, *_ in BAD_BODIES],
)
def test_a_bad_body_names_its_field(
    client: TestClient, changes: dict[str, Any], field: str
) -> None:
    assert_problem(client.post("/api/v1/backprop", json=mazur_with(changes)), [field])


@pytest.mark.parametrize(
    ("literal", "field"),
    [
        ('"x": [0.05, NaN]', "body.x[1]"),
        ('"x": [Infinity, 0.1]', "body.x[0]"),
        ('"x": [0.05, 1e999]', "body.x[1]"),
        ('"x": [-Infinity, 0.1]', "body.x[0]"),
    ],
)
def test_non_finite_numbers_in_a_body_are_refused(
    client: TestClient, literal: str, field: str
) -> None:
    # JSON has no NaN, but Python's parser reads NaN, Infinity and 1e999 (as inf)
    text = json.dumps(MAZUR_EXAMPLE).replace('"x": [0.05, 0.1]', literal)
    assert literal in text
    response = client.post(
        "/api/v1/backprop", content=text, headers={"content-type": "application/json"}
    )
    assert_problem(response, [field])


def test_the_bce_target_error_comes_from_the_engine(client: TestClient) -> None:
    body = {**MAZUR_EXAMPLE, "loss": "bce", "t": [-0.5, 0.99]}
    problem = assert_problem(client.post("/api/v1/backprop", json=body), ["body.t[0]"])
    assert problem["errors"][0]["type"] == "bce_target"
    assert "between 0 and 1" in problem["errors"][0]["message"]


BAD_QUERIES: list[tuple[str, str]] = [
    ("x=nan", "query.x"),
    ("x=NaN", "query.x"),
    ("w1=inf", "query.w1"),
    ("b=-inf", "query.b"),
    ("w2=1e999", "query.w2"),
    ("t=Infinity", "query.t"),
    ("x=abc", "query.x"),
    ("x=", "query.x"),
    ("lr=0", "query.lr"),
    ("lr=-1", "query.lr"),
    ("lr=100.5", "query.lr"),
    ("lr=nan", "query.lr"),
    ("steps=0", "query.steps"),
    ("steps=10001", "query.steps"),
    ("steps=1.5", "query.steps"),
    ("hidden=softmax", "query.hidden"),
    ("output=step", "query.output"),
    ("loss=hinge", "query.loss"),
    ("loss=bce&t=2", "query.t"),
    ("loss=bce&t=-0.1", "query.t"),
]


@pytest.mark.parametrize(("query", "field"), BAD_QUERIES, ids=[q for q, _ in BAD_QUERIES])
def test_a_bad_query_names_its_parameter(client: TestClient, query: str, field: str) -> None:
    assert_problem(client.get(f"/api/v1/backprop?{query}"), [field])


def test_every_bad_parameter_is_named_at_once(client: TestClient) -> None:
    response = client.get("/api/v1/backprop?x=nan&w1=inf&steps=0&hidden=softmax")
    problem = assert_problem(response, ["query.x", "query.w1", "query.steps", "query.hidden"])
    assert problem["detail"] == "invalid value for query.x, query.w1, query.steps, query.hidden"


@pytest.mark.parametrize(
    "request_",
    [
        ("GET", "/api/v1/backprop?hidden=identity&lr=100&steps=10000", None),
        ("GET", "/api/v1/backprop?loss=bce&w2=9", None),  # identity output y > 1: ln(1 − y)
        (
            "POST",
            "/api/v1/backprop",
            {
                "x": [1.0],
                "t": [0.0],
                "layers": [
                    {"weights": [[1e300]], "bias": None, "activation": "identity"},
                    {"weights": [[1e300]], "bias": None, "activation": "identity"},
                ],
            },
        ),
    ],
    ids=["diverging training", "bce of an output above 1", "huge weights"],
)
def test_an_overflow_is_a_422_that_says_so(client: TestClient, request_: tuple[Any, ...]) -> None:
    method, url, body = request_
    response = client.request(method, url, json=body)
    problem = assert_problem(response, [])
    assert problem["title"] == "Overflow"
    assert problem["detail"].startswith("the computation overflowed: ")
    assert "not finite" in problem["detail"]


FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1e-308, 5e-324, 1e308, -1e308, 36.0, 710.0, -745.0]
)


@settings(max_examples=120, deadline=None)
@given(
    numbers=st.fixed_dictionaries({name: FLOATS for name in ("x", "w1", "w2", "b", "t")}),
    lr=st.sampled_from(["0.5", "100", "1e-300"]),
    steps=st.sampled_from(["1", "3", "40"]),
    hidden=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
    output=st.sampled_from(["sigmoid", "tanh", "relu", "identity"]),
    loss=st.sampled_from(["half_sse", "sse", "bce"]),
)
def test_no_query_makes_a_500_or_a_non_finite_number(
    client: TestClient,
    numbers: dict[str, float],
    lr: str,
    steps: str,
    hidden: str,
    output: str,
    loss: str,
) -> None:
    params = {name: repr(value) for name, value in numbers.items()}
    params |= {"lr": lr, "steps": steps, "hidden": hidden, "output": output, "loss": loss}
    response = client.get("/api/v1/backprop", params=params)
    assert response.status_code in (200, 422), response.text
    body = strict_json(response.text)  # raises on NaN or Infinity
    if response.status_code == 422:
        assert set(body) == PROBLEM_KEYS
    assert client.get("/demo/backprop", params=params).status_code == response.status_code


def test_openapi_describes_both_routes_with_the_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    path = spec["paths"]["/api/v1/backprop"]
    assert {"get", "post"} <= set(path)
    names = [parameter["name"] for parameter in path["get"]["parameters"]]
    assert names == ["x", "w1", "w2", "b", "t", "lr", "steps", "hidden", "output", "loss"]
    schemas = spec["components"]["schemas"]
    assert schemas["BackpropIn"]["examples"] == [MAZUR_EXAMPLE]
    assert "named" in schemas["ArticleOut"]["properties"]
    assert "422" in path["post"]["responses"] and "422" in path["get"]["responses"]
    assert "/demo/backprop" not in spec["paths"]


# ── The page ───────────────────────────────────────────────────────────────────────────────


class Page(HTMLParser):
    """The parts of the demo page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: dict[str, dict[str, str | None]] = {}  # by id
        self.scripts: list[dict[str, str | None]] = []
        self.stylesheets: list[str] = []
        self.styled = 0  # elements with a style attribute (a CSP would refuse them)
        self.steps: list[str] = []
        self.points: list[str] = []
        self.hidden: set[str] = set()
        self._text_of: str | None = None
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if "style" in values:
            self.styled += 1
        if tag == "script":
            self.scripts.append(values)
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(str(values["href"]))
        if tag == "tr" and values.get("data-step"):
            self.steps.append(str(values["data-step"]))
        if tag == "polyline":
            self.points = str(values.get("points") or "").split()
        element_id = values.get("id")
        if element_id:
            self.attributes[element_id] = values
            if "hidden" in values:
                self.hidden.add(element_id)
            if element_id.startswith("e-"):
                self._text_of = element_id
                self.text[element_id] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._text_of = None

    def handle_data(self, data: str) -> None:
        if self._text_of:
            self.text[self._text_of] += data


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


ARTICLE_STEP_IDS = [
    "z1", "h", "y", "L", "dL_dy", "dL_dw2", "dL_dh", "dh_dz1", "dL_dz1", "dL_dw1", "dL_db",
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/demo/backprop", "重み w2 の勾配 ∂L/∂w2"),
        ("/en/demo/backprop", "Gradient of the weight w2, ∂L/∂w2"),
    ],
)
def test_the_page_shows_the_default_example(client: TestClient, path: str, label: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    page = parse(html)
    assert f'<html lang="{"en" if path.startswith("/en/") else "ja"}">' in html
    assert '<svg class="bp-diagram"' in html and '<svg class="bp-curve"' in html
    assert page.steps == ARTICLE_STEP_IDS
    assert label in html
    assert "∂L/∂w2 = ∂L/∂y · ∂y/∂w2 = (y − t)·h" in html
    for value in ("0.6", "0.645656", "0.516525", "0.116874", "−0.312159", "−0.0884892"):
        assert f">{value}<" in html, value
    for after in ("0.544245", "0.144245", "0.956079"):  # the updates
        assert f">{after}<" in html, after
    assert "demo-results" not in page.hidden
    assert "data-curve-section hidden" in html  # one step: no curve
    assert "is-ok" in html  # the gradient-check badge
    assert page.stylesheets[-1] == static_assets.url("demo.css")
    assert {"src": static_assets.url("demo.js"), "defer": None} in page.scripts
    code = [s for s in page.scripts if s.get("type") != "application/ld+json"]  # JSON-LD is data
    assert all(script.get("src") for script in code)  # no inline code: ready for a strict CSP
    assert client.get(static_assets.url("demo.js")).status_code == 200
    assert page.styled == 0
    assert '<link rel="alternate" type="application/json" href="/api/v1/backprop">' in html
    assert (page.attributes["f-steps"]["min"], page.attributes["f-steps"]["max"]) == ("1", "10000")
    assert page.attributes["f-lr"]["max"] == "100"
    for name in ("x", "w1", "w2", "b", "t", "lr", "steps", "hidden", "output", "loss"):
        assert page.attributes[f"f-{name}"]["name"] == name
        assert f'<label for="f-{name}">' in html
        assert f"e-{name}" in page.hidden


def test_the_page_computes_the_values_in_the_url(client: TestClient) -> None:
    query = "x=2&w1=-0.3&b=0&w2=1.5&t=0.25&lr=0.2&steps=5&hidden=tanh&output=sigmoid&loss=sse"
    response = client.get(f"/en/demo/backprop?{query}")
    assert response.status_code == 200
    html = response.text
    page = parse(html)
    engine = article_example(
        x=2, w1=-0.3, b=0, w2=1.5, t=0.25, lr=0.2, steps=5, hidden="tanh", output="sigmoid",
        loss="sse",
    )  # fmt: skip
    for step in engine["steps"]:
        assert f'data-f="value">{format_number(step["value"])}<' in html, step["id"]
        assert step["formula"] in html
    assert "h = tanh(z1)" in html and "y = σ(w2·h)" in html
    assert page.attributes["f-w1"]["value"] == "-0.3"
    assert 'value="tanh" selected' in html and 'value="sse" selected' in html
    # the loss curve: six losses, from the top-left corner (the largest loss) to the right edge
    assert "data-curve-section hidden" not in html
    assert len(page.points) == 6
    assert page.points[-1].startswith(f"{CURVE_WIDTH:.1f},")
    assert f'href="/api/v1/backprop?{query.replace("&", "&amp;")}"' in html
    # the language switch keeps the values
    assert f'href="/demo/backprop?{query.replace("&", "&amp;")}"' in html


FUNCTIONS = ("hidden", "output", "loss")


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/demo/backprop?x=abc", "x", "数値を入力してください"),
        ("/en/demo/backprop?w1=nan", "w1", "Enter a finite number"),
        ("/demo/backprop?steps=0", "steps", "1 から 10000 までの整数"),
        ("/en/demo/backprop?lr=0", "lr", "above 0 and at most 100"),
        ("/en/demo/backprop?hidden=softmax", "hidden", "Choose one of the options"),
        ("/demo/backprop?loss=bce&t=2", "t", "正解 t は 0 以上 1 以下"),
        ("/en/demo/backprop?loss=bce&t=-1", "t", "target t must be between 0 and 1"),
    ],
)
def test_a_bad_value_re_renders_the_form_with_the_message(
    client: TestClient, path: str, field: str, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    page = parse(response.text)
    assert message in page.text[f"e-{field}"]
    assert f"e-{field}" not in page.hidden
    assert page.attributes[f"f-{field}"]["aria-invalid"] == "true"
    assert "demo-results" in page.hidden
    assert 'role="alert"' in response.text
    given = path.split(f"{field}=")[1].split("&")[0]
    shown = page.attributes[f"f-{field}"]["value"] if field not in FUNCTIONS else given
    # what was typed stays, if a number field can hold it ("abc" and "nan" cannot)
    assert shown == ("" if given in ("abc", "nan") else given)


def test_every_bad_field_is_marked_at_once(client: TestClient) -> None:
    response = client.get("/demo/backprop?x=abc&w1=inf&steps=20000&output=step")
    assert response.status_code == 422
    page = parse(response.text)
    for field in ("x", "w1", "steps", "output"):
        assert page.attributes[f"f-{field}"]["aria-invalid"] == "true"
    for field in ("b", "w2", "t", "lr", "hidden", "loss"):
        assert "aria-invalid" not in page.attributes[f"f-{field}"]


def test_an_overflow_re_renders_the_form_and_says_so(client: TestClient) -> None:
    response = client.get("/demo/backprop?hidden=identity&lr=100&steps=10000")
    assert response.status_code == 422
    page = parse(response.text)
    assert "demo-overflow" not in page.hidden
    assert "オーバーフロー" in response.text
    assert "not finite" in response.text  # the engine's own account, in English
    assert "demo-results" in page.hidden


def test_the_loss_curve_is_drawn_when_steps_exceed_one(client: TestClient) -> None:
    html = client.get("/demo/backprop?steps=10000").text
    page = parse(html)
    assert "data-curve-section hidden" not in html
    assert len(page.points) == 201  # 10,001 losses, sampled
    first_x, first_y = map(float, page.points[0].split(","))
    assert (first_x, first_y) == (0.0, 0.0)  # the largest loss is the first, at the top
    assert all(0 <= float(p.split(",")[1]) <= CURVE_HEIGHT for p in page.points)
    assert "10000 ステップで誤差 L は" in re.sub(r"<[^>]+>", "", html)


def test_term_pages_stay_light(client: TestClient) -> None:
    html = client.get("/terms/backpropagation").text
    assert not re.search(r"/static/demo\.", html)


# ── The term page's table ──────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("lang", "label", "link"),
    [
        ("ja", "重み w2 の勾配 ∂L/∂w2", '<a href="/demo/backprop">この例を動かす →</a>'),
        ("en", "Gradient of the weight w2, ∂L/∂w2", '<a href="/en/demo/backprop">Try this'),
    ],
)
def test_the_term_page_table_is_the_engines_default_example(
    lang: str, label: str, link: str
) -> None:
    source = (
        '{% from "_backprop_table.html" import article_table %}{{ article_table(example, lang) }}'
    )
    html = templates.env.from_string(source).render(lang=lang, example=article_table())
    assert label in html and link in html
    cells = re.findall(r"<td>([^<]*)</td>\s*</tr>", html)
    # x, w1, b, w2, t, η; the 11 named values; w1, b, w2 after the update
    assert cells == [
        "1", "0.5", "0.1", "0.8", "1", "0.5",
        "0.6", "0.645656", "0.516525", "0.116874", "−0.483475", "−0.312159", "−0.38678",
        "0.228784", "−0.0884892", "−0.0884892", "−0.0884892",
        "0.544245", "0.144245", "0.956079",
    ]  # fmt: skip


# ── Numbers as the page writes them (static/demo.js repeats these rules) ───────────────────


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (0.6, "0.6"),
        (1.0, "1"),
        (-0.08848916029113732, "−0.0884892"),
        (0.0001, "0.0001"),
        (0.0000351085, "3.51085×10⁻⁵"),
        (123456.7, "123457"),
        (999999.5, "1×10⁶"),
        (1234567.0, "1.23457×10⁶"),
        (-2.5e-300, "−2.5×10⁻³⁰⁰"),
        (10000, "10000"),
    ],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_loss_curve_scales_and_samples() -> None:
    curve = loss_curve([4.0, 2.0, 1.0, 0.0])
    third = CURVE_WIDTH / 3
    assert curve.points.split() == [
        "0.0,0.0",
        f"{third:.1f},{CURVE_HEIGHT / 2:.1f}",
        f"{2 * third:.1f},{CURVE_HEIGHT * 3 / 4:.1f}",
        f"{CURVE_WIDTH:.1f},{CURVE_HEIGHT:.1f}",
    ]
    assert (curve.top, curve.steps, curve.first, curve.last) == (4.0, 3, 4.0, 0.0)
    flat = loss_curve([0.0, 0.0])
    assert flat.points == f"0.0,{CURVE_HEIGHT:.1f} {CURVE_WIDTH:.1f},{CURVE_HEIGHT:.1f}"
    long = loss_curve([math.exp(-i / 100) for i in range(10_001)])
    assert len(long.points.split()) == 201
