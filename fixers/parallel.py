"""Run files over every core and hand their results back in path order.

Answers from the cache come first (the parent hashes each file; that is cheap); the rest runs in
this process when it is small, else in a process pool. Workers only compute: they return plain
``FileResult`` objects and never print, so output is the same for any ``-j``; only this process
stores results in the cache. Workers die with this process (``lifeline.py``), and Ctrl-C or an
error here stops them at once.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Iterator, Optional, Sequence

from .runner import WRITE, FileResult, Options, PerPath, options_of, process_chunk, process_paths
from .sources import FileError, read_bytes

# Below this much source the pool's start-up (about 20 ms with fork, 200 ms with spawn per
# worker) costs more than it saves.
PARALLEL_MIN_BYTES = 256 * 1024
PARALLEL_MIN_FILES = 4
# Several chunks per worker balance uneven files; chunks keep the per-task overhead small.
_CHUNKS_PER_WORKER = 8
_MAX_CHUNK = 16
# None: fork where it is safe and available (Linux), else spawn. Tests set "spawn".
START_METHOD: Optional[str] = None

Progress = Callable[[FileResult], None]


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run(paths: Sequence[str], options: PerPath, jobs: int, cache=None,
        on_result: Optional[Progress] = None) -> list[FileResult]:
    """One result per path, in the order of ``paths``."""
    results: dict[str, FileResult] = {}
    todo = []
    for path in paths:
        hit = _cached(cache, path, options_of(options, path))
        if hit is not None:
            results[path] = hit
            if on_result is not None:
                on_result(hit)
        else:
            todo.append(path)
    keyer = cache.keyer if cache is not None else None
    if jobs > 1 and _worth_a_pool(todo):
        computed = _in_pool(todo, options, jobs, keyer, on_result)
    else:
        computed = _here(todo, options, keyer, on_result)
    for result in computed:
        results[result.path] = result
        if cache is not None and result.cache_key is not None:
            cache.put(result.cache_key, result)
    return [results[path] for path in paths]


def _cached(cache, path: str, options: Options) -> Optional[FileResult]:
    if cache is None:
        return None
    try:
        data, _ = read_bytes(path)  # a FIFO or /dev/zero is refused here too, without blocking
    except FileError:
        return None  # the run reports it
    hit = cache.get(cache.key(path, data, options), path)
    if hit is not None and options.mode == WRITE and hit.applied:
        return None  # the fixes still have to be written
    return hit


def _worth_a_pool(paths: Sequence[str]) -> bool:
    if len(paths) < PARALLEL_MIN_FILES:
        return False
    size = 0
    for path in paths:
        try:
            size += os.path.getsize(path)
        except OSError:
            pass
        if size >= PARALLEL_MIN_BYTES:
            return True
    return False


def _here(paths, options, keyer, on_result) -> Iterator[FileResult]:
    for result in process_paths(paths, options, keyer):
        if on_result is not None:
            on_result(result)
        yield result


def _context():
    import multiprocessing

    method = START_METHOD
    if method is None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _worker_init(parent: int) -> None:
    import signal

    from . import lifeline

    # Ctrl-C reaches the whole process group: the parent alone handles it (and stops the
    # workers), and no worker prints a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lifeline.bind(parent)


def _in_pool(paths, options, jobs, keyer, on_result) -> list[FileResult]:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = _context()
    if context.get_start_method() == "fork":
        from . import apply  # noqa: F401  (loaded once here, shared by every forked worker)
    size = max(1, min(_MAX_CHUNK, len(paths) // (jobs * _CHUNKS_PER_WORKER)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    out: list[FileResult] = []
    pool = ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context,
                               initializer=_worker_init, initargs=(os.getpid(),))
    try:
        chunk_of = {pool.submit(process_chunk, chunk, _for_chunk(options, chunk), keyer): chunk
                    for chunk in chunks}
        pending = set(chunk_of)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                for result in _chunk_results(future, chunk_of[future]):
                    out.append(result)
                    if on_result is not None:
                        on_result(result)
    except BaseException:  # Ctrl-C or an error here: the workers stop now, not after their chunk
        _stop(pool)
        raise
    pool.shutdown(wait=True)
    return out


def _stop(pool) -> None:
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        try:
            process.kill()
        except (OSError, ValueError, AttributeError):
            pass
    for process in workers:
        try:
            process.join(5)
        except (OSError, ValueError, AssertionError, AttributeError):
            pass


def _for_chunk(options: PerPath, chunk: Sequence[str]) -> PerPath:
    """Only the chunk's own options travel to the worker."""
    return options if isinstance(options, Options) else {p: options[p] for p in chunk}


def _chunk_results(future, chunk: Sequence[str]) -> list[FileResult]:
    try:
        return future.result()
    except Exception as exc:  # a worker killed (out of memory, a crash in C): its files fail
        reason = f"internal error: worker process failed: {type(exc).__name__}: {exc}"
        return [FileResult(path, error=reason) for path in chunk]
