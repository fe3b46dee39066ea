"""Run files over every core and hand their results back in path order.

Answers from the cache come first (the parent hashes each file; that is cheap); the rest runs in
this process when it is small, else in a process pool. Workers only compute: they return plain
``FileResult`` objects and never print, so output is the same for any ``-j``.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Iterator, Optional, Sequence

from .runner import WRITE, FileResult, Options, PerPath, options_of, process_chunk, process_paths

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
    if jobs > 1 and _worth_a_pool(todo):
        computed = _in_pool(todo, options, jobs, cache, on_result)
    else:
        computed = _here(todo, options, cache, on_result)
    for result in computed:
        results[result.path] = result
    return [results[path] for path in paths]


def _cached(cache, path: str, options: Options) -> Optional[FileResult]:
    if cache is None:
        return None
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
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


def _here(paths, options, cache, on_result) -> Iterator[FileResult]:
    for result in process_paths(paths, options, cache):
        if on_result is not None:
            on_result(result)
        yield result


def _context():
    import multiprocessing

    method = START_METHOD
    if method is None:
        method = "fork" if sys.platform.startswith("linux") else "spawn"
    return multiprocessing.get_context(method)


def _worker_init() -> None:
    import signal

    # Ctrl-C reaches the whole process group: the parent alone handles it, and no worker prints
    # a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _in_pool(paths, options, jobs, cache, on_result) -> list[FileResult]:
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    context = _context()
    if context.get_start_method() == "fork":
        from . import apply  # noqa: F401  (loaded once here, shared by every forked worker)
    size = max(1, min(_MAX_CHUNK, len(paths) // (jobs * _CHUNKS_PER_WORKER)))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    out: list[FileResult] = []
    with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=context,
                             initializer=_worker_init) as pool:
        chunk_of = {pool.submit(process_chunk, chunk, _for_chunk(options, chunk), cache): chunk
                    for chunk in chunks}
        pending = set(chunk_of)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    for result in _chunk_results(future, chunk_of[future]):
                        out.append(result)
                        if on_result is not None:
                            on_result(result)
        except BaseException:  # Ctrl-C or a dead worker: stop the others, then re-raise
            for future in pending:
                future.cancel()
            raise
    return out


def _for_chunk(options: PerPath, chunk: Sequence[str]) -> PerPath:
    """Only the chunk's own options travel to the worker."""
    return options if isinstance(options, Options) else {p: options[p] for p in chunk}


def _chunk_results(future, chunk: Sequence[str]) -> list[FileResult]:
    try:
        return future.result()
    except Exception as exc:  # a worker killed (out of memory, a crash in C): its files fail
        reason = f"internal error: worker process failed: {type(exc).__name__}: {exc}"
        return [FileResult(path, error=reason) for path in chunk]
