"""The command line (`python -m app` / `glossary`): check prints every problem as
file:line:col and exits 1; build writes the database or leaves it alone; and
`uvicorn app.main:app` from the repository root serves the bundled glossary."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.settings import ROOT
from tests.conftest import GLOSSARY, write
from tests.test_loader import HEAD, term


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def test_check_accepts_the_bundled_glossary() -> None:
    result = run("check", str(GLOSSARY))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("terms")


def test_check_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + term(id="Bad") + term(id="ok", reading="カタカナ"))
    result = run("check", str(path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("glossary.yaml:8:9: terms[0].id:")
    assert lines[1].startswith("glossary.yaml:16:14: terms[1].reading:")
    assert lines[-1] == "2 problems"


def test_build_writes_the_database_and_shows_progress(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    result = run("build", str(GLOSSARY), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "building:" in result.stderr and db.exists()


def test_build_of_a_broken_file_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "out.sqlite"
    assert run("build", str(write(tmp_path, HEAD + term())), "--db", str(db)).returncode == 0
    before = db.read_bytes()
    result = run("build", str(write(tmp_path, "version: 2\n", "bad.yaml")), "--db", str(db))
    assert result.returncode == 1
    assert "not changed" in result.stderr
    assert db.read_bytes() == before


def test_the_glossary_command_is_installed() -> None:
    command = Path(sys.executable).parent / "glossary"
    result = subprocess.run([str(command), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "check" in result.stdout and "build" in result.stdout and "serve" in result.stdout


def test_uvicorn_serves_the_bundled_glossary_with_no_settings() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSSARY_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/terms/backpropagation")
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
        assert "誤差伝播" in response.text
    finally:
        server.terminate()
        server.wait(timeout=10)
