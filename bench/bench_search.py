"""Server-side latency of app.search.search() and suggest() on synthetic glossaries.

    .venv/bin/python bench/bench_search.py [--sizes 10000 100000] [--rounds 3]

Builds each glossary (bench/gen_glossary.py) into a temporary SQLite file with the real
builder, opens it read-only like the app does, and times a few hundred varied queries
(kanji, kana, katakana, romaji, English, prefixes, two-character substrings, typos, hostile
input). Prints Markdown tables: p50/p95/p99 against the targets (p95 ≤ 10 ms at 10,000 terms,
≤ 30 ms at 100,000), beside a baseline measured in the same run: normalize() plus one
indexed exact-key SELECT, the least any search has to do.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jaconv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_glossary import document, generate, to_yaml  # noqa: E402

from app import search  # noqa: E402
from app.glossary import build  # noqa: E402
from app.glossary.loader import MAX_FILE_BYTES  # noqa: E402
from app.glossary.schema import Glossary  # noqa: E402
from app.glossary.search_index import SearchIndex  # noqa: E402
from app.search import typos  # noqa: E402
from app.text.normalize import romaji_variants  # noqa: E402

TARGET_MS = {10_000: 10.0, 100_000: 30.0}
PER_KIND = 40


def queries(terms: list[dict[str, Any]], *, seed: int = 7) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the glossary, PER_KIND of each kind."""
    rng = random.Random(seed)
    picks = [rng.choice(terms) for _ in range(PER_KIND)]
    out: list[tuple[str, str]] = []

    def add(kind: str, make: Callable[[dict[str, Any]], str | None]) -> None:
        for term in picks:
            query = make(term)
            if query:
                out.append((kind, query))

    def window(text: str, size: int) -> str | None:
        if len(text) <= size:
            return None
        start = rng.randrange(0, len(text) - size + 1)
        return text[start : start + size]

    def typo(text: str) -> str | None:
        word = max(text.split(), key=len)
        if len(word) < 5:
            return None
        i = rng.randrange(1, len(word))
        changed = word[:i] + rng.choice("aeiourstn") + word[i + 1 :]
        return text.replace(word, changed, 1) if changed != word else None

    add("kanji title", lambda t: t["title"]["ja"])
    add("hiragana reading", lambda t: t["reading"])
    add("katakana reading", lambda t: jaconv.hira2kata(t["reading"]))
    add("romaji (wāpuro)", lambda t: romaji_variants(t["reading"])[0])
    add("romaji (Hepburn)", lambda t: romaji_variants(t["reading"])[-1])
    add("English", lambda t: t["title"]["en"].lower())
    add("English prefix", lambda t: t["title"]["en"][: rng.randint(3, 6)])
    add("one-char prefix", lambda t: t["title"]["ja"][0])
    add("two-char substring", lambda t: window(t["title"]["ja"], 2))
    add("3–4-char substring", lambda t: window(t["title"]["ja"], rng.randint(3, 4)))
    add("typo", lambda t: typo(t["title"]["en"].lower()))
    hostile = ['"AND" OR NEAR(a b)*', "%_\\'", "\x00x", "😀🔥", "ﾓｰﾒﾝﾀﾑ", "あ" * 10_000, "-- ;"]
    out += [("hostile", q) for q in hostile]
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def timed(fn: Callable[[str], object], qs: list[tuple[str, str]], rounds: int) -> list[float]:
    for _, query in qs:  # warm the page cache and the typo index
        fn(query)
    samples = []
    for _ in range(rounds):
        for _, query in qs:
            start = time.perf_counter_ns()
            fn(query)
            samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


@dataclass
class Built:
    db_path: Path
    terms: list[dict[str, Any]]
    source: str
    build_s: float
    index_s: float
    yaml_mb: float
    db_mb: float


def build_db(n: int, directory: Path) -> Built:
    """Generate n terms and build them with the real builder, timing the search indexing inside."""
    terms = list(generate(n))
    data = document(terms)
    db_path = directory / f"glossary-{n}.sqlite"
    yaml_path = directory / f"glossary-{n}.yaml"
    yaml_path.write_text(to_yaml(data), encoding="utf-8")
    index_s = 0.0
    add, finish = SearchIndex.add, SearchIndex.finish

    def timed(method: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any, **kwargs: Any) -> None:
            nonlocal index_s
            start = time.perf_counter()
            method(*args, **kwargs)
            index_s += time.perf_counter() - start

        return run

    # build.py indexes through SearchIndex, batch by batch while the YAML is read
    SearchIndex.add = timed(add)  # type: ignore[method-assign]
    SearchIndex.finish = timed(finish)  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        if yaml_path.stat().st_size <= MAX_FILE_BYTES:
            source = "the YAML through the real loader"
            build.build_from_yaml(yaml_path, db_path)
        else:
            source = "the same data validated in memory (the YAML is past the loader's size limit)"
            glossary = Glossary.model_validate(data)
            build.build_database(glossary, db_path, data_hash=f"synthetic-{n}")
        build_s = time.perf_counter() - start
    finally:
        SearchIndex.add, SearchIndex.finish = add, finish  # type: ignore[method-assign]
    return Built(
        db_path,
        terms,
        source,
        build_s,
        index_s,
        yaml_path.stat().st_size / 1e6,
        db_path.stat().st_size / 1e6,
    )


def table_sizes(connection: sqlite3.Connection) -> dict[str, float]:
    try:
        rows = connection.execute(
            "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
    except sqlite3.Error:
        return {}
    return {name: size / 1e6 for name, size in rows if name.startswith(("search", "sqlite_a"))}


def run(n: int, rounds: int, directory: Path) -> tuple[list[str], list[str]]:
    built = build_db(n, directory)
    uri = f"file:{built.db_path}?mode=ro"
    connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
    qs = queries(built.terms)

    start = time.perf_counter()
    search.prepare(connection)  # the typo index, loaded once per data hash
    load_ms = (time.perf_counter() - start) * 1e3
    typos._typo_cache.clear()  # load it again under tracemalloc to weigh it
    tracemalloc.start()
    search.prepare(connection)
    typo_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()

    def baseline(query: str) -> object:
        key = search.normalize(query[:800])[:200]
        return connection.execute("SELECT term FROM search_key WHERE key = ?", (key,)).fetchall()

    results = {
        "baseline: normalize + exact-key SELECT": timed(baseline, qs, rounds),
        "search(limit=20)": timed(lambda q: search.search(connection, q), qs, rounds),
        "suggest(limit=10)": timed(lambda q: search.suggest(connection, q), qs, rounds),
    }
    target = TARGET_MS.get(n)
    rows = []
    for name, samples in results.items():
        p50, p95, p99 = percentiles(samples)
        verdict = (
            ""
            if name.startswith("baseline") or target is None
            else ("✅" if p95 <= target else "❌")
        )
        rows.append(
            f"| {n:,} | {name} | {len(samples)} | {p50:.2f} | {p95:.2f} | {p99:.2f} "
            f"| {max(samples):.2f} | {target or '–'} {verdict} |"
        )
    kinds = sorted({kind for kind, _ in qs}, key=[k for k, _ in qs].index)
    detail = []
    for kind in kinds:
        subset = [(k, q) for k, q in qs if k == kind]
        s_p50, s_p95, _ = percentiles(timed(lambda q: search.search(connection, q), subset, 3))
        g_p50, g_p95, _ = percentiles(timed(lambda q: search.suggest(connection, q), subset, 3))
        found = sum(1 for _, q in subset if search.search(connection, q))
        detail.append(
            f"| {n:,} | {kind} | {len(subset)} | {found} | {s_p50:.2f} | {s_p95:.2f} "
            f"| {g_p50:.2f} | {g_p95:.2f} |"
        )
    sizes = ", ".join(f"{k} {v:.1f} MB" for k, v in table_sizes(connection).items())
    print(
        f"- {n:,} terms: YAML {built.yaml_mb:.1f} MB; built from {built.source} in "
        f"{built.build_s:.1f} s, of which search indexing {built.index_s:.1f} s; database "
        f"{built.db_mb:.1f} MB ({sizes}); typo index: {load_ms:.0f} ms to load, {typo_mb:.1f} MB",
        flush=True,
    )
    connection.close()
    return rows, detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    all_rows: list[str] = []
    all_detail: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        for n in args.sizes:
            rows, detail = run(n, args.rounds, Path(tmp))
            all_rows += rows
            all_detail += detail
    print()
    print("| terms | what | queries | p50 ms | p95 ms | p99 ms | max ms | target p95 ms |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(all_rows))
    print()
    print(
        "| terms | query kind | n | with results | search p50 | search p95 "
        "| suggest p50 | suggest p95 |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    print("\n".join(all_detail))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
