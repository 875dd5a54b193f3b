"""The deployment files hold what they promise: the Kubernetes Deployment, the compose file and
the Dockerfile are read and checked property by property; deploy/nginx.conf is accepted by
`nginx -t` (as served in these tests and in its HTTPS variant) and, run by a real nginx in
front of a real replica, answers a burst to the compute API with 429 problems while pages and
other clients go on, and refuses oversized bodies and URLs as the app itself would."""

from __future__ import annotations

import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from app.settings import ROOT
from app.web.security import MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_URL_BYTES
from tests.nginx_stack import (
    DEPLOY,
    NGINX_CONF,
    Replica,
    check_config,
    free_port,
    render,
    require_nginx,
    running_nginx,
    self_signed_certificate,
)

DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
DEPLOYMENT = yaml.safe_load((DEPLOY / "k8s" / "deployment.yaml").read_text())
POD = DEPLOYMENT["spec"]["template"]["spec"]
(CONTAINER,) = POD["containers"]
ENV = {item["name"]: item.get("value") for item in CONTAINER["env"]}
MIN_START_PERIOD = 30
WORKER_BASE_MIB = 130  # one worker with the data loaded, measured
SUPERVISOR_MIB = 40  # uvicorn's supervisor and multiprocessing's resource tracker
COMPUTE = "/api/v1/backprop"
COMPUTE_BURST = 5
HSTS = (
    "max-age=63072000; includeSubDomains"  # deploy/nginx.conf: burst=5 nodelay on the compute zone
)


def seconds(text: str) -> float:
    """A duration as Docker and compose write it: 30s, 1m30s, 500ms."""
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", text)
    assert parts and "".join(n + u for n, u in parts) == text, text
    return sum(float(n) * units[u] for n, u in parts)


def mebibytes(quantity: str) -> float:
    """A Kubernetes memory quantity in MiB."""
    match = re.fullmatch(r"(\d+)(Ki|Mi|Gi)?", str(quantity))
    assert match, quantity
    return int(match[1]) * {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024, None: 1 / 2**20}[match[2]]


def dockerfile_user() -> tuple[int, int]:
    match = re.search(r"(?m)^USER (\d+):(\d+)$", DOCKERFILE)
    assert match, "the Dockerfile's USER is a numeric uid:gid"
    return int(match[1]), int(match[2])


# --- deploy/k8s/deployment.yaml -------------------------------------------------------------


def test_the_image_is_a_version_not_latest() -> None:
    image = CONTAINER["image"]
    if "@sha256:" in image:
        assert re.search(r"@sha256:[0-9a-f]{64}$", image), image
        return
    name, _, tag = image.rpartition(":")
    assert name and "/" not in tag, f"{image}: no tag"
    assert tag != "latest" and re.fullmatch(r"\d+\.\d+\.\d+", tag), image


@pytest.mark.parametrize("probe", ["startupProbe", "readinessProbe", "livenessProbe"])
def test_every_probe_asks_healthz_with_a_timeout(probe: str) -> None:
    settings = CONTAINER[probe]
    assert settings["httpGet"]["path"] == "/healthz"
    assert 1 <= settings["timeoutSeconds"] <= settings["periodSeconds"]


def test_the_startup_probe_allows_a_cold_start() -> None:
    startup = CONTAINER["startupProbe"]
    assert startup["periodSeconds"] * startup["failureThreshold"] >= MIN_START_PERIOD
    assert "initialDelaySeconds" not in CONTAINER["livenessProbe"]


def test_the_pod_runs_as_the_dockerfiles_user() -> None:
    uid, gid = dockerfile_user()
    context = POD["securityContext"]
    assert context["runAsNonRoot"] is True
    assert (context["runAsUser"], context["runAsGroup"], context["fsGroup"]) == (uid, gid, gid)
    assert context["seccompProfile"] == {"type": "RuntimeDefault"}


def test_the_container_cannot_write_its_image_or_gain_privileges() -> None:
    context = CONTAINER["securityContext"]
    assert context["readOnlyRootFilesystem"] is True
    assert context["allowPrivilegeEscalation"] is False
    assert context["capabilities"]["drop"] == ["ALL"]
    assert "add" not in context["capabilities"]


def test_the_database_and_tmp_are_on_empty_dirs() -> None:
    empty_dirs = {volume["name"] for volume in POD["volumes"] if "emptyDir" in volume}
    mounted = {m["mountPath"]: m["name"] for m in CONTAINER["volumeMounts"]}
    database = Path(ENV["GLOSSARY_DB"])
    assert mounted.get(str(database.parent)) in empty_dirs, "GLOSSARY_DB is not on an emptyDir"
    assert mounted.get("/tmp") in empty_dirs


def test_memory_fits_every_worker_and_its_cache() -> None:
    workers = int(ENV["WEB_CONCURRENCY"])
    cache_mib = int(ENV["GLOSSARY_CACHE_BYTES"]) / 2**20
    resources = CONTAINER["resources"]
    limit = mebibytes(resources["limits"]["memory"])
    request = mebibytes(resources["requests"]["memory"])
    needed = workers * (WORKER_BASE_MIB + cache_mib) + SUPERVISOR_MIB
    assert limit >= needed * 1.15, f"{limit} MiB leaves too little headroom over {needed} MiB"
    assert workers * WORKER_BASE_MIB <= request <= limit
    assert resources["requests"]["cpu"]


# --- deploy/compose.yaml ----------------------------------------------------------------------


def test_compose_publishes_on_loopback_only() -> None:
    for name, service in COMPOSE["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"
    assert not COMPOSE["services"]["app1"].get("ports")


def test_compose_healthcheck_allows_a_cold_start() -> None:
    for name in ("app1", "app2"):
        healthcheck = COMPOSE["services"][name]["healthcheck"]
        assert seconds(healthcheck["start_period"]) >= MIN_START_PERIOD, name
        assert COMPOSE["services"][name]["environment"]["FORWARDED_ALLOW_IPS"]


def test_composes_nginx_can_re_resolve_the_replicas() -> None:
    """deploy/nginx.conf uses `resolve` in its upstream: nginx >= 1.27.3."""
    image = COMPOSE["services"]["nginx"]["image"]
    match = re.fullmatch(r"nginx:(\d+)\.(\d+)(?:\.(\d+))?(-alpine)?(@sha256:[0-9a-f]{64})?", image)
    assert match, f"{image}: not a versioned nginx image"
    version = (int(match[1]), int(match[2]), int(match[3] or 99))
    assert version >= (1, 27, 3), image


# --- Dockerfile -------------------------------------------------------------------------------


def test_dockerfile_base_image_is_a_tag_or_a_digest_not_latest() -> None:
    match = re.search(r"(?m)^ARG PYTHON_IMAGE=(\S+)$", DOCKERFILE)
    assert match and re.search(r"(?m)^FROM \$\{PYTHON_IMAGE\}$", DOCKERFILE)
    image = match[1]
    assert re.fullmatch(r"python:3\.11-slim-bookworm(@sha256:[0-9a-f]{64})?", image), image
    instructions = [line for line in DOCKERFILE.splitlines() if not line.startswith("#")]
    assert not any("latest" in line or "<" in line for line in instructions if "FROM" in line)


def test_dockerfile_healthcheck_allows_a_cold_start() -> None:
    match = re.search(r"HEALTHCHECK .*--start-period=(\S+)", DOCKERFILE)
    assert match and seconds(match[1]) >= MIN_START_PERIOD


def test_dockerfile_trusts_proxy_headers_only_from_named_addresses() -> None:
    (command,) = re.findall(r"(?m)^CMD (.+)$", DOCKERFILE)
    assert "--proxy-headers" in command
    assert '--forwarded-allow-ips \\"${FORWARDED_ALLOW_IPS}\\"' in command
    assert re.search(r"FORWARDED_ALLOW_IPS=127\.0\.0\.1\b", DOCKERFILE)


def test_dockerfile_runs_as_a_non_root_user() -> None:
    uid, gid = dockerfile_user()
    assert uid >= 1000 and gid >= 1000
    assert f"--uid {uid}" in DOCKERFILE and f"--gid {gid}" in DOCKERFILE


# --- deploy/nginx.conf, read ------------------------------------------------------------------


def test_nginx_re_resolves_the_replicas() -> None:
    config = NGINX_CONF.read_text()
    servers = re.findall(r"(?m)^\s*server (app\d+:8000[^;]*);", config)
    assert len(servers) >= 2 and all(" resolve" in server for server in servers), servers
    assert re.search(r"upstream glossary \{[^}]*\bzone glossary \d+k;", config)
    assert re.search(r"(?m)^\s*resolver 127\.0\.0\.11 valid=\d+s", config)


def test_nginx_limits_match_the_apps() -> None:
    config = NGINX_CONF.read_text()
    assert re.search(r"client_max_body_size (\d+)k;", config)[1] == str(MAX_BODY_BYTES // 1024)  # type: ignore[index]
    count, size = re.search(r"large_client_header_buffers (\d+) (\d+)k;", config).groups()  # type: ignore[union-attr]
    assert int(size) * 1024 > MAX_URL_BYTES + len("OPTIONS  HTTP/1.1\r\n")  # the app answers
    assert int(count) * int(size) * 1024 >= MAX_HEADER_BYTES
    assert "server_tokens off;" in config


# --- deploy/nginx.conf, run -------------------------------------------------------------------


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    require_nginx()
    started = Replica("edge", tmp_path_factory.mktemp("replica"), base_url="https://glossary.test")
    try:
        yield started.start()
    finally:
        started.stop()


@pytest.fixture(scope="module")
def edge(replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """deploy/nginx.conf as served, in front of one replica (named twice in the upstream)."""
    directory = tmp_path_factory.mktemp("nginx")
    port = free_port()
    with running_nginx(directory, render(NGINX_CONF.read_text(), [replica.base], port), port):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def tls_edge(
    replica: Replica, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """deploy/nginx.conf's HTTPS variant; yields the plain and the HTTPS base URLs."""
    directory = tmp_path_factory.mktemp("nginx-tls")
    cert, key = self_signed_certificate(directory)
    port, tls_port = free_port(), free_port()
    config = render(NGINX_CONF.read_text(), [replica.base], port, tls=(tls_port, cert, key))
    with running_nginx(directory, config, port):
        yield f"http://127.0.0.1:{port}", f"https://127.0.0.1:{tls_port}"


def client_from(address: str, base: str, **options: Any) -> httpx.Client:
    """A client whose connections come from `address` (any of 127.0.0.0/8): the limits count
    per client address, so each test is a client of its own."""
    transport = httpx.HTTPTransport(local_address=address, verify=options.pop("verify", True))
    return httpx.Client(base_url=base, transport=transport, timeout=10, **options)


def assert_problem(answer: httpx.Response, status: int, title: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = answer.json()
    assert problem["status"] == status and problem["title"] == title
    assert problem["type"] == "about:blank" and problem["errors"] == []
    assert answer.headers["x-content-type-options"] == "nosniff"
    return problem


def assert_refusal_page(answer: httpx.Response, status: int, title: str) -> None:
    assert answer.status_code == status
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<h1>{status} {title}</h1>" in answer.text


@pytest.mark.nginx
def test_nginx_accepts_the_config(tmp_path: Path) -> None:
    require_nginx()
    rendered = render(NGINX_CONF.read_text(), ["127.0.0.1:9"], free_port())
    checked = check_config(tmp_path, rendered)
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr and "[emerg]" not in checked.stderr, checked.stderr


@pytest.mark.nginx
def test_nginx_accepts_the_https_variant(tmp_path: Path) -> None:
    require_nginx()
    cert, key = self_signed_certificate(tmp_path)
    tls = (free_port(), cert, key)
    rendered = render(NGINX_CONF.read_text(), ["127.0.0.1:9"], free_port(), tls=tls)
    assert not re.search(r"(?m)^\s*#tls ", rendered)
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in rendered
    checked = check_config(tmp_path, rendered)
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr and "[emerg]" not in checked.stderr, checked.stderr


@pytest.mark.nginx
def test_a_burst_to_the_compute_api_is_answered_429(edge: str, replica: Replica) -> None:
    assert httpx.get(replica.base + COMPUTE).status_code == 200  # cached: cheap from now on
    with client_from("127.0.0.2", edge) as client:
        statuses = [client.get(COMPUTE).status_code for _ in range(20)]
        # A fresh client gets its burst at once; the rest of 20 quick requests cannot all wait
        # for the 2-a-second refill.
        assert statuses[: COMPUTE_BURST + 1] == [200] * (COMPUTE_BURST + 1), statuses
        assert 429 in statuses, statuses
        refused = client.get(COMPUTE)
        assert_problem(refused, 429, "Too Many Requests")
        assert refused.headers["retry-after"] == "1"
        assert refused.headers["server"] == "nginx"  # server_tokens off: no version
        # The demo page runs the same engine: same budget, refused as a page.
        assert_refusal_page(client.get("/demo/backprop"), 429, "Too Many Requests")
        # Pages and the rest of the API are not limited by it.
        assert client.get("/").status_code == 200
        assert client.get("/terms/relu").status_code == 200
        assert client.get("/api/v1/terms/gradient").status_code == 200
    with client_from("127.0.0.3", edge) as other:  # the limit is per client
        assert other.get(COMPUTE).status_code == 200


@pytest.mark.nginx
def test_the_rest_of_the_api_allows_a_burst(edge: str) -> None:
    with client_from("127.0.0.4", edge) as client:
        statuses = {client.get("/api/v1/terms/gradient").status_code for _ in range(40)}
    assert statuses == {200}


@pytest.mark.nginx
def test_too_many_connections_from_one_client_are_answered_429(edge: str) -> None:
    """limit_conn: 20 requests held open (their bodies never come) use up the client's
    connections; the next request is refused, and once they go, requests pass again."""
    port = int(edge.rsplit(":", 1)[1])
    held: list[socket.socket] = []
    try:
        for _ in range(20):
            sock = socket.create_connection(("127.0.0.1", port), source_address=("127.0.0.5", 0))
            sock.sendall(b"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
            held.append(sock)
        with client_from("127.0.0.5", edge) as client:
            # Each held request is counted once a worker has read it: ask until refused.
            for _ in range(50):
                answer = client.get("/terms/relu")
                if answer.status_code == 429:
                    break
                time.sleep(0.05)
            assert_refusal_page(answer, 429, "Too Many Requests")
    finally:
        for sock in held:
            sock.close()
    with client_from("127.0.0.5", edge) as client:
        for _ in range(50):  # nginx notices the closed connections as it reads them
            if client.get("/terms/relu").status_code == 200:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the client stayed refused after its connections closed")


@pytest.mark.nginx
def test_an_oversized_body_is_refused_like_the_app_refuses_it(edge: str) -> None:
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    with client_from("127.0.0.6", edge) as client:
        answer = client.post(COMPUTE, content=body, headers={"content-type": "application/json"})
        assert_problem(answer, 413, "Content Too Large")
        assert_refusal_page(client.post("/search", content=body), 413, "Content Too Large")
        small = client.post(COMPUTE, content=b"{}", headers={"content-type": "application/json"})
        assert small.status_code != 413


@pytest.mark.nginx
def test_over_long_urls_get_the_apps_answer_or_nginxs_alike(edge: str) -> None:
    with client_from("127.0.0.7", edge) as client:
        # Over the app's 8 KiB, within nginx's buffers: the app answers, with its own detail.
        problem = assert_problem(
            client.get("/api/v1/search", params={"q": "a" * MAX_URL_BYTES}), 414, "URI Too Long"
        )
        assert "8 KiB" in problem["detail"]
        # Over nginx's 16 KiB request line: nginx answers, the same way.
        problem = assert_problem(
            client.get("/api/v1/search", params={"q": "a" * 20_000}), 414, "URI Too Long"
        )
        assert "16 KiB" in problem["detail"]
        assert_refusal_page(client.get("/search", params={"q": "a" * 20_000}), 414, "URI Too Long")
        # Headers over the app's 32 KiB (but each line within nginx's buffer): the app's 431.
        headers = {f"x-filler-{n}": "b" * 8000 for n in range(5)}
        answer = client.get("/api/v1/terms/gradient", headers=headers)
        assert_problem(answer, 431, "Request Header Fields Too Large")


class BusyEngine(BaseHTTPRequestHandler):
    """A stand-in for replicas whose computation slots are all taken: the compute API answers
    503 with Retry-After, as app/web/compute.py does; everything else 200."""

    computed = 0

    def do_GET(self) -> None:
        busy = self.path.startswith(COMPUTE)
        if busy:
            BusyEngine.computed += 1
        body = b'{"status": 503}' if busy else b"ok"
        self.send_response(503 if busy else 200)
        if busy:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.nginx
def test_a_busy_replica_is_not_rested(tmp_path: Path) -> None:
    """A 503 from the compute API reaches the client once, untouched, and is not counted as a
    failure: pages from the same replicas go on (they would be 502 had nginx rested them)."""
    require_nginx()
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), BusyEngine)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    upstream = f"127.0.0.1:{server.server_address[1]}"
    try:
        with (
            running_nginx(tmp_path, render(NGINX_CONF.read_text(), [upstream], port), port),
            client_from("127.0.0.10", f"http://127.0.0.1:{port}") as client,
        ):
            answers = [client.get(COMPUTE) for _ in range(COMPUTE_BURST + 1)]
            assert [a.status_code for a in answers] == [503] * len(answers)
            assert all(a.headers.get_list("retry-after") == ["1"] for a in answers)
            assert BusyEngine.computed == len(answers)  # not retried on the other replica
            assert client.get("/terms/relu").status_code == 200
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.nginx
def test_the_https_variant_redirects_plain_http_and_sends_hsts(
    tls_edge: tuple[str, str],
) -> None:
    plain, secure = tls_edge
    with client_from("127.0.0.8", plain) as client:
        redirect = client.get("/terms/relu?x=1", headers={"host": "evil.example"})
    assert redirect.status_code == 301
    assert redirect.headers["location"] == secure + "/terms/relu?x=1"  # never the client's Host
    for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        context.minimum_version = context.maximum_version = version
        with client_from("127.0.0.8", secure, verify=context) as client:
            page = client.get("/terms/relu")
            assert page.status_code == 200, version
            assert page.headers["strict-transport-security"] == HSTS
            assert "evil.example" not in page.text
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with client_from("127.0.0.9", secure, verify=context) as client:
        statuses = [client.get(COMPUTE).status_code for _ in range(20)]
        assert 429 in statuses
        refused = client.get(COMPUTE)
        assert_problem(refused, 429, "Too Many Requests")
        assert "max-age=63072000" in refused.headers["strict-transport-security"]


def test_the_problem_bodies_are_json() -> None:
    """The refusal bodies written in deploy/nginx.conf, with its variables filled in as nginx
    would, parse as JSON."""
    config = NGINX_CONF.read_text()
    (template,) = re.findall(r"return 200 '(\{.*\})\\n';", config)
    filled = template.replace("$refusal_title", "T").replace("$status", "429")
    assert json.loads(filled.replace("$refusal_detail", "d"))["status"] == 429
