"""The benchmark the project ships (docs/performance.md): `bench/run.py --scale S`."""
