"""Time the backprop engine (app/backprop/) against its target and print a Markdown table.

    python bench/bench_backprop_engine.py [--runs N]

Target: a 2-2-2 network trained for 10,000 steps in ≤ 200 ms, the whole call included
(validation, gradient check, building the response). Also timed, for scale: the largest network
the API allows (4 layers of 16) for the most steps the work limit allows it, and
GET /api/v1/backprop's default article example per call. A benchmark is a script, not a test:
it reports and does not fail.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from app.backprop import MAX_NEURONS, MAX_STEPS, LayerSpec, article_example, train
from app.backprop.contract import MAX_LAYER_STEPS

TARGET_MS = 200.0


def mazur_2_2_2() -> None:
    """Matt Mazur's 2-2-2 sigmoid network, half squared error, η = 0.5, 10,000 steps."""
    train(
        x=[0.05, 0.10],
        t=[0.01, 0.99],
        layers=[
            LayerSpec([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], "sigmoid"),
            LayerSpec([[0.40, 0.45], [0.50, 0.55]], [0.60, 0.60], "sigmoid"),
        ],
        learning_rate=0.5,
        steps=MAX_STEPS,
    )


def largest_allowed() -> Callable[[], None]:
    """4 layers of 16 neurons (tanh, relu, sigmoid, sigmoid), bce, the most steps the work
    limit allows for 4 layers (steps × layers ≤ MAX_LAYER_STEPS)."""
    rng = np.random.default_rng(0)
    layers = [
        LayerSpec((rng.normal(size=(16, 16)) * 0.3).tolist(), [0.0] * MAX_NEURONS, activation)
        for activation in ("tanh", "relu", "sigmoid", "sigmoid")
    ]
    x, t = rng.random(16).tolist(), rng.random(16).tolist()

    def run() -> None:
        steps = min(MAX_STEPS, MAX_LAYER_STEPS // len(layers))
        train(x=x, t=t, layers=layers, loss="bce", learning_rate=0.1, steps=steps)

    return run


def times_ms(run: Callable[[], object], runs: int, per_call: int = 1) -> list[float]:
    """Milliseconds per call, `runs` samples of `per_call` calls each, after one warm-up."""
    run()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(per_call):
            run()
        samples.append((time.perf_counter() - start) * 1000 / per_call)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="samples per case (default 30)")
    runs = parser.parse_args().runs

    target = times_ms(mazur_2_2_2, runs)
    largest = times_ms(largest_allowed(), max(5, runs // 3))
    article = [ms * 1000 for ms in times_ms(article_example, runs, per_call=200)]

    verdict = "✅ met" if p95(target) <= TARGET_MS else "❌ missed"  # judged on p95
    print(f"Backprop engine, Python {sys.version.split()[0]}, NumPy {np.__version__}\n")
    print("| case | samples | median | p95 | target |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| 2-2-2 × 10,000 steps | {runs} | {statistics.median(target):.1f} ms"
        f" | {p95(target):.1f} ms | ≤ {TARGET_MS:.0f} ms {verdict} |"
    )
    print(
        f"| 4 × 16 neurons × 6,000 steps (largest allowed) | {len(largest)}"
        f" | {statistics.median(largest):.1f} ms | {p95(largest):.1f} ms | — |"
    )
    print(
        f"| article default example, per call | {runs} × 200"
        f" | {statistics.median(article):.0f} µs | {p95(article):.0f} µs | — |"
    )


if __name__ == "__main__":
    main()
