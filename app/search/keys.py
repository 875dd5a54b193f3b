"""What the search tables' writer and reader agree on: field order, penalties, variant kinds.

The writer is app/glossary/search_index.py (run while the database is built); the reader is
app/search/query.py and app/search/typos.py. A change here changes both, and the database
layout: app/glossary/build.py fingerprints this file, so old databases are rebuilt.
"""

from __future__ import annotations

# Fields in the order that wins when two fields of one term give the same key; a key row
# stores its field as an index into this tuple.
FIELDS = ("title", "english", "reading", "alias", "romaji", "synonym")
FIELD_PENALTY = {"title": 0, "english": 0, "reading": 3, "alias": 3, "romaji": 3, "synonym": 6}
VARIANT_PENALTY = 5  # a folded spelling (伝搬 for 伝播) ranks below the spelling itself

# Kinds of variant stored with each key: the key as written, or a folded copy of it.
WRITTEN, LONG_VOWEL_ONLY, SPELLING = 0, 1, 2  # モーメンタム; モメンタム; 伝播 for 伝搬

# Between a term's keys in its full-text documents; normalize() removes it from every key and
# query, so no query matches across two keys.
SEPARATOR = "\x1f"

# A search_key row as the query side reads it: columns and Python type, in the same order.
KEY_COLUMNS = "k.id, k.term, k.key, k.original, k.field, k.variant"
Row = tuple[int, int, str, str | None, int, int]  # key id, term, key, original, field, variant
