"""Benchmarks entry point for `make bench`.

Discovers ``benchmarks/bench_*.py``; each module exposes ``run() -> dict`` and measures its
own baseline in the same run, so results are read as ratios, not absolute times (CONTRIBUTING).
``python benchmarks/run.py [NAME ...] [--scale F]`` runs only the named modules (``reports`` or
``bench_reports``); ``--scale 0.05`` runs the benchmarks that take a scale on 5 % of the
data. Exit status 1 when a benchmark misses its target (``"ok": False``).
"""

from __future__ import annotations

import argparse
import importlib.util
import inspect
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent


def discover(names: Sequence[str] = ()) -> list[Path]:
    wanted = {n if n.startswith("bench_") else f"bench_{n}" for n in names}
    return [path for path in sorted(HERE.glob("bench_*.py")) if not wanted or path.stem in wanted]


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmarks.{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def table(results: dict[str, dict[str, Any]]) -> str:
    rows = [("benchmark", "measure", "value")]
    for name, result in results.items():
        rows += [(name, key, cell(value)) for key, value in result.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def run_one(module: ModuleType, scale: float) -> dict[str, Any]:
    """`run(scale)` when the benchmark takes a scale, else `run()` (full size only)."""
    if "scale" in inspect.signature(module.run).parameters:
        return dict(module.run(scale=scale))
    return dict(module.run())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks (bench_*.py).")
    parser.add_argument("names", nargs="*", help="only these (e.g. import or bench_import)")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="data size as a fraction of the full size (0.05 for a quick run)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    paths = discover(args.names)
    if not paths:
        print("no benchmarks found")
        return 0
    results: dict[str, dict[str, Any]] = {}
    for path in paths:
        print(f"running {path.stem} (scale {args.scale:g}) …", file=sys.stderr, flush=True)
        results[path.stem.removeprefix("bench_")] = run_one(load(path), args.scale)
    print(table(results))
    return 0 if all(r.get("ok", True) for r in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
