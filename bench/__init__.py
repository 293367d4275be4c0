"""Throughput benchmarks run against the fake Bot API (``python -m bench.<name>`` from the repo root)."""
