"""One Settings class, read from GLOSSARY_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
STATIC_DIR = ROOT / "static"


class Settings(BaseSettings):
    """Where the data is, where its database goes, and how the site names itself."""

    model_config = SettingsConfigDict(env_prefix="GLOSSARY_", frozen=True)

    data: Path = ROOT / "data" / "glossary.yaml"
    db: Path | None = None
    base_url: str = "http://127.0.0.1:8000"
    embed_origins: str = "*"
    reload_interval: float = 1.0
    # A changed YAML is reloaded once its size and mtime have stayed the same this many seconds,
    # so a file caught halfway through being written is never served (app/data/store.py).
    reload_settle: float = Field(3.0, ge=0)
    # The response cache's budget in bytes, per worker process (app/web/http_cache.py): bodies,
    # compressed variants and a small overhead per entry; 0 keeps no response.
    cache_bytes: int = 64 * 1024 * 1024
    # Expensive computations (backprop requests past a small amount of work) running at once in
    # each worker process; more are answered 503 with Retry-After (app/web/compute.py).
    compute_slots: int = Field(1, ge=1)
    # Seconds such a computation may wait in line for a free slot before that 503; 0: none.
    compute_wait: float = Field(0.5, ge=0, le=30)

    @field_validator("cache_bytes")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        if value < 0:
            raise ValueError("GLOSSARY_CACHE_BYTES must be 0 (keep nothing) or more")
        return value

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("GLOSSARY_BASE_URL must start with http:// or https://")
        return value.rstrip("/")

    @property
    def db_path(self) -> Path:
        """The SQLite file: GLOSSARY_DB, or one under .cache/ named after the YAML."""
        if self.db is not None:
            return self.db
        return ROOT / ".cache" / f"{self.data.stem}.sqlite"


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
