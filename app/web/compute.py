"""Expensive computations, a few at a time per process, so that no client can take the CPU
from everyone else.

A backprop request's work is counted before it runs, in passes through the whole network
(`passes`): the loss before training, two forward passes per parameter for the gradient check,
and a forward and a backward pass per step. A request of at most INLINE_PASSES (the article's
example at 100 steps, about a millisecond or two of CPU) runs on the event loop at once: handing
so little work to a thread costs more than the work, and it is never refused. A larger one needs
one of the process's slots (`GLOSSARY_COMPUTE_SLOTS`, default 1) and runs in a thread of its own
pool, not in the threadpool that FastAPI's sync handlers and dependencies share. When every slot
is busy it is refused at once — there is no queue — with 503 and `Retry-After`: queued work
would only make every answer later, and a client that retries after a second finds a free slot
if anyone does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Annotated, Final, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Depends, HTTPException, Request
from starlette.applications import Starlette

from app.settings import Settings

T = TypeVar("T")

ARTICLE_PARAMETERS: Final = 3  # w1, b and w2
INLINE_STEPS: Final = 100


def passes(*, parameters: int, steps: int) -> int:
    """Forward and backward passes through the network that one training request runs."""
    return 1 + 2 * parameters + 2 * steps


def parameters(layers: Sequence[tuple[Sequence[Sequence[float]], Sequence[float] | None]]) -> int:
    """How many weights and biases (weights, bias) layers hold; widest row, if rows differ."""
    return sum(
        len(weights) * max((len(row) for row in weights), default=0) + len(bias or ())
        for weights, bias in layers
    )


INLINE_PASSES: Final = passes(parameters=ARTICLE_PARAMETERS, steps=INLINE_STEPS)  # 207
RETRY_AFTER: Final = 1  # seconds: the most expensive request allowed takes about 0.2 s of CPU
BUSY_DETAIL: Final = (
    "every computation slot of this server is busy with other requests;"
    f" try again in {RETRY_AFTER} s"
)


class ComputeSlots:
    """At most `slots` computations at a time in this process; the rest are refused."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self._busy = 0
        self._lock = threading.Lock()  # acquire() and release() may come from any thread
        self._threads = CapacityLimiter(slots)  # the slots' own worker threads

    @property
    def busy(self) -> int:
        return self._busy

    def acquire(self) -> bool:
        """Take a slot if one is free; never waits."""
        with self._lock:
            if self._busy >= self.slots:
                return False
            self._busy += 1
            return True

    def release(self) -> None:
        with self._lock:
            if self._busy <= 0:
                raise RuntimeError("release() without acquire()")
            self._busy -= 1

    async def run(self, work: Callable[[], T], *, cost: int) -> T:
        """work() on the event loop when cost ≤ INLINE_PASSES; else in a slot's thread, or
        a 503 problem with Retry-After when every slot is busy."""
        if cost <= INLINE_PASSES:
            return work()
        if not self.acquire():
            raise HTTPException(
                503,
                BUSY_DETAIL,
                headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"},
            )
        try:
            # Cancelling the request does not abandon the thread (abandon_on_cancel is off), so
            # the slot is released only when the computation has really finished.
            return await anyio.to_thread.run_sync(work, limiter=self._threads)
        finally:
            self.release()


_create = threading.Lock()


def compute_slots(app: Starlette) -> ComputeSlots:
    """The app's slots, made on first use from its settings (`GLOSSARY_COMPUTE_SLOTS`)."""
    state = app.state
    with _create:
        slots: ComputeSlots | None = getattr(state, "compute_slots", None)
        if slots is None:
            settings: Settings = state.settings
            slots = state.compute_slots = ComputeSlots(settings.compute_slots)
    return slots


async def get_compute(request: Request) -> ComputeSlots:
    """async, so that resolving it never takes a threadpool thread."""
    return compute_slots(request.app)


ComputeDep = Annotated[ComputeSlots, Depends(get_compute)]
