"""Benchmarks entry point for `make bench`: a placeholder until the first benchmark lands."""

from __future__ import annotations


def main() -> int:
    print("no benchmarks yet")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
