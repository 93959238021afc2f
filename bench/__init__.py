"""Benchmarks: speed and memory measured by scripts, never by timed tests (DEVELOPERS.md)."""
