"""Validate + build time and peak memory for synthetic glossaries of 10,000 and 100,000 terms.

    .venv/bin/python bench/bench_build.py [--sizes 10000 100000]

For each size, writes a glossary with bench/gen_glossary.py, then in fresh processes measures
(a) the baseline — PyYAML's C loader reading the same file into plain Python objects, the least
any loader has to do — and (b) `glossary build` (located parsing, validation, cross-checks,
SQLite with search indexes, atomic rename). Prints wall time and peak resident memory against
the targets: ≤ 5 s at 10,000 terms; ≤ 60 s and ≤ 500 MB at 100,000.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {10_000: (5.0, None), 100_000: (60.0, 500.0)}

MEASURE = """
import json, resource, sys, time
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": elapsed, "peak_mb": peak}}))
"""
BASELINE = """
import yaml
yaml.load(open(sys.argv[1], "rb"), Loader=yaml.CSafeLoader)
"""
BUILD = """
from pathlib import Path
from app.glossary.build import build_from_yaml
build_from_yaml(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def measure(body: str, *args: str) -> dict[str, float]:
    script = MEASURE.format(body=body.strip())
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    print("| terms | YAML size | step | seconds | peak MB | target |")
    print("|---:|---:|---|---:|---:|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            yaml_path = Path(tmp) / f"g{size}.yaml"
            subprocess.run(
                [sys.executable, "bench/gen_glossary.py", str(size), str(yaml_path)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            mb = yaml_path.stat().st_size / 1e6
            base = measure(BASELINE, str(yaml_path))
            built = measure(BUILD, str(yaml_path), str(Path(tmp) / f"g{size}.sqlite"))
            seconds, memory = TARGETS.get(size, (None, None))
            target = " and ".join(
                part
                for part in (
                    f"≤ {seconds:g} s" if seconds else "",
                    f"≤ {memory:g} MB" if memory else "",
                )
                if part
            )
            print(
                f"| {size:,} | {mb:.1f} MB | baseline: yaml.load (C loader) | "
                f"{base['seconds']:.1f} | {base['peak_mb']:.0f} | |"
            )
            ok = (seconds is None or built["seconds"] <= seconds) and (
                memory is None or built["peak_mb"] <= memory
            )
            print(
                f"| {size:,} | {mb:.1f} MB | validate + build | {built['seconds']:.1f} | "
                f"{built['peak_mb']:.0f} | {target} {'✅' if ok else '❌'} |"
            )


if __name__ == "__main__":
    main()
