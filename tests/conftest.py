"""Shared fixtures: the real glossary built into a real SQLite file, the app through httpx,
a live server on a free port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from app.main import create_app
from app.settings import ROOT, Settings

GLOSSARY = ROOT / "data" / "glossary.yaml"
# The head of a small test glossary: its terms follow, indented as items of `terms:`.
YAML_HEAD = """\
version: 1
site:
  title: {ja: 用語集, en: Glossary}
  description: {ja: 説明, en: Description}
tags:
  ml: {ja: 機械学習, en: Machine learning}
terms:
"""
CHROMIUM = Path("/usr/bin/chromium")

# No test may pass or fail with the machine's speed: Hypothesis's built-in profiles ("default",
# and "ci" when CI is set) keep their example counts but lose the per-example deadline and the
# too-slow health check. Each property test sets its own max_examples.
for _profile in ("default", "ci"):
    hypothesis_settings.register_profile(
        _profile,
        hypothesis_settings.get_profile(_profile),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    db = tmp_path_factory.mktemp("db") / "glossary.sqlite"
    return Settings(data=GLOSSARY, db=db, base_url="http://testserver")


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def write(tmp_path: Path, text: str, name: str = "glossary.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_process(settings: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The app under uvicorn in a process of its own on a free loopback port, with these
    GLOSSARY_* settings (and no others from the environment); yields its base URL and process
    once /healthz answers, and stops it afterwards."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSSARY_")}
    env.update(settings)
    command = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.1)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port; yields its base URL."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    db = tmp_path_factory.mktemp("live") / "glossary.sqlite"
    app = create_app(Settings(data=GLOSSARY, db=db, base_url=base))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium under Playwright; required (never skipped) when CI=true."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI: apt-get install chromium")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
