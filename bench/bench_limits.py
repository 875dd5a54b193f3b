"""CPU time of the most expensive backprop requests the work limit allows; a Markdown table.

    .venv/bin/python bench/bench_limits.py [--runs N]

The work limit (app/backprop/contract.py: MAX_STEPS, MAX_LAYERS, MAX_NEURONS, MAX_LAYER_STEPS)
is sized so that no request costs more than about 200 ms of CPU. tests/test_paths.py checks the
limit as counts (steps, layer passes, multiply-adds); this script times it. It builds the real
app (create_app, the bundled glossary, a temporary database) and sends each request in this
process through fastapi.testclient.TestClient, measuring the process CPU time of the whole
request (the app runs in another thread of this process), best of N runs. Each case is printed
next to its baseline, measured in the same run: the same request with the default one step.
Every GET has a new x on every run, so the response cache never answers it.

The table starts with the date and the machine, and each run is also appended as one JSON line
to bench/results/limits.jsonl. A benchmark reports; it does not fail.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from app.backprop.contract import (  # noqa: E402
    MAX_LAYER_STEPS,
    MAX_LAYERS,
    MAX_NEURONS,
    MAX_STEPS,
)
from app.main import create_app  # noqa: E402
from app.settings import Settings  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "limits.jsonl"
TARGET_MS = 200.0  # "about 200 ms of CPU" per request, the work limit's purpose


def most_steps(layers: int) -> int:
    return min(MAX_STEPS, MAX_LAYER_STEPS // layers)


def network(layers: int, steps: int) -> dict[str, object]:
    """The widest network of `layers` sigmoid layers (MAX_NEURONS each), bce loss."""
    n = MAX_NEURONS
    weights = [[0.01 * ((i + j) % 7 - 3) for j in range(n)] for i in range(n)]
    return {
        "x": [0.5] * n,
        "t": [0.5] * n,
        "layers": [
            {"weights": weights, "bias": [0.0] * n, "activation": "sigmoid"} for _ in range(layers)
        ],
        "loss": "bce",
        "learning_rate": 0.01,
        "steps": steps,
    }


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str  # "{x}" is replaced by a new number on every run
    body: dict[str, object] | None
    layer_steps: int  # steps × layers


def cases() -> Iterator[tuple[Case, Case]]:
    """(the most expensive allowed request, the same request with one step)."""
    for layers in (2, 3, MAX_LAYERS):
        steps = most_steps(layers)
        name = f"POST /api/v1/backprop, {layers} × {MAX_NEURONS} neurons"
        yield (
            Case(f"{name}, {steps:,} steps", "POST", "/api/v1/backprop", network(layers, steps),
                 steps * layers),
            Case(f"{name}, 1 step", "POST", "/api/v1/backprop", network(layers, 1), layers),
        )  # fmt: skip
    api = "/api/v1/backprop?output=sigmoid&loss=bce&t=0.5&x={x}"
    yield (
        Case(f"GET /api/v1/backprop?steps={MAX_STEPS:,}&output=sigmoid&loss=bce&t=0.5", "GET",
             api + f"&steps={MAX_STEPS}", None, MAX_STEPS * 2),
        Case("GET /api/v1/backprop?output=sigmoid&loss=bce&t=0.5 (1 step)", "GET", api, None, 2),
    )  # fmt: skip
    yield (
        Case(f"GET /demo/backprop?steps={MAX_STEPS:,}", "GET",
             f"/demo/backprop?steps={MAX_STEPS}&x={{x}}", None, MAX_STEPS * 2),
        Case("GET /demo/backprop (1 step)", "GET", "/demo/backprop?x={x}", None, 2),
    )  # fmt: skip


@dataclass
class Timing:
    cpu_ms: float  # the least process CPU time of the runs
    wall_ms: float  # the least wall time of the runs


class Runner:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.serial = 0

    def once(self, case: Case) -> tuple[float, float]:
        """Process CPU and wall seconds of one request, with an x no earlier request had."""
        self.serial += 1
        url = case.url.format(x=repr(0.5 + self.serial * 1e-9))
        cpu, wall = time.process_time(), time.perf_counter()
        response = self.client.request(case.method, url, json=case.body)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if response.status_code != 200:
            raise SystemExit(f"{case.name}: {response.status_code} {response.text[:300]}")
        return cpu, wall

    def pair(self, case: Case, baseline: Case, runs: int) -> tuple[Timing, Timing]:
        """Best of `runs` for both, alternating them so that drift hits both alike."""
        self.once(case)  # warm up
        self.once(baseline)
        timed: list[tuple[float, float]] = []
        base: list[tuple[float, float]] = []
        for _ in range(runs):
            base.append(self.once(baseline))
            timed.append(self.once(case))
        return best(timed), best(base)


def best(samples: list[tuple[float, float]]) -> Timing:
    return Timing(min(cpu for cpu, _ in samples) * 1000, min(wall for _, wall in samples) * 1000)


def machine() -> dict[str, object]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "host": platform.node(),
        "cpu": model,
        "cpus": os.cpu_count(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "load_average": None if load is None else [round(value, 2) for value in load],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per request, best kept (5)")
    runs = parser.parse_args().runs

    rows: list[tuple[Case, Timing, Case, Timing]] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            db=Path(tmp) / "glossary.sqlite", base_url="http://testserver", reload_interval=0
        )
        with TestClient(create_app(settings)) as client:
            runner = Runner(client)
            for case, baseline in cases():
                timed, base = runner.pair(case, baseline, runs)
                rows.append((case, timed, baseline, base))

    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    about = machine()
    print(
        f"Backprop work limit, {when}; {about['host']}: {about['cpu']}, {about['cpus']} CPUs,"
        f" load {about['load_average']}; Python {about['python']}, NumPy {about['numpy']};"
        f" in-process TestClient, process CPU time, best of {runs} runs\n"
    )
    print("| request | steps × layers | CPU | wall | baseline: 1 step, CPU | × baseline | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for case, timed, _, base in rows:
        verdict = "✅ met" if timed.cpu_ms <= TARGET_MS else "❌ missed"
        print(
            f"| {case.name} | {case.layer_steps:,} | {timed.cpu_ms:.1f} ms"
            f" | {timed.wall_ms:.1f} ms | {base.cpu_ms:.1f} ms"
            f" | {timed.cpu_ms / max(base.cpu_ms, 1e-3):.0f}× | ≤ {TARGET_MS:.0f} ms {verdict} |"
        )

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "date": when,
        "machine": about,
        "runs": runs,
        "target_ms": TARGET_MS,
        "results": [
            {
                "request": case.name,
                "layer_steps": case.layer_steps,
                "cpu_ms": round(timed.cpu_ms, 2),
                "wall_ms": round(timed.wall_ms, 2),
                "baseline": baseline.name,
                "baseline_cpu_ms": round(base.cpu_ms, 2),
                "baseline_wall_ms": round(base.wall_ms, 2),
            }
            for case, timed, baseline, base in rows
        ],
    }
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"\nappended to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
