"""Scale-out: two real replicas (separate processes, separate database files built from the
same YAML) behind a real nginx running deploy/nginx.conf. Under a bounded load, one replica
is killed midway; nginx's passive health checks and retries leave zero failed requests, and
both replicas answer with the same bytes and the same ETag."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.settings import ROOT
from tests.conftest import GLOSSARY

pytestmark = pytest.mark.nginx

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
Replica = tuple[str, "subprocess.Popen[bytes]"]
Cluster = tuple[str, list[Replica]]
PATHS = [
    "/",
    "/terms/backpropagation",
    "/en/terms/relu",
    "/api/v1/terms/gradient",
    "/api/v1/search?q=こうばい",
    "/tags/optimization",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, f"{url}: the process exited"
        assert time.monotonic() < deadline, f"{url} did not come up"
        time.sleep(0.1)


def start_replica(tmp_path: Path, name: str) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSSARY_")}
    env.update(GLOSSARY_DATA=str(GLOSSARY), GLOSSARY_DB=str(tmp_path / f"{name}.sqlite"))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(f"{base}/healthz", process)
    return base, process


def nginx_config(upstreams: list[str], port: int) -> str:
    """deploy/nginx.conf with loopback upstreams and a loopback listener."""
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "\n".join(
        f"        server {u.removeprefix('http://')} max_fails=3 fail_timeout=10s;"
        for u in upstreams
    )
    config = re.sub(r"(?m)^\s*server app\d+:8000[^\n]*\n", "", config)
    config = config.replace("keepalive 32;", servers.strip() + "\n        keepalive 32;")
    config = config.replace("listen 80;", f"listen 127.0.0.1:{port};")
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"{user}daemon off;\n" + config.replace("http {", "http {\n    access_log off;", 1)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required in CI: apt-get install nginx-light")
        pytest.skip("nginx is not installed")
    replicas = [start_replica(tmp_path, name) for name in ("one", "two")]
    port = free_port()
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config([base for base, _ in replicas], port))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path), "-e", str(tmp_path / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/healthz", nginx)
        yield f"http://127.0.0.1:{port}", replicas
    finally:
        nginx.send_signal(signal.SIGQUIT)
        for process in [nginx, *(p for _, p in replicas)]:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=15)


def test_replicas_send_the_same_bytes_and_etags(cluster: Cluster) -> None:
    _, replicas = cluster
    for path in PATHS:
        answers = [
            httpx.get(base + path, headers={"accept-encoding": "gzip"}) for base, _ in replicas
        ]
        assert answers[0].status_code == answers[1].status_code == 200, path
        assert answers[0].content == answers[1].content, path
        assert answers[0].headers["etag"] == answers[1].headers["etag"], path


def test_losing_a_replica_under_load_fails_no_request(cluster: Cluster) -> None:
    front, replicas = cluster
    total, workers = 1200, 6
    failures: list[str] = []
    done = 0
    lock = threading.Lock()

    def worker(offset: int) -> None:
        nonlocal done
        with httpx.Client(base_url=front, timeout=10) as client:
            for i in range(offset, total, workers):
                path = PATHS[i % len(PATHS)]
                try:
                    status = client.get(path).status_code
                    if status != 200:
                        failures.append(f"{path}: {status}")
                except httpx.HTTPError as error:
                    failures.append(f"{path}: {error!r}")
                with lock:
                    done += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    while done < total // 3:
        time.sleep(0.01)
    replicas[0][1].kill()  # no goodbye: connections drop mid-flight
    for thread in threads:
        thread.join(timeout=120)
    assert done == total
    assert failures == []
    assert httpx.get(front + "/healthz").status_code == 200
