"""Scale-out: two real replicas (separate processes, separate database files built from the
same YAML) behind a real nginx running deploy/nginx.conf. Under a bounded load, one replica
is killed midway, or stopped and started again on its port; nginx's passive health checks and
retries leave zero failed requests, and nginx sends the restarted replica traffic again. Both
replicas answer with the same bytes and the same ETag, and a client's Host header reaches no
URL the site writes."""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.nginx_stack import NGINX_CONF, Replica, free_port, render, require_nginx, running_nginx

pytestmark = pytest.mark.nginx

PATHS = [
    "/",
    "/terms/backpropagation",
    "/en/terms/relu",
    "/api/v1/terms/gradient",
    "/api/v1/search?q=こうばい",
    "/tags/optimization",
]


@dataclass
class Cluster:
    front: str
    replicas: list[Replica]


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    require_nginx()
    port = free_port()
    front = f"http://127.0.0.1:{port}"
    replicas = [Replica(name, tmp_path, base_url=front) for name in ("one", "two")]
    try:
        for replica in replicas:
            replica.start()
        # The load comes from one address, which the rate limits would slow down: these tests
        # are about failover (the limits have theirs in tests/test_deploy_files.py).
        config = render(
            NGINX_CONF.read_text(), [r.base for r in replicas], port, exempt=["127.0.0.1"]
        )
        with running_nginx(tmp_path, config, port):
            yield Cluster(front, replicas)
    finally:
        for replica in replicas:
            replica.stop()


def fail_timeout() -> float:
    """The seconds a replica rests after max_fails failures, as deploy/nginx.conf sets it."""
    values = re.findall(r"server app\d+:8000 [^;]*fail_timeout=(\d+)s", NGINX_CONF.read_text())
    assert values, "deploy/nginx.conf: no fail_timeout on the upstream servers"
    return float(max(values))


class Load:
    """Clients in threads asking PATHS through nginx, paced, until stopped or `limit` requests."""

    def __init__(self, front: str, *, workers: int = 2, pause: float = 0.02, limit: int = 5000):
        self.front, self.pause, self.limit = front, pause, limit
        self.failures: list[str] = []
        self.done = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(workers)]

    def run(self, offset: int) -> None:
        with httpx.Client(base_url=self.front, timeout=10) as client:
            i = offset
            while not self.stopping.is_set():
                with self.lock:
                    if self.done >= self.limit:
                        return
                path = PATHS[i % len(PATHS)]
                i += 1
                try:
                    status = client.get(path).status_code
                    if status != 200:
                        self.failures.append(f"{path}: {status}")
                except httpx.HTTPError as error:
                    self.failures.append(f"{path}: {error!r}")
                with self.lock:
                    self.done += 1
                time.sleep(self.pause)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def wait_for(self, count: int) -> None:
        """Until `count` more requests are done (bounded by the load's own limit)."""
        target = min(self.done + count, self.limit)
        while self.done < target and any(t.is_alive() for t in self.threads):
            time.sleep(0.01)


def test_replicas_send_the_same_bytes_and_etags(cluster: Cluster) -> None:
    for path in PATHS:
        answers = [
            httpx.get(replica.base + path, headers={"accept-encoding": "gzip"})
            for replica in cluster.replicas
        ]
        assert answers[0].status_code == answers[1].status_code == 200, path
        assert answers[0].content == answers[1].content, path
        assert answers[0].headers["etag"] == answers[1].headers["etag"], path


def test_losing_a_replica_under_load_fails_no_request(cluster: Cluster) -> None:
    total, workers = 1200, 6
    failures: list[str] = []
    done = 0
    lock = threading.Lock()

    def worker(offset: int) -> None:
        nonlocal done
        with httpx.Client(base_url=cluster.front, timeout=10) as client:
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
    cluster.replicas[0].stop(signal.SIGKILL)  # no goodbye: connections drop mid-flight
    for thread in threads:
        thread.join(timeout=120)
    assert done == total
    assert failures == []
    assert httpx.get(cluster.front + "/healthz").status_code == 200


def test_a_restarted_replica_gets_traffic_again(cluster: Cluster) -> None:
    """What a compose restart does, stopped or killed (the same name and port; the test cannot
    use DNS, so the address stays): nginx finds the replica gone, serves every request from the
    other, and once fail_timeout has passed tries the replica again and sends it its share."""
    replica, other = cluster.replicas
    with Load(cluster.front) as load:
        load.wait_for(20)
        for how in (signal.SIGTERM, signal.SIGKILL):
            assert replica.requests_served() > 0, f"{how.name}: no traffic before the restart"
            replica.stop(how)
            load.wait_for(40)  # nginx finds the replica gone: failures, retries, a rest
            replica.start()
            # Bounded: nginx tries a resting replica again after fail_timeout; three times
            # that is a bound, not a measurement.
            deadline = time.monotonic() + 3 * fail_timeout()
            while replica.requests_served() < 10 and time.monotonic() < deadline:
                load.wait_for(10)
            served = replica.requests_served()
            assert served >= 10, f"{how.name}: the restarted replica got {served} requests"
    assert load.failures == []
    assert other.requests_served() > 0


def test_a_spoofed_host_reaches_no_url(cluster: Cluster) -> None:
    """Every absolute URL comes from GLOSSARY_BASE_URL, whatever Host the client sends."""
    spoofed = "evil.example"
    headers = {"host": spoofed, "x-forwarded-host": spoofed}
    paths = [
        "/terms/relu",
        "/en/terms/relu",
        "/sitemap.xml",
        "/feed.xml",
        "/terms/relu/",  # a trailing-slash redirect
        "/oembed?url=" + cluster.front + "/terms/relu",
        "/api/v1/terms/relu",
    ]
    with httpx.Client(base_url=cluster.front, timeout=10) as client:
        for path in paths:
            answer = client.get(path, headers=headers)
            assert answer.status_code < 400, (path, answer.status_code)
            assert spoofed not in answer.text, path
            for name, value in answer.headers.multi_items():
                assert spoofed not in value, (path, name, value)
        redirect = client.get("/terms/relu/", headers=headers)
        assert redirect.is_redirect
        assert redirect.headers["location"] in ("/terms/relu", cluster.front + "/terms/relu")
        page = client.get("/terms/relu", headers=headers)
        assert f'href="{cluster.front}/terms/relu"' in page.text  # the canonical link
