"""The read-only database: an engine on the built file, and its raw sqlite3 connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlmodel import Session, create_engine


def open_engine(db_path: Path) -> Engine:
    """An engine that can only read db_path; the file is never written while served."""
    url = f"sqlite:///file:{db_path.resolve()}?mode=ro&uri=true"
    return create_engine(url, connect_args={"check_same_thread": False})


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, for the search module's own SQL."""
    return raw_connection_of(session.connection())


def raw_connection_of(connection: Connection) -> sqlite3.Connection:
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver
