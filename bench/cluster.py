"""Which engine runs the per-report stages beyond one machine: Dask distributed or Ray.

Times, in one run on the same texts, the conversion map (decode, clean, metadata,
outline of every text) on: this process, the local process pool the build uses, a
local Dask cluster, and (if Ray is installed) a local Ray cluster: the start of each
cluster, the map itself, and that every engine gives the same reports.

    python bench/cluster.py CORPUS_DIR [--workers 2] [--ray]

Ray is not a dependency of the project: to include it, run this script from an
environment that has it (pip install ray).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reading_room import conversion  # noqa: E402
from reading_room.settings import load_settings  # noqa: E402
from reading_room.workers import ClusterWorkers, LocalWorkers  # noqa: E402


def jobs_of(corpus: Path) -> list:
    settings = load_settings(corpus)
    return [(source, source.path.read_bytes(), settings, frozenset()) for source in conversion.find_sources(corpus)]


def digest_of(results) -> str:
    from reading_room.cache import digest
    return digest(*(r.to_dict() if r is not None else reason for r, reason in results))


def timed(label: str, start, run, rows: list):
    t0 = time.perf_counter()
    engine = start()
    t1 = time.perf_counter()
    results = run(engine)
    t2 = time.perf_counter()
    rows.append((label, t1 - t0, t2 - t1, digest_of(results)))
    return engine


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", type=Path)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--ray", action="store_true", help="also measure a local Ray cluster")
    args = p.parse_args(argv)
    jobs = jobs_of(args.corpus)
    rows: list = []

    timed("this process", lambda: None, lambda _: [conversion._convert_job(j) for j in jobs], rows)

    pool = timed("process pool", lambda: LocalWorkers(args.workers),
                 lambda w: list(w.map(conversion._convert_job, jobs)), rows)
    pool.__exit__(None, None, None)

    dask = timed("Dask distributed (local)", lambda: ClusterWorkers("local", args.workers),
                 lambda w: list(w.map(conversion._convert_job, jobs)), rows)
    dask.close()

    if args.ray:
        import ray

        def start_ray():
            ray.init(num_cpus=args.workers, include_dashboard=False, log_to_driver=False)
            return ray.remote(lambda batch: [conversion._convert_job(j) for j in batch])

        def run_ray(remote):
            refs = [remote.remote(jobs[i:i + 8]) for i in range(0, len(jobs), 8)]
            return [r for batch in ray.get(refs) for r in batch]

        timed(f"Ray {ray.__version__} (local)", start_ray, run_ray, rows)
        ray.shutdown()

    print(f"{len(jobs)} texts from {args.corpus}, {args.workers} workers")
    print("| engine | start | conversion map | same reports |")
    print("|---|---:|---:|---|")
    for label, start, run, result in rows:
        print(f"| {label} | {start:.2f} s | {run:.2f} s | {'yes' if result == rows[0][3] else 'NO'} |")
    return 0 if all(r[3] == rows[0][3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
