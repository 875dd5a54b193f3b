"""Expensive computations are bounded per process (app/web/compute.py): past the slots a
backprop request is refused with 503, Retry-After and problem+json, cheap requests are never
refused, and /healthz answers while every slot and every worker thread is busy.

The slots are held by the test itself, through the app's own ComputeSlots, so whether a request
finds them busy never depends on timing."""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

import anyio.to_thread
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.backprop.contract import MAX_LAYER_STEPS, MAX_LAYERS, MAX_NEURONS, MAX_STEPS
from app.main import create_app
from app.settings import Settings
from app.web.backprop_schemas import MAZUR_EXAMPLE
from app.web.compute import (
    INLINE_PASSES,
    INLINE_STEPS,
    QUEUE_PER_SLOT,
    ComputeSlots,
    compute_slots,
)
from app.web.routes import meta
from tests.conftest import GLOSSARY

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}
BACKPROP = "/api/v1/backprop"
SERIAL = count(1)


def most_work() -> dict[str, object]:
    """The most expensive POST the work limit allows: 4 layers × 16 neurons, 6,000 steps."""
    n = MAX_NEURONS
    weights = [[0.01 * ((i + j) % 7 - 3) for j in range(n)] for i in range(n)]
    return {
        "x": [0.5] * n,
        "t": [0.5] * n,
        "layers": [{"weights": weights, "bias": [0.0] * n, "activation": "sigmoid"}] * MAX_LAYERS,
        "loss": "bce",
        "learning_rate": 0.01,
        "steps": MAX_LAYER_STEPS // MAX_LAYERS,
    }


def article(steps: int) -> str:
    """The article GET with an x no earlier request had, so the response cache cannot answer."""
    return f"{BACKPROP}?steps={steps}&x={0.5 + next(SERIAL) * 1e-6!r}"


def assert_busy(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text[:300]
    assert response.headers["retry-after"] == "1"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == 503 and body["title"] == "Service Unavailable"
    assert body["errors"] == []
    assert "busy" in body["detail"] and "try again" in body["detail"]


@contextmanager
def holding(slots: ComputeSlots, n: int | None = None) -> Iterator[None]:
    """Take n of the slots (all of them by default) for the duration."""
    n = slots.slots if n is None else n
    taken = 0
    try:
        for _ in range(n):
            assert slots.acquire()
            taken += 1
        yield
    finally:
        for _ in range(taken):
            slots.release()


@contextmanager
def default_threadpool_full(client: TestClient) -> Iterator[None]:
    """Every token of the app's default thread limiter, the one FastAPI runs sync handlers and
    sync dependencies with, taken for the duration: nothing that needs that pool can run."""
    assert client.portal is not None
    borrowers: list[object] = []

    def take() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        while limiter.available_tokens:
            borrowers.append(object())
            limiter.acquire_on_behalf_of_nowait(borrowers[-1])

    def give_back() -> None:
        limiter = anyio.to_thread.current_default_thread_limiter()
        for borrower in borrowers:
            limiter.release_on_behalf_of(borrower)

    client.portal.call(take)
    try:
        assert borrowers
        yield
    finally:
        client.portal.call(give_back)


def answered(send: Callable[[], httpx.Response]) -> httpx.Response:
    """send() from another thread; a request that waited for a worker thread would never end
    while the pool is full, so it fails here instead of hanging the suite."""
    return in_thread(send)()


# ── Refused past the slots ─────────────────────────────────────────────────────────────────


def test_the_default_is_one_slot_per_process_and_a_short_line(app: FastAPI) -> None:
    slots = compute_slots(app)
    assert (slots.slots, slots.wait, slots.queue) == (1, 0.5, QUEUE_PER_SLOT)
    assert (Settings().compute_slots, Settings().compute_wait) == (1, 0.5)


def test_a_computation_past_the_slots_is_refused_with_retry_after(
    app: FastAPI, client: TestClient
) -> None:
    slots = compute_slots(app)
    with holding(slots):
        # each waits its 0.5 s in line, in vain, and leaves the line
        assert_busy(client.post(BACKPROP, json=most_work()))
        assert_busy(client.get(article(MAX_STEPS)))
        assert (slots.busy, slots.waiting) == (slots.slots, 0)  # acquired nothing, left nothing
    assert slots.busy == 0
    response = client.post(BACKPROP, json=most_work())
    assert response.status_code == 200
    assert len(response.json()["history"]) == MAX_LAYER_STEPS // MAX_LAYERS + 1
    assert client.get(article(MAX_STEPS)).status_code == 200
    assert slots.busy == 0  # each computation gave its slot back


def test_a_refused_get_is_not_cached(app: FastAPI, client: TestClient) -> None:
    url = article(MAX_STEPS)
    with holding(compute_slots(app)):
        assert_busy(client.get(url))
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_n_slots_run_n_computations_and_refuse_the_next(settings: Settings) -> None:
    """With GLOSSARY_COMPUTE_WAIT=0 there is no line: the n+1th is refused at once."""
    two = Settings(
        data=GLOSSARY, db=settings.db, base_url="http://testserver", compute_slots=2,
        compute_wait=0, reload_interval=0,
    )  # fmt: skip
    app = create_app(two)
    slots = compute_slots(app)
    assert (slots.slots, slots.queue) == (2, 0)
    with TestClient(app) as client:
        with holding(slots, 1):
            assert client.post(BACKPROP, json=most_work()).status_code == 200
        with holding(slots, 2):
            assert_busy(client.post(BACKPROP, json=most_work()))


def test_compute_slots_must_be_at_least_one() -> None:
    with pytest.raises(ValueError, match="compute_slots"):
        Settings(compute_slots=0)
    with pytest.raises(ValueError, match="compute_wait"):
        Settings(compute_wait=-1)


# ── The line ───────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def patient(settings: Settings) -> Iterator[tuple[TestClient, ComputeSlots]]:
    """An app whose requests may wait 30 s for a slot: long enough that the test, not the
    clock, decides when a slot comes free."""
    patient = Settings(
        data=GLOSSARY, db=settings.db, base_url="http://testserver", compute_wait=30,
        reload_interval=0,
    )  # fmt: skip
    app = create_app(patient)
    with TestClient(app) as client:
        yield client, compute_slots(app)


def until(condition: Callable[[], bool]) -> None:
    """Wait for the server's state to change (a guard against hanging, not a measurement)."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the state never changed"
        time.sleep(0.01)


def in_thread(send: Callable[[], httpx.Response]) -> Callable[[], httpx.Response]:
    """Start send() in a thread; the returned function joins it and gives its response."""
    result: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: result.append(send()), daemon=True)
    thread.start()

    def join() -> httpx.Response:
        thread.join(timeout=120)  # a guard against hanging, not a measurement
        assert result, "no answer"
        return result[0]

    return join


def test_a_request_in_line_gets_the_slot_when_it_frees(
    patient: tuple[TestClient, ComputeSlots],
) -> None:
    client, slots = patient
    with holding(slots):
        waiting = in_thread(lambda: client.post(BACKPROP, json=most_work()))
        until(lambda: slots.waiting == 1)
    assert waiting().status_code == 200
    assert (slots.busy, slots.waiting) == (0, 0)


def test_the_line_is_short_and_served_in_turn(patient: tuple[TestClient, ComputeSlots]) -> None:
    client, slots = patient
    assert slots.queue == QUEUE_PER_SLOT
    with holding(slots):
        line = []
        for _ in range(slots.queue):
            line.append(in_thread(lambda: client.post(BACKPROP, json=most_work())))
            until(lambda: slots.waiting == len(line))
        assert_busy(client.post(BACKPROP, json=most_work()))  # the line is full: at once
        assert slots.waiting == slots.queue
    assert [join().status_code for join in line] == [200] * slots.queue
    assert (slots.busy, slots.waiting) == (0, 0)


def test_a_cancelled_request_leaves_the_line_or_passes_its_slot_on() -> None:
    """A request cancelled (its client gone) while in line takes nothing with it; one cancelled
    just as a slot was handed to it gives that slot to the next in line, or frees it."""

    async def scenario() -> None:
        slots = ComputeSlots(1, wait=30)
        assert slots.acquire()
        in_line = asyncio.create_task(slots.acquire_or_wait())
        while slots.waiting == 0:
            await asyncio.sleep(0)
        in_line.cancel()
        with pytest.raises(asyncio.CancelledError):
            await in_line
        assert (slots.busy, slots.waiting) == (1, 0)

        handed = asyncio.create_task(slots.acquire_or_wait())
        behind = asyncio.create_task(slots.acquire_or_wait())
        while slots.waiting < 2:
            await asyncio.sleep(0)
        slots.release()  # to `handed`, which is cancelled before it can run
        handed.cancel()
        try:
            got_it = await handed  # asyncio.wait_for may deliver the slot despite the cancel
        except asyncio.CancelledError:
            got_it = False
        if got_it:
            slots.release()
        assert await behind is True  # the slot reached the next in line
        assert (slots.busy, slots.waiting) == (1, 0)
        slots.release()
        assert slots.busy == 0

    # A loop of its own, in a thread: another test's (a browser's) loop may be running here.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()


# ── Cheap requests ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("method", "target", "body"),
    [
        ("GET", BACKPROP, None),  # the article's defaults
        ("GET", "article", None),  # the most steps that run on the event loop
        ("POST", BACKPROP, MAZUR_EXAMPLE),
        ("POST", BACKPROP, {**MAZUR_EXAMPLE, "steps": 50}),
    ],
    ids=["article-default", "article-inline-steps", "mazur", "mazur-50-steps"],
)
def test_cheap_requests_are_never_refused(
    app: FastAPI, client: TestClient, method: str, target: str, body: dict[str, Any] | None
) -> None:
    url = article(INLINE_STEPS) if target == "article" else target
    with holding(compute_slots(app)):
        response = client.request(method, url, json=body)
    assert response.status_code == 200, response.text[:300]


def test_one_step_past_the_inline_work_needs_a_slot(app: FastAPI, client: TestClient) -> None:
    assert INLINE_PASSES == 1 + 2 * 3 + 2 * INLINE_STEPS  # the article's 3 parameters
    with holding(compute_slots(app)):
        assert_busy(client.get(article(INLINE_STEPS + 1)))
        # one step of the widest network: the gradient check alone is 2 passes per parameter
        assert_busy(client.post(BACKPROP, json={**most_work(), "steps": 1}))


# ── Health, and the shared threadpool ──────────────────────────────────────────────────────


def test_health_needs_no_thread_and_no_slot(app: FastAPI, client: TestClient) -> None:
    with holding(compute_slots(app)), default_threadpool_full(client):
        response = answered(lambda: client.get("/healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["terms"] > 0
    assert response.headers["cache-control"] == "no-store"


def test_health_resolves_nothing_in_a_thread() -> None:
    """FastAPI runs a sync endpoint or sync dependency in the threadpool; /healthz has none."""
    route = next(r for r in meta.router.routes if isinstance(r, APIRoute) and r.path == "/healthz")
    pending, calls = [route.dependant], []
    while pending:
        node = pending.pop()
        calls.append(node.call)
        pending.extend(node.dependencies)
    assert calls and all(inspect.iscoroutinefunction(call) for call in calls), calls


def test_computations_do_not_need_the_shared_threadpool(client: TestClient) -> None:
    with default_threadpool_full(client):
        response = answered(lambda: client.post(BACKPROP, json=most_work()))
    assert response.status_code == 200


# ── The description, and a real server ────────────────────────────────────────────────────


def test_openapi_lists_503_for_the_backprop_routes(client: TestClient) -> None:
    operations = client.get("/openapi.json").json()["paths"][BACKPROP]
    for method in ("get", "post"):
        busy = operations[method]["responses"]["503"]
        assert "application/problem+json" in busy["content"], method


@pytest.fixture
def real_server(settings: Settings) -> Iterator[tuple[str, ComputeSlots]]:
    """The app under uvicorn on a free loopback port, in this process so its slots are at hand."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    base = f"http://127.0.0.1:{port}"
    app = create_app(Settings(data=GLOSSARY, db=settings.db, base_url=base, reload_interval=0))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30  # a guard against hanging, not a measurement
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield base, compute_slots(app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_a_real_server_refuses_past_its_slots(real_server: tuple[str, ComputeSlots]) -> None:
    base, slots = real_server
    with httpx.Client(base_url=base, timeout=60) as http, holding(slots):
        assert_busy(http.post(BACKPROP, json=most_work()))
        assert http.post(BACKPROP, json=MAZUR_EXAMPLE).status_code == 200
        assert http.get("/healthz").status_code == 200
    with httpx.Client(base_url=base, timeout=60) as http:
        assert http.post(BACKPROP, json=most_work()).status_code == 200
