"""Term page throughput against a bare FastAPI route returning the same bytes, in one run.

    .venv/bin/python bench/bench_pages.py [--duration 10] [--connections 32]

Needs wrk (Debian's package). For 1 and 2 uvicorn workers, starts the app and a bare
FastAPI app whose only route returns the term page's exact bytes, under the same uvicorn
settings, and loads each with wrk. Prints requests/s, p50 and p99 and the ratio to the
bare route (target ≥ 0.8).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve import serve

PAGE = "/terms/backpropagation"


def wrk(url: str, *, duration: int, connections: int) -> dict[str, float]:
    """Requests/s and latency percentiles (ms) from one wrk run."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"errors under load:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)$", out, re.M).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rps": rps, "p50": percentile("50"), "p99": percentile("99")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.sqlite")
        for workers in (1, 2):
            env = {"GLOSSARY_DB": db, "GLOSSARY_RELOAD_INTERVAL": "0"}
            with serve("app.main:app", workers=workers, env=env) as (base, _):
                body = httpx.get(base + PAGE).content
                ours = wrk(base + PAGE, duration=args.duration, connections=args.connections)
            body_file = Path(tmp) / "page.html"
            body_file.write_bytes(body)
            bare_env = {"BARE_BODY_FILE": str(body_file)}
            with serve("bench.bare_app:app", workers=workers, env=bare_env, ready=PAGE) as (
                base,
                _,
            ):
                bare = wrk(base + PAGE, duration=args.duration, connections=args.connections)
            rows.append((workers, ours, bare, len(body)))
    print("| workers | route | requests/s | p50 ms | p99 ms | ratio to bare (target ≥ 0.8) |")
    print("|---:|---|---:|---:|---:|---:|")
    for workers, ours, bare, size in rows:
        print(
            f"| {workers} | bare FastAPI route, same {size:,} bytes | {bare['rps']:,.0f} | "
            f"{bare['p50']:.2f} | {bare['p99']:.2f} | 1.00 |"
        )
        print(
            f"| {workers} | `{PAGE}` | {ours['rps']:,.0f} | {ours['p50']:.2f} | "
            f"{ours['p99']:.2f} | {ours['rps'] / bare['rps']:.2f} |"
        )


if __name__ == "__main__":
    main()
