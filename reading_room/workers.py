"""Where the per-report stages run: in this process, on every core, or on a Dask cluster.

Each stage hands ``map`` a module-level function and a list of jobs and gets the
results back in the order of the jobs, so the output never depends on where they
ran: a build on a cluster is byte for byte the local one.

* :class:`LocalWorkers`: a process pool on this machine's cores, started on first
  need and only when there are enough jobs to pay for the processes.
* :func:`in_background`: one whole-corpus job in a forked process, alongside the build.
* :class:`Feed`: the same, forked before the corpus is read (so that the process does not
  carry a copy of it) and fed what it needs in batches.
* :class:`ClusterWorkers`: a Dask distributed scheduler (``--cluster ADDRESS``, or
  ``--cluster local`` for a cluster of this machine's cores). Its workers must run
  the same code: they import ``reading_room`` (start them from a checkout of the
  same commit, e.g. ``PYTHONPATH=. dask worker ADDRESS``), and the build stops with
  a message when their copy of the code differs from this one.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor

from .guard import die_with, die_with_parent, fault_point

PARALLEL_THRESHOLD = 24  # below this many jobs a process pool costs more than it saves
BATCH = 8  # jobs per cluster task: a task costs the scheduler about a millisecond
IN_FLIGHT_PER_THREAD = 4  # tasks handed to a cluster ahead of the results read back
CONNECT_TIMEOUT = "20s"  # Dask retries a scheduler that does not answer until then


class WorkersError(RuntimeError):
    pass


class LocalWorkers:
    """Runs jobs on every core when there are enough of them to pay for the processes
    (started once, on first need, for all the stages that use them)."""

    def __init__(self, jobs: int | None = None, fresh: bool = False):
        """``fresh``: the workers start from a small server process (forkserver), not as forks of
        this one: forked from a build that holds the corpus, each would carry a copy of it."""
        self.workers = jobs or os.cpu_count() or 1
        self.context = None
        if fresh and "forkserver" in multiprocessing.get_all_start_methods():
            self.context = multiprocessing.get_context("forkserver")
            # the server imports nothing of the program that started it (by default it runs its
            # __main__ again): jobs are module-level functions of reading_room, found by name
            self.context.set_forkserver_preload([])
        self.pool: ProcessPoolExecutor | None = None

    def map(self, function, jobs: list, progress=None, stage: str = ""):
        """``function`` over ``jobs``, results in order; ticks ``progress`` as they come."""
        if self._parallel(jobs):
            results = self._pool().map(function, jobs, chunksize=8)
        else:
            results = map(function, jobs)
        for result in results:
            if progress:
                progress.advance(stage)
            fault_point("workers-running" if self.pool is not None else "")
            yield result

    def started(self, function, jobs: list):
        """``function`` over ``jobs`` started now (on the workers when there are enough jobs);
        returns a function that waits for the results, in order."""
        if self._parallel(jobs):
            results = self._pool().map(function, jobs)  # submitted at once: Executor.map is not lazy
            return lambda: list(results)
        return lambda: [function(job) for job in jobs]

    def _parallel(self, jobs: list) -> bool:
        return len(jobs) >= PARALLEL_THRESHOLD and self.workers > 1

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # a worker dies with the build that started it (no orphans after a kill); one started
            # by the fork server is not the build's child and watches the build itself
            start, args = (die_with_parent, ()) if self.context is None else (die_with, (os.getpid(),))
            self.pool = ProcessPoolExecutor(max_workers=self.workers, initializer=start, initargs=args,
                                            mp_context=self.context)
        return self.pool

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)


def _run_batch(function, jobs: list) -> list:
    return [function(job) for job in jobs]


def _code_version() -> str:
    from .cache import code_version
    return code_version()


class ClusterWorkers:
    """Runs jobs on a Dask distributed cluster; results come back in the order of the jobs.

    Jobs go in batches of ``BATCH``, a window at a time (``IN_FLIGHT_PER_THREAD`` per worker thread), so
    a corpus of 100,000 texts is never all in flight, and in this process's memory, at once."""

    def __init__(self, address: str, jobs: int | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise WorkersError("--cluster needs Dask distributed: pip install -r requirements-cluster.txt") from None
        self.cluster = None
        try:
            if address == "local":
                self.cluster = LocalCluster(n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1,
                                            processes=True, dashboard_address=None)
                address = self.cluster.scheduler_address
            self.client = Client(address, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as err:
            self.close()
            raise WorkersError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        theirs = set(self.client.run(_code_version).values())
        if theirs != {_code_version()}:
            self.close()
            raise WorkersError(f"the workers of {address} run other code than this checkout "
                               "(start them from the same commit)")
        threads = sum(self.client.nthreads().values()) or 1
        self.window = threads * IN_FLIGHT_PER_THREAD

    def map(self, function, jobs: list, progress=None, stage: str = ""):
        pending: deque = deque()
        for at in range(0, len(jobs), BATCH):
            pending.append(self.client.submit(_run_batch, function, jobs[at:at + BATCH], pure=False))
            if len(pending) >= self.window:
                yield from self._results(pending.popleft(), progress, stage)
        while pending:
            yield from self._results(pending.popleft(), progress, stage)

    @staticmethod
    def _results(future, progress, stage):
        results = future.result()
        future.release()
        for result in results:
            if progress:
                progress.advance(stage)
            yield result

    def close(self):
        client, self.client = getattr(self, "client", None), None
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def workers_for(cluster: str | None, jobs: int | None):
    """The workers a build runs its per-report stages on: started from a small server, not forked
    from the build, which by then holds every source file's bytes (a forked worker's memory
    grows toward its parent's as the two run)."""
    return ClusterWorkers(cluster, jobs) if cluster else LocalWorkers(jobs, fresh=True)


def _background_job(sender, function, args) -> None:
    """In the forked process: run the job, hand its result (or its error) over, and exit, so
    its memory is given back as soon as the result is in the parent, not when it is asked for."""
    die_with_parent()
    try:
        outcome = (True, function(*args))
    except BaseException as err:  # handed to the parent, which raises it where it waits
        outcome = (False, err)
    try:
        sender.send(outcome)
    except Exception as err:  # the result or the error does not pickle
        sender.send((False, WorkersError(f"the background job's result could not be handed over: {err}")))
    finally:
        sender.close()


def in_background(function, *args, jobs: int | None = None):
    """``function(*args)`` in a forked process (which inherits the arguments, a corpus of
    reports, without copying them) while this one goes on; returns a function that waits for
    the result. Runs it here, at once, on one core or where fork is missing."""
    if (jobs or os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        result = function(*args)
        return lambda: result
    return _forked(function, args, daemon=True)


class Feed:
    """``function(items, *args)`` in a process forked now, while this one is still small, fed
    ``items`` later in batches (``send``). A process forked from a build holding 74,545
    reports carries all of them (0.6 GB more, counted in both); this one gets only what it is
    sent. ``close()`` returns a function that waits for the result. On one core, or where fork
    is missing, the items are kept here and the function runs at ``close()``."""

    def __init__(self, function, *args, jobs: int | None = None):
        self.function, self.args, self.sender, self.kept = function, args, None, None
        if (jobs or os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            self.kept = []
            return
        receiver, self.sender = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.wait = _forked(_fed, (receiver, self.sender, function, args), daemon=True)
        receiver.close()

    def send(self, items: list) -> None:
        if self.kept is not None:
            self.kept.extend(items)
            return
        try:
            self.sender.send(items)
        except OSError:  # the process ended early: waiting for it tells why
            pass

    def close(self):
        if self.kept is not None:
            result = self.function(iter(self.kept), *self.args)
            self.kept = None
            return lambda: result
        self._hang_up(None)
        return self.wait

    def _hang_up(self, last) -> None:
        if self.sender is not None:
            try:
                self.sender.send(last)
            except OSError:
                pass
            self.sender.close()
            self.sender = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._hang_up(_ABANDONED)  # the build failed before close(): the process ends


_ABANDONED = "abandoned"


def _fed(receiver, sender, function, args):
    """In the fed process: ``function`` over the items as they come."""
    sender.close()  # the parent's end

    def items():
        while (batch := receiver.recv()) is not None:
            if batch == _ABANDONED:
                raise WorkersError("the build ended before sending every item")
            yield from batch
    return function(items(), *args)


def give_back_memory() -> None:
    """Return to the system what this process freed: glibc keeps freed memory for the process
    (0.26 GB after the formulation index at 74,545 news items), so the next stage's peak
    would sit on top of it."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to ask
        pass


def in_own_process(function, *args):
    """``function(*args)`` in a forked process, waited for: every byte it took is given back
    to the system when it returns (memory a process frees stays its own, fragmented, and a
    process forked later would carry it). Its result must be small; here where fork is missing."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*args)
    # not a daemon: it starts processes of its own (the workers, the search index)
    return _forked(function, args, daemon=False)()


def _forked(function, args, daemon: bool):
    """Start ``function(*args)`` in a forked process; a thread here takes the result as soon
    as it is sent, so the process ends then (its memory would otherwise stay taken while this
    one goes on). Returns a function that waits for the result."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_background_job, args=(sender, function, args), daemon=daemon)
    process.start()
    sender.close()  # this end belongs to the child now: its exit ends the pipe
    outcome: list = []

    def receive() -> None:
        try:
            outcome.append(receiver.recv())
        except (EOFError, OSError):
            pass  # the process died without a result: wait() says so
        finally:
            receiver.close()

    taker = threading.Thread(target=receive, daemon=True)
    taker.start()

    def wait():
        taker.join()
        process.join()
        if not outcome:
            raise WorkersError(f"the background job ({function.__name__}) ended without a result "
                               f"(exit code {process.exitcode})")
        ok, value = outcome.pop()
        if not ok:
            raise value
        return value

    return wait
