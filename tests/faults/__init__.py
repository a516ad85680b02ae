"""Fault injection: real processes killed with real signals, full disks, read-only and corrupt caches."""
