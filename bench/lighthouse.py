"""Lighthouse 12 on the index, a term page, the search page and the demo; a Markdown table.

    .venv/bin/python bench/lighthouse.py [--preset mobile|desktop|both] [--page NAME]…
                                         [--runs N] [--details]

Installs Lighthouse from the committed bench/lighthouse/package.json + package-lock.json into
bench/lighthouse/node_modules (npm install --no-audit --no-fund) when it is not there yet,
starts the app under uvicorn on a free loopback port (its own database in a temporary
directory), and runs Lighthouse with Debian's chromium (CHROME_PATH=/usr/bin/chromium,
headless). Prints one row per page and preset with the four category scores; --details lists
every audit that did not pass. The JSON reports are kept in bench/results/lighthouse/.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = PACKAGE / "node_modules" / ".bin" / "lighthouse"
RESULTS = ROOT / "bench" / "results" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = (
    ("index", "/"),
    ("term", "/terms/backpropagation"),
    ("term (en)", "/en/terms/backpropagation"),
    ("search", "/search"),
    ("search results", "/search?q=%E5%8B%BE%E9%85%8D"),
    ("demo", "/demo/backprop"),
)


def install() -> None:
    """Lighthouse from the lock file, once."""
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to install Lighthouse (Debian: apt-get install npm)")
    print("installing Lighthouse into bench/lighthouse/node_modules …", file=sys.stderr)
    subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=PACKAGE, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    """uvicorn serving the bundled glossary, as `make run` would, on 127.0.0.1:port."""
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "GLOSSARY_BASE_URL": base,
        "GLOSSARY_DB": str(workdir / "glossary.sqlite"),
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"], cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("the server did not start")


def run(url: str, preset: str, output: Path) -> dict[str, Any]:
    """One Lighthouse run; its JSON report."""
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=30000",
    ]
    if preset == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": CHROME}
    for attempt in (1, 2):  # chromium now and then fails to start on a loaded machine
        done = subprocess.run(args, env=env, timeout=300, check=False)
        if done.returncode == 0:
            break
        print(f"lighthouse failed on {url} (attempt {attempt})", file=sys.stderr)
    done.check_returncode()
    report: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return report


def scores(report: dict[str, Any]) -> list[str]:
    out = []
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        out.append("–" if score is None else str(round(score * 100)))
    return out


def failures(report: dict[str, Any]) -> list[str]:
    """Audits that count towards a score and did not pass."""
    found = []
    for category in CATEGORIES:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                found.append(f"{category}: {ref['id']} ({audit['score']}) {value}".rstrip())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("mobile", "desktop", "both"), default="both")
    parser.add_argument(
        "--page", action="append", choices=[name for name, _ in PAGES], help="only this page"
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per page and preset")
    parser.add_argument("--details", action="store_true", help="list the audits that failed")
    options = parser.parse_args()
    if not Path(CHROME).exists():
        sys.exit(f"no chromium at {CHROME} (Debian: apt-get install chromium)")
    install()
    presets = ("mobile", "desktop") if options.preset == "both" else (options.preset,)
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        server = start_server(port, Path(workdir))
        try:
            rows = []
            notes = []
            pages = [(n, p) for n, p in PAGES if not options.page or n in options.page]
            for (name, path), preset, _ in itertools.product(pages, presets, range(options.runs)):
                slug = f"{name.replace(' ', '-').replace('(', '').replace(')', '')}-{preset}"
                report = run(f"http://127.0.0.1:{port}{path}", preset, RESULTS / f"{slug}.json")
                row = " | ".join(scores(report))
                rows.append(f"| {name} | `{path}` | {preset} | {row} |")
                notes += [f"{name} ({preset}): {f}" for f in failures(report)]
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Lighthouse {report['lighthouseVersion']}, {report['environment']['hostUserAgent']}")
    print()
    print("| page | path | preset | performance | accessibility | best practices | SEO |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    if options.details and notes:
        print()
        print("\n".join(notes))


if __name__ == "__main__":
    main()
