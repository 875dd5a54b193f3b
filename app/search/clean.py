"""What a query may be: the length limits, and the one cleaning of text as a reader typed it.

The search page, the API and search() itself take their limits from here, so they agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY = 200  # characters searched; the rest of a longer query is ignored, not refused
MAX_QUERY_PARAM = 10_000  # the longest q the API accepts; a longer one is a 422 naming query.q
MAX_LIMIT = 100  # the most hits one search returns

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # C0, DEL and C1


@dataclass(frozen=True)
class CleanQuery:
    text: str  # what is searched for and shown back to the reader
    truncated: bool  # whether text lost characters past MAX_QUERY


def clean_query(text: str) -> CleanQuery:
    """text without control characters (C0, DEL, C1), stripped, cut to MAX_QUERY characters."""
    typed = _CONTROL.sub("", text).strip()
    return CleanQuery(typed[:MAX_QUERY], truncated=len(typed) > MAX_QUERY)
