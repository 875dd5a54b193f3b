"""A bounded soak: mixed page, search, API and backprop traffic for a few minutes.

    .venv/bin/python bench/soak.py [--minutes 3] [--threads 8]

Starts the app under uvicorn (one worker) on a free loopback port, warms it up, then sends a
fixed mix of requests from several threads until the time is up. Prints the error count,
p50/p99 latency per kind of request, and the server's resident memory after warm-up and at
the end (target: growth ≤ 10%).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from serve import serve

from app.web.backprop_schemas import MAZUR_EXAMPLE

WORDS = [
    "こうばい",
    "勾配",
    "gradient",
    "henbibun",
    "ＲＭＳＰＲＯＰ",
    "ﾓｰﾒﾝﾀﾑ",
    "爆発",
    "momentun",
    "誤差",
    "でんぱ",
    "relu",
    "sig",
    "ten",
    "テイラー",
    "分散",
    "xyz",
    '"AND" OR *',
    "%_\\",
]
POST_BODY = {**MAZUR_EXAMPLE, "steps": 100}  # the API's own example, trained longer


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def request(client: httpx.Client, rng: random.Random, ids: list[str]) -> tuple[str, httpx.Response]:
    roll = rng.random()
    if roll < 0.35:
        lang = rng.choice(["", "/en"])
        return "page", client.get(f"{lang}/terms/{rng.choice(ids)}")
    if roll < 0.45:
        return "page", client.get(rng.choice(["/", "/en/", "/tags/optimization"]))
    if roll < 0.65:
        word = rng.choice(WORDS) + rng.choice(["", "", str(rng.randrange(1000))])
        return "search", client.get(
            rng.choice(["/api/v1/search", "/search", "/api/v1/suggest"]), params={"q": word}
        )
    if roll < 0.85:
        return "api", client.get(f"/api/v1/terms/{rng.choice(ids)}")
    if roll < 0.95:
        params = {"x": round(rng.uniform(-2, 2), 3), "w1": round(rng.uniform(-1, 1), 3)}
        return "backprop", client.get("/api/v1/backprop", params=params)
    return "backprop", client.post("/api/v1/backprop", json=POST_BODY)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=20.0, help="seconds")
    args = parser.parse_args()
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []
    lock = threading.Lock()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GLOSSARY_DB": str(Path(tmp) / "soak.sqlite"), "GLOSSARY_RELOAD_INTERVAL": "1"}
        with serve("app.main:app", env=env) as (base, pid):
            ids = [t["id"] for t in httpx.get(base + "/api/v1/terms?limit=200").json()["data"]]

            def run(until: float, seed: int, record: bool) -> None:
                rng = random.Random(seed)
                with httpx.Client(base_url=base, timeout=30) as client:
                    while time.monotonic() < until:
                        start = time.perf_counter()
                        kind, response = request(client, rng, ids)
                        elapsed = (time.perf_counter() - start) * 1000
                        if not record:
                            continue
                        with lock:
                            latencies.setdefault(kind, []).append(elapsed)
                            if response.status_code >= 500 or response.status_code in (404, 405):
                                errors.append(f"{response.request.url}: {response.status_code}")

            def phase(seconds: float, record: bool) -> None:
                until = time.monotonic() + seconds
                threads = [
                    threading.Thread(target=run, args=(until, n, record))
                    for n in range(args.threads)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()

            phase(args.warmup, record=False)
            before = rss_kib(pid)
            phase(args.minutes * 60, record=True)
            after = rss_kib(pid)
    total = sum(len(v) for v in latencies.values())
    print(f"{args.minutes:g} min, {args.threads} threads, {total:,} requests, {len(errors)} errors")
    print()
    print("| kind | requests | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for kind, values in sorted(latencies.items()):
        cuts = statistics.quantiles(values, n=100)
        print(f"| {kind} | {len(values):,} | {cuts[49]:.1f} | {cuts[98]:.1f} |")
    growth = (after - before) / before * 100
    print()
    print(
        f"server memory: {before / 1024:.1f} MiB after warm-up → {after / 1024:.1f} MiB at the "
        f"end ({growth:+.1f}%, target ≤ +10%)"
    )
    for error in errors[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
