"""Real processes for the deployment tests: uvicorn replicas on loopback ports, and Debian's
nginx running deploy/nginx.conf with those ports in place of the compose service names."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from app.settings import ROOT
from tests.conftest import GLOSSARY

DEPLOY = ROOT / "deploy"
NGINX_CONF = DEPLOY / "nginx.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
# What deploy/nginx.conf's production variant names, replaced by the test's own.
TLS_BASE = "https://glossary.example.com"
TLS_CERT = "/etc/nginx/tls/fullchain.pem"
TLS_KEY = "/etc/nginx/tls/privkey.pem"
UPSTREAM_SERVER = re.compile(r"(?m)^(\s*)server app\d+:8000((?: [^;\n]+)?);")


def require_nginx() -> str:
    """Debian's nginx; a test that needs it fails in CI (CI=true) and is skipped elsewhere."""
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is required in CI: apt-get install nginx-light")
        pytest.skip("nginx is not installed")
    return NGINX


def nginx_version() -> tuple[int, ...]:
    """The installed nginx's version, e.g. (1, 22, 1)."""
    out = subprocess.run([require_nginx(), "-v"], capture_output=True, text=True, check=True)
    match = re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out.stderr + out.stdout)
    assert match, out.stderr
    return tuple(int(part) for part in match.groups())


def free_port() -> int:
    """A free loopback port below the ephemeral range, so that no outgoing connection takes it
    while a replica is down and the replica can come back on it."""
    with open("/proc/sys/net/ipv4/ip_local_port_range") as ports:
        ephemeral_low = int(ports.read().split()[0])
    for port in random.sample(range(10_000, ephemeral_low), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free loopback port")


def wait_until_up(
    url: str,
    process: subprocess.Popen[bytes],
    seconds: float = 120,
    statuses: Sequence[int] = (200,),
) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(url, timeout=2).status_code in statuses:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, f"{url}: the process exited"
        assert time.monotonic() < deadline, f"{url} did not come up"
        time.sleep(0.1)


@dataclass
class Replica:
    """One uvicorn process on a fixed port with its own database; restartable on that port.
    Its access log (one file per start) tells which requests reached it."""

    name: str
    directory: Path
    base_url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.directory / f"{self.name}-{self.starts}.log"

    def start(self) -> Replica:
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("GLOSSARY_")}
        env.update(
            GLOSSARY_DATA=str(GLOSSARY),
            GLOSSARY_DB=str(self.directory / f"{self.name}.sqlite"),
            GLOSSARY_BASE_URL=self.base_url,
            PYTHONUNBUFFERED="1",
        )
        command = [sys.executable, "-m", "uvicorn", "app.main:app"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "info"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        wait_until_up(f"{self.base}/healthz", self.process)
        return self

    def stop(self, how: signal.Signals = signal.SIGTERM) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(how)
            self.process.wait(timeout=15)

    def requests_served(self) -> int:
        """Requests this start of the replica answered, other than its health checks."""
        lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        return sum(1 for line in lines if '"GET ' in line and "/healthz" not in line)


def render(
    config: str,
    upstreams: Sequence[str],
    port: int,
    *,
    exempt: Sequence[str] = (),
    tls: tuple[int, Path, Path] | None = None,
) -> str:
    """deploy/nginx.conf for a test: the replicas' loopback addresses in place of app1, app2, …
    (keeping each server's parameters but `resolve`, which an address needs not); a loopback
    listener; `exempt` addresses added to the rate limits' exemptions; with `tls` (port,
    certificate, key), the "#tls " lines switched on with the test's port and certificate."""
    servers = iter(range(len(re.findall(UPSTREAM_SERVER, config))))

    def local(match: re.Match[str]) -> str:
        address = upstreams[next(servers) % len(upstreams)].removeprefix("http://")
        params = match.group(2).replace(" resolve", "")
        return f"{match.group(1)}server {address}{params};"

    config = UPSTREAM_SERVER.sub(local, config)
    config = config.replace("listen 80;", f"listen 127.0.0.1:{port};")
    exemptions = "".join(f"\n        {address} 1;" for address in exempt)
    config = config.replace("default 0;", "default 0;" + exemptions, 1)
    if tls is not None:
        tls_port, cert, key = tls
        config = re.sub(r"(?m)^(\s*)#tls ", r"\1", config)
        config = config.replace("listen 443 ssl;", f"listen 127.0.0.1:{tls_port} ssl;")
        config = config.replace(TLS_CERT, str(cert)).replace(TLS_KEY, str(key))
        config = config.replace(TLS_BASE, f"https://127.0.0.1:{tls_port}")
        if nginx_version() < (1, 25, 1):  # before `http2 on`, HTTP/2 is a `listen` parameter
            config = config.replace("http2 on;", "").replace(" ssl;", " ssl http2;")
    user = "user root;\n" if os.geteuid() == 0 else ""
    # Paths under the prefix (-p), so that nginx needs no system directory.
    local_paths = "\n    access_log off;\n" + "".join(
        f"    {kind}_temp_path {kind}_temp;\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = config.replace("http {", "http {" + local_paths, 1)
    return f"{user}daemon off;\npid nginx.pid;\n{config}"


def check_config(directory: Path, config: str) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on config, written into directory."""
    path = directory / "nginx.conf"
    path.write_text(config)
    command = [require_nginx(), "-t", "-c", str(path), "-p", str(directory)]
    command += ["-e", str(directory / "error.log")]
    return subprocess.run(command, capture_output=True, text=True)


@contextmanager
def running_nginx(directory: Path, config: str, port: int) -> Iterator[str]:
    """nginx on config (written into directory) until the block ends; yields its base URL."""
    path = directory / "nginx.conf"
    path.write_text(config)
    command = [require_nginx(), "-c", str(path), "-p", str(directory)]
    command += ["-e", str(directory / "error.log")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # 301: the HTTPS variant sends plain HTTP to HTTPS.
        wait_until_up(f"http://127.0.0.1:{port}/healthz", process, statuses=(200, 301))
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1, made with Debian's openssl (a dependency of
    ca-certificates); required in CI like nginx."""
    if shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("openssl is required in CI: apt-get install openssl")
        pytest.skip("openssl is not installed")
    cert, key = directory / "cert.pem", directory / "key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
    command += ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
    command += ["-keyout", str(key), "-out", str(cert)]
    subprocess.run(command, check=True, capture_output=True)
    return cert, key
