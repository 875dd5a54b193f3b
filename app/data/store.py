"""The data being served: a built SQLite file and its engine, swapped atomically on reload.

A background thread looks at the YAML's (mtime, size, inode) every reload_interval seconds. A
change is acted on only once the file has stayed the same for reload_settle seconds, so a file
caught halfway through being written in place (a writer that stalls at a term boundary leaves a
valid, shorter glossary) is never served: the complete file is live within the settle window
plus one interval of its last write. Then the database is rebuilt (under a file lock, so several
workers build it once) and the new engine replaces the old one between requests, and the search
package drops the old version's in-memory index. An invalid YAML never replaces the data being
served: its problems are logged and kept for /healthz.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from app import search
from app.data.db import open_engine, raw_connection_of
from app.data.site import Site
from app.glossary.build import build_lock, ensure_database
from app.glossary.problems import GlossaryError
from app.settings import Settings

log = logging.getLogger("glossary")

RELOAD_INTERVAL = 1.0
Stat = tuple[int, int, int]  # the YAML's mtime (ns), size and inode


@dataclass(frozen=True)
class Snapshot:
    """One version of the data: its content hash, an engine on its database, the site."""

    version: str
    engine: Engine
    site: Site


class DataStore:
    """Holds the current snapshot; reload_if_changed() swaps in a new one."""

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.problems: list[str] = []
        self._snapshot: Snapshot | None = None
        self._seen: Stat | None = None  # the file as last loaded (or refused)
        self._pending: Stat | None = None  # a change seen since, waiting to settle
        self._pending_since = 0.0
        self.clock = clock
        self._swap = threading.Lock()

    @property
    def current(self) -> Snapshot:
        if self._snapshot is None:
            raise RuntimeError("the data store is not open")
        return self._snapshot

    @property
    def is_open(self) -> bool:
        return self._snapshot is not None

    @property
    def version(self) -> str:
        return self._snapshot.version if self._snapshot else ""

    def open(self) -> None:
        """Build (if needed) and open the data; raise GlossaryError on an invalid first build."""
        self._seen = _stat(self.settings.data)
        self._snapshot = self._load()

    @property
    def settles_at(self) -> float | None:
        """When a change seen and waiting will have settled (on the store's clock), or None."""
        if self._pending is None:
            return None
        return self._pending_since + self.settings.reload_settle

    def reload_if_changed(self) -> bool:
        """Rebuild and swap when the YAML changed and has since stayed the same for the settle
        window; return whether new data is being served."""
        seen = _stat(self.settings.data)
        if seen == self._seen:
            self._pending = None  # changed and changed back: nothing to do
            return False
        now = self.clock()
        if seen != self._pending:
            self._pending, self._pending_since = seen, now
        if now - self._pending_since < self.settings.reload_settle:
            return False  # still being written, perhaps: wait until it stays the same
        self._seen, self._pending = seen, None
        try:
            snapshot = self._load()
        except GlossaryError as error:
            self.problems = [str(problem) for problem in error.problems]
            for problem in self.problems:
                log.error("reload refused: %s", problem)
            return False
        except OSError as error:
            self.problems = [f"{self.settings.data}: {error.strerror}"]
            log.error("reload refused: %s", self.problems[0])
            return False
        self.problems = []
        if snapshot.version == self.version:
            snapshot.engine.dispose()
            return False
        with self._swap:
            old, self._snapshot = self._snapshot, snapshot
        if old is not None:
            old.engine.dispose()
        search.forget(except_version=snapshot.version)
        log.info("serving data version %s", snapshot.version[:16])
        return True

    def close(self) -> None:
        if self._snapshot is not None:
            self._snapshot.engine.dispose()
            self._snapshot = None

    def _load(self) -> Snapshot:
        db_path = self.settings.db_path
        with build_lock(db_path):  # and removes what a killed build left
            version = ensure_database(self.settings.data, db_path)
        engine = open_engine(db_path)
        with engine.connect() as connection:
            raw = raw_connection_of(connection)
            search.prepare(raw)
            row = raw.execute("SELECT value FROM meta WHERE key = 'site'").fetchone()
        return Snapshot(
            version=version, engine=engine, site=Site.from_json(row[0] if row else None)
        )


class Watcher:
    """Calls store.reload_if_changed() every interval seconds on a daemon thread."""

    def __init__(self, store: DataStore, interval: float = RELOAD_INTERVAL) -> None:
        self.store = store
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="glossary-reload", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._next_wait()):
            try:
                self.store.reload_if_changed()
            except Exception:  # the watcher must outlive any one failed reload
                log.exception("reload failed")

    def _next_wait(self) -> float:
        """The interval, or less when a change settles sooner: it is looked at again then."""
        settles_at = self.store.settles_at
        if settles_at is None:
            return self.interval
        return max(0.0, min(self.interval, settles_at - self.store.clock()))


def _stat(path: Path) -> Stat:
    try:
        info = path.stat()
    except OSError:
        return (0, 0, 0)
    return (info.st_mtime_ns, info.st_size, info.st_ino)
