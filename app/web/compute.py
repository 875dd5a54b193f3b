"""Expensive computations, a few at a time per process, so that no client can take the CPU
from everyone else.

A backprop request's work is counted before it runs, in passes through the whole network
(`passes`): the loss before training, two forward passes per parameter for the gradient check,
and a forward and a backward pass per step. A request of at most INLINE_PASSES (the article's
example at 100 steps, about a millisecond or two of CPU) runs on the event loop at once: handing
so little work to a thread costs more than the work, and it is never refused. A larger one needs
one of the process's slots (`GLOSSARY_COMPUTE_SLOTS`, default 1) and runs in a thread of its own
pool, not in the threadpool that FastAPI's sync handlers and dependencies share.

When every slot is busy a request waits in line, first come first served, at most
`GLOSSARY_COMPUTE_WAIT` seconds (default 0.5: about two of the largest computations), and no
more than QUEUE_PER_SLOT requests per slot wait at once. One that finds the line full, or whose
wait runs out, is refused with 503 and `Retry-After`. The short wait absorbs two small
computations that happen to overlap; it never grows into a backlog, because the CPU is what is
short, and a queue would only make every answer later.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
QUEUE_PER_SLOT: Final = 4  # requests that may wait for a slot, per slot
RETRY_AFTER: Final = 1  # seconds: the most expensive request allowed takes about 0.2 s of CPU
BUSY_DETAIL: Final = (
    "every computation slot of this server is busy with other requests;"
    f" try again in {RETRY_AFTER} s"
)


@dataclass(eq=False)
class _Waiter:
    """A request waiting in line; release() hands it a slot through `granted`."""

    loop: asyncio.AbstractEventLoop
    granted: asyncio.Future[None]


def _grant(granted: asyncio.Future[None]) -> None:
    if not granted.done():
        granted.set_result(None)


class ComputeSlots:
    """At most `slots` computations at a time in this process, and at most `queue` requests
    waiting up to `wait` seconds each for one of them; the rest are refused."""

    def __init__(self, slots: int, *, wait: float = 0.0) -> None:
        self.slots = slots
        self.wait = wait
        self.queue = QUEUE_PER_SLOT * slots if wait > 0 else 0
        self._busy = 0
        self._waiters: deque[_Waiter] = deque()
        self._lock = threading.Lock()  # acquire() and release() may come from any thread
        self._threads = CapacityLimiter(slots)  # the slots' own worker threads

    @property
    def busy(self) -> int:
        """Slots taken."""
        return self._busy

    @property
    def waiting(self) -> int:
        """Requests in line for a slot."""
        return len(self._waiters)

    def acquire(self) -> bool:
        """Take a slot if one is free; never waits."""
        with self._lock:
            return self._take()

    def _take(self) -> bool:
        if self._busy >= self.slots:
            return False
        self._busy += 1
        return True

    def release(self) -> None:
        """Give a slot back: to the request that has waited longest, else free it."""
        with self._lock:
            if self._busy <= 0:
                raise RuntimeError("release() without acquire()")
            while self._waiters:
                waiter = self._waiters.popleft()
                try:
                    waiter.loop.call_soon_threadsafe(_grant, waiter.granted)
                except RuntimeError:  # its event loop has closed: nobody is waiting there
                    continue
                return  # the slot passes on, still taken
            self._busy -= 1

    async def acquire_or_wait(self) -> bool:
        """Take a slot, waiting in line up to `wait` seconds for one; False if none came."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._take():
                return True
            if len(self._waiters) >= self.queue:
                return False
            waiter = _Waiter(loop, loop.create_future())
            self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.granted), self.wait)
        except TimeoutError:
            with self._lock:
                if waiter in self._waiters:  # still in line: no slot came in time
                    self._waiters.remove(waiter)
                    return False
            await waiter.granted  # release() handed it a slot just as the wait ran out
        except asyncio.CancelledError:
            with self._lock:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                    raise
            self.release()  # it had been handed a slot: pass that on
            raise
        return True

    async def run(self, work: Callable[[], T], *, cost: int) -> T:
        """work() on the event loop when cost ≤ INLINE_PASSES; else in a slot's thread, once
        one is free, or a 503 problem with Retry-After when none is free in time."""
        if cost <= INLINE_PASSES:
            return work()
        if not await self.acquire_or_wait():
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
    """The app's slots, made on first use from its settings (`GLOSSARY_COMPUTE_SLOTS`,
    `GLOSSARY_COMPUTE_WAIT`)."""
    state = app.state
    with _create:
        slots: ComputeSlots | None = getattr(state, "compute_slots", None)
        if slots is None:
            settings: Settings = state.settings
            slots = ComputeSlots(settings.compute_slots, wait=settings.compute_wait)
            state.compute_slots = slots
    return slots


async def get_compute(request: Request) -> ComputeSlots:
    """async, so that resolving it never takes a threadpool thread."""
    return compute_slots(request.app)


ComputeDep = Annotated[ComputeSlots, Depends(get_compute)]
