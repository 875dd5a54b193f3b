"""A cached page's latency while clients post the most expensive backprop bodies; a Markdown table.

    .venv/bin/python bench/bench_fairness.py [--seconds 10] [--page-clients 4] [--rate 50]
                                             [--compute-clients 8] [--slots N]

In one run: starts the real app under uvicorn with 2 workers, as in production (bench/serve.py:
httptools, uvloop, no access log), on a free loopback port. A few page clients, each with its
own keep-alive connection, ask for the cached term page at a steady pace (--rate requests/s
each) and time every answer; one more client asks /healthz ten times a second. Three phases of
--seconds each, in turn:

1. baseline: the page clients alone;
2. load, ignoring Retry-After: also --compute-clients clients, in a child process so that their
   work does not slow this one's clock, each posting the most expensive body the work limit
   allows (4 layers × 16 neurons × 6,000 steps) again as soon as it has an answer — also after
   a 503;
3. load, honouring Retry-After: the same clients, but after a 503 each waits as long as
   Retry-After says.

Reports p50/p99/max of the page and of /healthz in each phase, and for the compute clients how
many answers were 200 and how many 503 (after waiting in the server's short line, or at once when
the line was full); any other status or a connection error is a failure, listed. Also the
server's CPU time over each phase and the compute clients' own, in cores: they share the machine.
--slots 64 shows what the same load does without the limit. Target: the page's p99 under load
≤ 150 ms. The table starts with the date and the
machine, and each run is appended as one JSON line to bench/results/fairness.jsonl. A benchmark
reports; it does not fail.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from serve import serve

from app.settings import ROOT, Settings

RESULTS = ROOT / "bench" / "results" / "fairness.jsonl"
PAGE = "/terms/backpropagation"
HEALTH = "/healthz"
BACKPROP = "/api/v1/backprop"
TARGET_P99_MS = 150.0
HEALTH_RATE = 10.0  # /healthz requests per second
LAYERS, NEURONS, STEPS = 4, 16, 6_000  # the work limit: steps × layers ≤ 24,000


def most_work() -> dict[str, object]:
    """The most expensive body POST /api/v1/backprop accepts (bench/bench_limits.py's)."""
    weights = [[0.01 * ((i + j) % 7 - 3) for j in range(NEURONS)] for i in range(NEURONS)]
    layer = {"weights": weights, "bias": [0.0] * NEURONS, "activation": "sigmoid"}
    return {
        "x": [0.5] * NEURONS,
        "t": [0.5] * NEURONS,
        "layers": [layer] * LAYERS,
        "loss": "bce",
        "learning_rate": 0.01,
        "steps": STEPS,
    }


# ── The compute clients (a child process) ──────────────────────────────────────────────────


def compute_load(base: str, clients: int, seconds: float, polite: bool) -> None:
    """Post most_work() from `clients` threads for `seconds`; print the tally as JSON."""
    body = json.dumps(most_work()).encode()
    headers = {"content-type": "application/json"}
    tally: Counter[str] = Counter()
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < deadline:
                try:
                    response = http.post(BACKPROP, content=body, headers=headers)
                except httpx.TransportError as error:
                    with lock:
                        tally["connection error"] += 1
                        failures.append(f"POST {BACKPROP}: {type(error).__name__}: {error}")
                    continue
                status = response.status_code
                with lock:
                    tally[str(status)] += 1
                    if status == 503 and "retry-after" not in response.headers:
                        failures.append("a 503 without Retry-After")
                    elif status not in (200, 503):
                        failures.append(f"POST {BACKPROP}: {status} {response.text[:200]}")
                if status == 503 and polite:
                    time.sleep(float(response.headers.get("retry-after", "1")))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"tally": dict(tally), "failures": failures[:20], "cpu_s": round(cpu, 2)}))


# ── The page and health clients (this process) ─────────────────────────────────────────────


@dataclass
class Timings:
    """The latencies and failures of one kind of request in one phase."""

    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms) or [float("nan")]
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def summary(self) -> dict[str, object]:
        return {
            "requests": len(self.latencies_ms),
            "p50_ms": round(self.percentile(0.5), 2),
            "p99_ms": round(self.percentile(0.99), 2),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 2),
            "failures": self.failures[:20],
        }


@dataclass
class Load:
    """What the compute clients got: answers by status, failures, their own CPU in cores."""

    tally: dict[str, int]
    failures: list[str]
    client_cores: float

    def share_503(self) -> str:
        total = sum(self.tally.values())
        return f"{self.tally.get('503', 0) / total:.0%} of {total:,}" if total else "—"


@dataclass
class Phase:
    page: Timings
    health: Timings
    server_cores: float  # the server's CPU time over the phase, in cores
    load: Load | None = None

    @property
    def failures(self) -> list[str]:
        return self.page.failures + self.health.failures + (self.load.failures if self.load else [])

    def record(self) -> dict[str, object]:
        return {
            "page": self.page.summary(),
            "health": self.health.summary(),
            "server_cores": round(self.server_cores, 2),
            "compute": None if self.load is None else self.load.__dict__,
        }


def paced(base: str, path: str, rate: float, seconds: float, out: Timings) -> None:
    """GET path at `rate` requests/s on one keep-alive connection; time each answer. A late
    answer delays the next request, never adds a burst."""
    interval = 1.0 / rate
    with httpx.Client(base_url=base, timeout=30) as http:
        http.get(path)  # connect, and fill the response cache, before the clock starts
        start = time.perf_counter()
        deadline = start + seconds
        due = start
        while due < deadline:
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            began = time.perf_counter()
            try:
                response = http.get(path)
            except httpx.TransportError as error:
                out.failures.append(f"GET {path}: {type(error).__name__}: {error}")
            else:
                out.latencies_ms.append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    out.failures.append(f"GET {path}: {response.status_code}")
            due = max(due + interval, began)


def server_cpu(pid: int) -> float:
    """CPU seconds so far of the uvicorn supervisor `pid` and its workers (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # itself, or its child
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def measure(base: str, pid: int, args: argparse.Namespace) -> Phase:
    """The page clients and one /healthz client, all for args.seconds."""
    page, health = Timings(), Timings()
    threads = [
        threading.Thread(target=paced, args=(base, PAGE, args.rate, args.seconds, page))
        for _ in range(args.page_clients)
    ]
    threads.append(
        threading.Thread(target=paced, args=(base, HEALTH, HEALTH_RATE, args.seconds, health))
    )
    cpu, began = server_cpu(pid), time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cores = (server_cpu(pid) - cpu) / (time.perf_counter() - began)
    return Phase(page, health, cores)


def under_load(base: str, pid: int, args: argparse.Namespace, polite: bool) -> Phase:
    """measure() while the compute clients run in a child process (started a second before,
    stopped a second after)."""
    command = [sys.executable, __file__, "--load", base, "--compute-clients"]
    command += [str(args.compute_clients), "--seconds", str(args.seconds + 2)]
    command += ["--polite"] if polite else []
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(1)
        phase = measure(base, pid, args)
        out, _ = child.communicate(timeout=args.seconds + 60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    load = json.loads(out.strip().splitlines()[-1])
    phase.load = Load(load["tally"], load["failures"], load["cpu_s"] / (args.seconds + 2))
    return phase


# ── Report ─────────────────────────────────────────────────────────────────────────────────


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
        "load_average": None if load is None else [round(value, 2) for value in load],
    }


def report(phases: dict[str, Phase], args: argparse.Namespace, slots: int) -> None:
    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    about = machine()
    print(
        f"Fairness, {when}; {about['host']}: {about['cpu']}, {about['cpus']} CPUs,"
        f" load {about['load_average']}; Python {about['python']}; uvicorn, 2 workers,"
        f" GLOSSARY_COMPUTE_SLOTS={slots}; {args.page_clients} page clients × {args.rate:g}/s,"
        f" {args.compute_clients} compute clients, {args.seconds:g} s per phase\n"
    )
    print(
        "| phase | page p50 | page p99 | page max | /healthz p99 | compute 200 | compute 503"
        " | server CPU | load generator CPU | failures | target: page p99 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, phase in phases.items():
        page, p99 = phase.page, phase.page.percentile(0.99)
        ok = refused = client = verdict = "—"
        if phase.load is not None:
            ok = f"{phase.load.tally.get('200', 0):,}"
            refused = phase.load.share_503()
            client = f"{phase.load.client_cores:.2f} cores"
            verdict = f"≤ {TARGET_P99_MS:.0f} ms " + (
                "✅ met" if p99 <= TARGET_P99_MS else "❌ missed"
            )
        print(
            f"| {name} | {page.percentile(0.5):.1f} ms | {p99:.1f} ms"
            f" | {max(page.latencies_ms, default=float('nan')):.1f} ms"
            f" | {phase.health.percentile(0.99):.1f} ms | {ok} | {refused}"
            f" | {phase.server_cores:.2f} cores | {client} | {len(phase.failures)} | {verdict} |"
        )
    for failure in [f for phase in phases.values() for f in phase.failures][:10]:
        print("failure:", failure)

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "date": when,
        "machine": about,
        "workers": 2,
        "compute_slots": slots,
        "page_clients": args.page_clients,
        "page_rate": args.rate,
        "compute_clients": args.compute_clients,
        "seconds": args.seconds,
        "target_p99_ms": TARGET_P99_MS,
        "phases": {name: phase.record() for name, phase in phases.items()},
    }
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"\nappended to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (10)")
    parser.add_argument("--page-clients", type=int, default=4, help="(4)")
    parser.add_argument("--rate", type=float, default=50.0, help="page requests/s per client (50)")
    parser.add_argument("--compute-clients", type=int, default=8, help="(8)")
    parser.add_argument("--slots", type=int, help="GLOSSARY_COMPUTE_SLOTS (the app's default)")
    parser.add_argument("--load", metavar="BASE", help=argparse.SUPPRESS)
    parser.add_argument("--polite", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        compute_load(args.load, args.compute_clients, args.seconds, args.polite)
        return

    phases: dict[str, Phase] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {"GLOSSARY_DB": str(Path(tmp) / "bench.sqlite"), "GLOSSARY_RELOAD_INTERVAL": "0"}
        if args.slots is not None:
            env["GLOSSARY_COMPUTE_SLOTS"] = str(args.slots)
        with serve("app.main:app", workers=2, env=env) as (base, pid):
            phases["baseline: pages alone"] = measure(base, pid, args)
            phases["load, ignoring Retry-After"] = under_load(base, pid, args, polite=False)
            phases["load, honouring Retry-After"] = under_load(base, pid, args, polite=True)
    slots = args.slots if args.slots is not None else Settings.model_fields["compute_slots"].default
    report(phases, args, slots)


if __name__ == "__main__":
    main()
