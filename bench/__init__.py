"""Benchmarks of dockgen's commands, run as a user runs them (`python -m bench.<name>`)."""
