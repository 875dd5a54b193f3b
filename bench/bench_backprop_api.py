"""Benchmark GET /api/v1/backprop against a bare route, and the engine; print a Markdown table.

    python bench/bench_backprop_api.py [--seconds S] [--concurrency N] [--rounds R]

In one run: this script starts the real app (create_app, the bundled glossary) under uvicorn on a
free loopback port in a child process (itself, with --serve), with one extra route, /bench/bare,
a bare `async def` FastAPI route that returns the default GET's exact bytes; so both run on the
same server with the same settings and middleware. This process then loads each URL in turn with
N threads, each with its own keep-alive httpx client (a bounded load: N requests in flight),
alternating the URLs for R rounds of S seconds so that drift hits both alike. It reports
requests/s, client-side p50/p99 latency, and the server's CPU time per request (from
/proc/<pid>/stat), which does not depend on how fast the client can send.

Targets: the default GET ≥ 0.5 × the bare route's requests/s; a 2-2-2 network
trained for 10,000 steps in ≤ 200 ms. Also measured: the GET with a different x on every request,
which can never be answered from a cache and so always runs the engine. A benchmark reports; it
does not fail.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

TARGET_RATIO = 0.5
TARGET_MS = 200.0
DEFAULT_GET = "/api/v1/backprop"
BARE = "/bench/bare"
BARE_HIT = "bare route, same bytes"
DEFAULT_HIT = "GET /api/v1/backprop (default)"
BARE_MISS = "bare route, new query each time"
DEFAULT_MISS = "GET /api/v1/backprop?x=…, new x each time"
BASELINES = {DEFAULT_HIT: BARE_HIT, DEFAULT_MISS: BARE_MISS, BARE_MISS: BARE_HIT}


def serve(port: int, db: Path) -> None:
    """The child process: the app plus the bare route, under uvicorn."""
    import uvicorn
    from fastapi.responses import JSONResponse, Response

    from app.backprop import article_example
    from app.main import create_app
    from app.settings import Settings

    app = create_app(Settings(db=db, base_url=f"http://127.0.0.1:{port}"))
    body = JSONResponse(article_example()).body  # what the route sends, byte for byte
    headers = {"Cache-Control": "public, max-age=3600"}

    @app.get(BARE, include_in_schema=False)
    async def bare() -> Response:
        return Response(body, media_type="application/json", headers=headers)

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far, or None off Linux."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    cpu: float | None = 0.0
    latencies: list[float] | None = None

    def add(self, requests: int, seconds: float, cpu: float | None, lat: list[float]) -> None:
        self.requests += requests
        self.seconds += seconds
        self.cpu = None if cpu is None or self.cpu is None else self.cpu + cpu
        self.latencies = (self.latencies or []) + lat

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies or [0.0])
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    @property
    def cpu_per_request_us(self) -> float | None:
        return None if self.cpu is None else self.cpu / self.requests * 1e6


def load(
    base: str, paths: Callable[[], Iterator[str]], seconds: float, concurrency: int, pid: int
) -> tuple[int, float, float | None, list[float]]:
    """N threads, one keep-alive client each, for `seconds`: requests, elapsed, CPU, latencies."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    failures: list[str] = []
    start = threading.Barrier(concurrency + 1, timeout=60)

    def worker(mine: list[float]) -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            client.get(next(paths()))  # connect before the clock starts
            start.wait()
            deadline = time.perf_counter() + seconds
            for path in paths():
                began = time.perf_counter()
                if began >= deadline:
                    return
                response = client.get(path)
                mine.append(time.perf_counter() - began)
                if response.status_code != 200:
                    failures.append(f"{path}: {response.status_code}")
                    return

    threads = [threading.Thread(target=worker, args=(mine,)) for mine in latencies]
    for thread in threads:
        thread.start()
    start.wait()
    cpu_before, began = cpu_seconds(pid), time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed, cpu_after = time.perf_counter() - began, cpu_seconds(pid)
    if failures:
        raise SystemExit(f"a request failed: {failures[0]}")
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    flat = [value for mine in latencies for value in mine]
    return len(flat), elapsed, cpu, flat


def repeat(path: str) -> Callable[[], Iterator[str]]:
    def paths() -> Iterator[str]:
        while True:
            yield path

    return paths


def varying(template: str) -> Callable[[], Iterator[str]]:
    """A new URL on every request (across all threads), so no cache can answer: {n} varies."""
    counter = iter(range(10**12))
    lock = threading.Lock()

    def paths() -> Iterator[str]:
        while True:
            with lock:
                n = next(counter)
            yield template.format(n=n, x=repr(1 + n * 1e-9))

    return paths


def engine_times(runs: int) -> list[float]:
    """Milliseconds for Mazur's 2-2-2 network, 10,000 steps, the whole train() call."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_backprop_engine import mazur_2_2_2, times_ms

    return times_ms(mazur_2_2_2, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="per URL per round (4)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (8)")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the URLs (3)")
    parser.add_argument("--runs", type=int, default=20, help="engine samples (20)")
    parser.add_argument("--serve", nargs=2, metavar=("PORT", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), Path(args.serve[1]))
        return

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "glossary.sqlite"
        command = [sys.executable, __file__, "--serve", str(port), str(db)]
        server = subprocess.Popen(command, cwd=ROOT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.1)
            same = httpx.get(base + DEFAULT_GET).content == httpx.get(base + BARE).content
            assert same, "the bare route must return the same bytes"
            cases = {
                BARE_HIT: repeat(BARE),
                DEFAULT_HIT: repeat(DEFAULT_GET),
                BARE_MISS: varying(BARE + "?n={n}"),
                DEFAULT_MISS: varying(DEFAULT_GET + "?x={x}"),
            }
            results = {name: Result() for name in cases}
            for paths in cases.values():  # warm up
                load(base, paths, 0.5, args.concurrency, server.pid)
            for _ in range(args.rounds):
                for name, paths in cases.items():
                    results[name].add(
                        *load(base, paths, args.seconds, args.concurrency, server.pid)
                    )
        finally:
            server.terminate()
            server.wait(timeout=10)
    engine = engine_times(args.runs)
    report(results, engine, args)


def report(results: dict[str, Result], engine: list[float], args: argparse.Namespace) -> None:
    import numpy as np

    ratio = results[DEFAULT_HIT].rate / results[BARE_HIT].rate
    print(
        f"Backprop API, Python {sys.version.split()[0]}, NumPy {np.__version__}, "
        f"{os.cpu_count()} CPUs; uvicorn, 1 process; {args.concurrency} requests in flight, "
        f"{args.rounds} × {args.seconds:g} s per URL\n"
    )
    print("| case | requests/s | p50 | p99 | server CPU / request | ratio | target |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, result in results.items():
        cpu = result.cpu_per_request_us
        ratio_text = target = ""
        if name in BASELINES:
            baseline = results[BASELINES[name]]
            ratio_text = f"{result.rate / baseline.rate:.2f}× the {BASELINES[name]}"
        if name == DEFAULT_HIT:
            verdict = "✅ met" if ratio >= TARGET_RATIO else "❌ missed"
            target = f"≥ {TARGET_RATIO}× {verdict}"
        print(
            f"| {name} | {result.rate:,.0f} | {result.percentile(0.5):.2f} ms"
            f" | {result.percentile(0.99):.2f} ms"
            f" | {'—' if cpu is None else f'{cpu:,.0f} µs'} | {ratio_text} | {target} |"
        )
    p95 = statistics.quantiles(engine, n=20, method="inclusive")[-1]
    verdict = "✅ met" if p95 <= TARGET_MS else "❌ missed"
    print(
        f"| engine: 2-2-2 × 10,000 steps, train() ({len(engine)} runs) | — "
        f"| {statistics.median(engine):.1f} ms | p95 {p95:.1f} ms | — | — "
        f"| ≤ {TARGET_MS:.0f} ms {verdict} |"
    )


if __name__ == "__main__":
    main()
