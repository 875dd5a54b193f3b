"""Strange requests: path traversal on /static, odd methods, malformed percent-encoding, very
long URLs and headers, odd Host and Accept headers, malformed bodies — each answered with a
4xx (or, where any input is fine, a 200), never a 5xx and never a file from outside static/.
And no request does more work than the backprop work limit allows, counted in layer passes
and multiply-adds (bench/bench_limits.py times those requests).

Traversal and encoding tests send raw bytes to the real server (uvicorn on a free port),
because HTTP clients normalize `..` and percent-encoding before a request leaves them.
"""

from __future__ import annotations

import re
import socket
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from app.backprop.contract import (
    MAX_LAYER_STEPS,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_STEPS,
    BackpropInputError,
    LayerSpec,
)
from app.backprop.network import Network
from app.backprop.validate import TrainingSetup, validate
from app.settings import ROOT
from app.web.assets import load
from app.web.security import MAX_HEADER_BYTES, MAX_URL_BYTES

SECRETS = (
    b"def create_app",  # app/main.py
    b"root:x:0:0",  # /etc/passwd
    b"GLOSSARY_BASE_URL",  # app/settings.py, README.md
    b"[project]",  # pyproject.toml
)


def raw_request(
    base: str, target: bytes, *, method: bytes = b"GET", headers: list[bytes] | None = None
) -> tuple[int, bytes, bytes]:
    """Send one request exactly as written; return (status, head, body)."""
    address = urlsplit(base)
    lines = [method + b" " + target + b" HTTP/1.1"]
    lines += headers if headers is not None else [b"Host: testserver"]
    lines.append(b"Connection: close")
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, head, body


def header(head: bytes, name: bytes) -> bytes:
    found = re.search(rb"(?im)^" + re.escape(name) + rb":\s*(.*?)\r?$", head)
    return found.group(1) if found else b""


# ── /static: traversal ─────────────────────────────────────────────────────────────────────

TRAVERSALS = [
    b"/static/../app/main.py",
    b"/static/../../../../../../etc/passwd",
    b"/static/%2e%2e/app/main.py",
    b"/static/%2E%2E/%2E%2E/etc/passwd",
    b"/static/%2e%2e%2fapp%2fmain.py",
    b"/static/..%2f..%2fetc/passwd",
    b"/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    b"/static/..\\app\\main.py",
    b"/static/..%5capp%5cmain.py",
    b"/static/%5c..%5c..%5capp%5cmain.py",
    b"/static//etc/passwd",
    b"/static/%2fetc%2fpasswd",
    b"/static/%252e%252e/app/main.py",
    b"/static/..%c0%af..%c0%afetc/passwd",
    b"/static/....//....//etc/passwd",
    b"/static/swagger/../../app/main.py",
    b"/static/swagger/%2e%2e/%2e%2e/app/main.py",
    b"/static/app.0123456789.css/../../app/main.py",
    b"/static/app.css%00.py",
    b"/static/%00",
    b"/static/../pyproject.toml",
    b"/static/../README.md",
    b"/static/../app/settings.py",
    b"/static/.",
    b"/static/",
    b"/static/swagger/",
    b"/%2e%2e/app/main.py",
    b"/../app/main.py",
    b"/terms/../../app/main.py",
    b"/og/..%2f..%2fapp%2fmain.py.png",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=lambda t: t.decode("latin-1"))
def test_static_traversal_never_leaves_static(live_server: str, target: bytes) -> None:
    status, _, body = raw_request(live_server, target)
    assert 400 <= status < 500, (target, status)
    for secret in SECRETS:
        assert secret not in body, (target, secret)


def test_static_files_themselves_are_served(live_server: str) -> None:
    status, head, body = raw_request(live_server, b"/static/app.css")
    assert status == 200 and header(head, b"content-type").startswith(b"text/css")
    assert body == load(ROOT / "static" / "app.css").body  # the file, minified


# ── Methods ────────────────────────────────────────────────────────────────────────────────

# OPTIONS is no odd method: it answers 204 with Allow (tests/test_no_500.py).
METHODS = [b"TRACE", b"PROPFIND", b"PATCH", b"PUT", b"DELETE", b"MKCOL", b"LOCK"]
TARGETS = [b"/", b"/en/terms/relu", b"/static/app.css", b"/api/v1/terms", b"/api/v1/backprop"]


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.decode())
def test_odd_methods_are_405_and_echo_nothing(live_server: str, method: bytes) -> None:
    for target in TARGETS:
        status, head, body = raw_request(
            live_server, target, method=method, headers=[b"Host: testserver", b"X-Secret: s3cr3t"]
        )
        assert status == 405, (method, target, status)
        allowed = {m.strip() for m in header(head, b"allow").split(b",")}
        assert allowed and allowed <= {b"GET", b"HEAD", b"POST", b"OPTIONS"}, (method, target)
        assert b"s3cr3t" not in head + body, "TRACE must not reflect the request"
        expected = b"application/problem+json" if target.startswith(b"/api/") else b"text/html"
        assert header(head, b"content-type").startswith(expected), (method, target)
        assert header(head, b"content-security-policy"), (method, target)


def test_an_unknown_method_is_a_400(live_server: str) -> None:
    status, _, _ = raw_request(live_server, b"/", method=b"FOO")
    assert status in (400, 405, 501)


# ── Percent-encoding ───────────────────────────────────────────────────────────────────────

ENCODINGS = {
    b"/terms/%E3%81": 404,  # a truncated UTF-8 sequence
    b"/terms/%FF%FE": 404,
    b"/terms/%00": 404,
    b"/terms/%": 404,
    b"/terms/%ZZ": 404,
    b"/en/terms/%E3%81%": 404,
    b"/tags/%00%01": 404,
    b"/index/%E3%81": 404,
    b"/%": 404,
    b"/api/v1/terms/%00": 404,
    b"/api/v1/terms/%FF": 404,
    b"/api/v1/terms/%E3%81": 404,
    b"/og/%E3%81.png": 404,
    b"/search?q=%ZZ": 200,
    b"/search?q=%E3%81": 200,
    b"/search?q=%00": 200,
    b"/search?q=%": 200,
    b"/en/search?q=%FF%FE%FD": 200,
    b"/search?q=%E8%AA%A4%E5%B7%AE&q=%ZZ": 200,
    b"/api/v1/search?q=%ZZ%00": 200,
    b"/api/v1/suggest?q=%E3%81": 200,
    b"/api/v1/terms?cursor=%FF": 422,
    b"/api/v1/terms?limit=%00": 422,
    b"/api/v1/terms?limit=%": 422,
    b"/api/v1/backprop?x=%ZZ": 422,
    b"/demo/backprop?x=%E3%81": 422,
    b"/terms/relu?%=%&&=": 200,
}


@pytest.mark.parametrize("target", ENCODINGS, ids=lambda t: t.decode("latin-1"))
def test_malformed_percent_encoding_is_never_a_500(live_server: str, target: bytes) -> None:
    status, head, _ = raw_request(live_server, target)
    assert status == ENCODINGS[target], (target, status)
    if target.startswith(b"/api/") and status >= 400:
        assert header(head, b"content-type") == b"application/problem+json"


# ── Long URLs, long headers, odd headers ───────────────────────────────────────────────────


def test_very_long_urls_are_a_414(client: TestClient) -> None:
    for path in ("/terms/" + "a" * MAX_URL_BYTES, "/static/" + "%2e%2e/" * 2000 + "etc/passwd"):
        response = client.get(path)
        assert response.status_code == 414, path
    api = client.get("/api/v1/terms/" + "x" * MAX_URL_BYTES)
    assert api.status_code == 414 and api.json()["title"] == "URI Too Long"
    assert client.get("/terms/" + "a" * 8000).status_code == 404  # just under the limit


def test_very_long_headers_are_a_431(client: TestClient) -> None:
    big = {"x-padding": "a" * (MAX_HEADER_BYTES + 1)}
    page = client.get("/terms/relu", headers=big)
    assert page.status_code == 431 and page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/terms/relu", headers=big)
    assert api.status_code == 431
    assert "32 KiB" in api.json()["detail"]
    many = {f"x-h{i}": "b" * 40 for i in range(1000)}
    assert client.get("/api/v1/terms/relu", headers=many).status_code == 431
    fine = {"cookie": "; ".join(f"c{i}=" + "v" * 100 for i in range(50))}  # 5 KB of cookies
    assert client.get("/terms/relu", headers=fine).status_code == 200


def test_a_long_header_on_the_real_server_is_refused(live_server: str) -> None:
    padding = b"X-Padding: " + b"a" * 200_000
    status, _, _ = raw_request(live_server, b"/", headers=[b"Host: testserver", padding])
    assert status in (400, 431), status


ODD_HEADERS = {
    "host elsewhere": {"host": "evil.example"},
    "host with markup": {"host": "<script>alert(1)</script>"},
    "host empty": {"host": ""},
    "forwarded host": {"x-forwarded-host": "evil.example", "x-forwarded-proto": "javascript"},
    "accept json": {"accept": "application/json"},
    "accept nonsense": {"accept": "*/*;q=abc, text/html;level=;q=1e999, ,;,"},
    "accept long": {"accept": "text/html," * 1000},
    "accept-encoding nonsense": {"accept-encoding": "br;q=foo, gzip;q=1e999, *;q=0"},
    "accept-encoding refuses all": {"accept-encoding": "identity;q=0, *;q=0"},
    "accept-language odd": {"accept-language": "*;q=0, en-US;q=abc, ja-JP-x-" + "a" * 500},
    "if-none-match odd": {"if-none-match": '"unterminated, W/, ,,,'},
    "if-modified-since odd": {"if-modified-since": "yesterday, 99 Foo 99999"},
    "range odd": {"range": "bytes=abc"},
    "range past the end": {"range": "bytes=999999999-"},
    "many ranges": {"range": "bytes=" + ",".join(f"{i}-{i}" for i in range(1000))},
    "cookie odd": {"cookie": "a=\x7f; ;;=; b; c=" + "%" * 100},
    "content-type odd": {"content-type": "multipart/form-data; boundary="},
}


@pytest.mark.parametrize("name", ODD_HEADERS)
def test_odd_headers_are_never_a_500(client: TestClient, name: str) -> None:
    headers = ODD_HEADERS[name]
    for path in ("/terms/relu", "/en/", "/api/v1/terms/relu", "/static/app.css", "/sitemap.xml"):
        response = client.get(path, headers=headers)
        assert response.status_code < 500, (name, path, response.status_code)
        assert response.status_code in (200, 206, 304, 406, 416), (name, path)
        assert b"evil.example" not in response.content, (name, path)  # the Host is not used


def test_the_host_header_never_reaches_a_link(live_server: str) -> None:
    for target in (b"/terms/relu", b"/api/v1/terms/relu", b"/sitemap.xml", b"/robots.txt"):
        for host in (b"evil.example", b"evil.example:80", b"<svg onload=alert(1)>"):
            status, head, body = raw_request(live_server, target, headers=[b"Host: " + host])
            assert status == 200, (target, host)
            assert host not in head + body, (target, host)


@pytest.mark.parametrize(
    "path",
    [
        "/en//evil.example",
        "/en//evil.example/terms/x",
        "/en/%2F%2Fevil.example",
        "/en/%2F/evil.example",
        "/en////evil.example",
        "/en/\\\\evil.example",
        "/en/%5C%5Cevil.example",
        "//evil.example/",
        "/en//evil.example?q=1",
    ],
)
def test_a_path_never_becomes_a_link_to_another_site(client: TestClient, path: str) -> None:
    """Bug found: /en//evil.example's "日本語" link was the protocol-relative //evil.example."""
    response = client.get(path)
    assert response.status_code < 500
    for href in re.findall(r'href="([^"]*)"', response.text):
        assert not re.match(r"^\s*[/\\]{2}", href), (path, href)
        assert not re.match(r"^\s*[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith(
            ("http://testserver/", "https://")
        ), (path, href)


# ── Bodies ─────────────────────────────────────────────────────────────────────────────────

ONE_LAYER = '"layers":[{"weights":[[1]],"bias":null,"activation":"identity"}]'
BODIES = {
    "not JSON": b"{nope",
    "deep arrays": b"[" * 30_000 + b"]" * 30_000,
    "deep objects": b'{"x":' * 10_000 + b"1" + b"}" * 10_000,
    "NaN": ('{"x":[NaN],"t":[1],' + ONE_LAYER + "}").encode(),
    "1e999": ('{"x":[1e999],"t":[1],' + ONE_LAYER + "}").encode(),
    "a 5000-digit number": ('{"x":[1' + "0" * 5000 + '],"t":[1],' + ONE_LAYER + "}").encode(),
    "huge steps": ('{"x":[1],"t":[1],"steps":1' + "0" * 30 + "," + ONE_LAYER + "}").encode(),
    "UTF-16": '{"x":[1],"t":[1]}'.encode("utf-16"),
    "invalid UTF-8": b'{"x":"\xff"}',
    "empty": b"",
    "null": b"null",
    "a list": b"[1, 2, 3]",
    "a string": b'"x"',
}


@pytest.mark.parametrize("name", BODIES)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain", None])
def test_malformed_bodies_are_a_4xx_problem(
    client: TestClient, name: str, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/v1/backprop", content=BODIES[name], headers=headers)
    assert response.status_code in (400, 422), (name, response.status_code)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code


# ── The backprop work limit ────────────────────────────────────────────────────────────────
# What one request may cost is bounded by counts, not by a clock: the validator allows at most
# MAX_LAYER_STEPS layer-steps (steps × layers) and widths up to MAX_NEURONS, and the engine does
# no more work than the request asks for. bench/bench_limits.py times the most expensive
# requests; no test here depends on how fast the machine is.

# One pass through one layer multiplies [W | b] (n_out × (n_in + 1)) by [a; 1].
MOST_MULTIPLY_ADDS_PER_LAYER_PASS = MAX_NEURONS * (MAX_NEURONS + 1)
# The gradient check runs two forward passes per parameter: at most this many.
MOST_PARAMETERS = MAX_LAYERS * MOST_MULTIPLY_ADDS_PER_LAYER_PASS
# Every layer pass of the largest request: the training steps (steps × layers ≤ MAX_LAYER_STEPS),
# the loss before the first step, and the gradient check, for every layer.
MOST_LAYER_PASSES = MAX_LAYER_STEPS + MAX_LAYERS * (1 + 2 * MOST_PARAMETERS)
MOST_MULTIPLY_ADDS = MOST_LAYER_PASSES * MOST_MULTIPLY_ADDS_PER_LAYER_PASS


def sigmoid_layers(layers: int, neurons: int) -> list[dict[str, Any]]:
    weights = [[0.01 * ((i + j) % 7 - 3) for j in range(neurons)] for i in range(neurons)]
    return [
        {"weights": weights, "bias": [0.0] * neurons, "activation": "sigmoid"}
        for _ in range(layers)
    ]


def network(layers: int, neurons: int, steps: int) -> dict[str, object]:
    return {
        "x": [0.5] * neurons,
        "t": [0.5] * neurons,
        "layers": sigmoid_layers(layers, neurons),
        "loss": "bce",
        "learning_rate": 0.01,
        "steps": steps,
    }


def most_steps(layers: int) -> int:
    return min(MAX_STEPS, MAX_LAYER_STEPS // layers)


def validated(layers: int, neurons: int, steps: int) -> TrainingSetup:
    """validate() on the request network() builds, as POST /api/v1/backprop hands it over."""
    return validate(
        x=[0.5] * neurons,
        t=[0.5] * neurons,
        layers=[LayerSpec(**spec) for spec in sigmoid_layers(layers, neurons)],
        loss="bce",
        learning_rate=0.01,
        steps=steps,
        update_bias=True,
    )


@pytest.mark.parametrize("layers", range(1, MAX_LAYERS + 1))
@pytest.mark.parametrize("neurons", [1, 2, MAX_NEURONS])
def test_the_validator_allows_exactly_the_most_steps_for_each_depth(
    layers: int, neurons: int
) -> None:
    setup = validated(layers, neurons, most_steps(layers))
    assert setup.steps * len(setup.weights) <= MAX_LAYER_STEPS
    with pytest.raises(BackpropInputError) as refused:
        validated(layers, neurons, most_steps(layers) + 1)
    assert refused.value.field == "steps"
    assert refused.value.code == ("work" if most_steps(layers) < MAX_STEPS else "range")


@pytest.mark.parametrize("layers", range(1, MAX_LAYERS + 1))
def test_the_largest_request_asks_for_bounded_work(layers: int) -> None:
    """Computed from the request: layer-steps, and multiply-adds of the training steps."""
    steps, specs = most_steps(layers), sigmoid_layers(layers, MAX_NEURONS)
    per_step = sum(len(s["weights"]) * len(s["weights"][0]) for s in specs)  # Σ n_out·n_in
    assert steps * len(specs) <= MAX_LAYER_STEPS
    assert steps * per_step <= MAX_LAYER_STEPS * MAX_NEURONS**2


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts what the engine does while a request runs: passes and multiply-adds."""
    counts: Counter[str] = Counter()
    forward, backward, update = Network.forward, Network.backward, Network.update

    def counted_forward(net: Network) -> float:
        counts["forward"] += 1
        counts["layer passes"] += len(net.layers)
        counts["multiply-adds"] += sum(layer.p.size for layer in net.layers)
        return forward(net)

    def counted_backward(net: Network) -> None:
        counts["backward"] += 1
        backward(net)

    def counted_update(net: Network) -> None:
        counts["update"] += 1
        update(net)

    monkeypatch.setattr(Network, "forward", counted_forward)
    monkeypatch.setattr(Network, "backward", counted_backward)
    monkeypatch.setattr(Network, "update", counted_update)
    return counts


def assert_bounded(work: Counter[str], steps: int) -> None:
    assert work["backward"] == work["update"] == steps, work
    assert steps + 1 <= work["forward"] <= steps + 1 + 2 * MOST_PARAMETERS, work
    assert work["layer passes"] <= MOST_LAYER_PASSES, work
    assert work["multiply-adds"] <= MOST_MULTIPLY_ADDS, work


@pytest.mark.parametrize("layers", range(1, MAX_LAYERS + 1))
def test_the_largest_post_succeeds_within_the_work_bound(
    client: TestClient, work: Counter[str], layers: int
) -> None:
    steps = most_steps(layers)
    response = client.post("/api/v1/backprop", json=network(layers, MAX_NEURONS, steps))
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["history"]) == steps + 1
    assert_bounded(work, steps)


def test_the_largest_get_succeeds_within_the_work_bound(
    client: TestClient, work: Counter[str]
) -> None:
    # x=0.25 makes the URL new to the response cache, so the engine runs and is counted
    url = f"/api/v1/backprop?steps={MAX_STEPS}&output=sigmoid&loss=bce&t=0.5&x=0.25"
    response = client.get(url)
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["history"]) == MAX_STEPS + 1
    assert_bounded(work, MAX_STEPS)
    work.clear()
    page = client.get(f"/demo/backprop?steps={MAX_STEPS}&x=0.25")
    assert page.status_code == 200
    assert_bounded(work, MAX_STEPS)


def test_the_get_refuses_one_step_more(client: TestClient, work: Counter[str]) -> None:
    response = client.get(f"/api/v1/backprop?steps={MAX_STEPS + 1}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["query.steps"]
    assert not work  # refused before the engine ran


def test_the_demo_page_refuses_one_step_more(client: TestClient, work: Counter[str]) -> None:
    response = client.get(f"/demo/backprop?steps={MAX_STEPS + 1}")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    field = re.search(r"<input [^>]*\bid=\"f-steps\"[^>]*>", response.text)
    assert field and 'aria-invalid="true"' in field.group(0)
    message = re.search(r"<p [^>]*\bid=\"e-steps\"([^>]*)>([^<]*)</p>", response.text)
    assert message and "hidden" not in message.group(1)
    assert str(MAX_STEPS) in message.group(2)
    assert work["update"] <= 1  # no training: at most the default one-step example it shows


@pytest.mark.parametrize("layers", range(1, MAX_LAYERS + 1))
def test_the_work_limit_allows_the_most_steps_and_refuses_one_more(
    client: TestClient, layers: int
) -> None:
    allowed = client.post("/api/v1/backprop", json=network(layers, 2, most_steps(layers)))
    assert allowed.status_code == 200
    assert len(allowed.json()["history"]) == most_steps(layers) + 1
    refused = client.post("/api/v1/backprop", json=network(layers, 2, most_steps(layers) + 1))
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["field"] == "body.steps"
    if most_steps(layers) < MAX_STEPS:
        assert error["type"] == "work"
        assert error["message"] == (
            f"must be at most {most_steps(layers):,} for {layers} layers: the work limit is"
            f" steps × layers ≤ {MAX_LAYER_STEPS:,} per request"
        )
