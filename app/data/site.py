"""The site's own name and description, read from the build once per data version."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from app.text.i18n import Lang, translate


@dataclass(frozen=True)
class Site:
    """The YAML's `site:` block; a missing title falls back to the UI's default name."""

    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str | None) -> Site:
        """The `site` meta row as the build wrote it (the YAML's site block as JSON)."""
        data = json.loads(text) if text else {}
        return cls(titles=data.get("title") or {}, descriptions=data.get("description") or {})

    def name(self, lang: Lang) -> str:
        return self.titles.get(lang) or translate(lang, "site_title")

    def description(self, lang: Lang) -> str:
        return self.descriptions.get(lang, "")
