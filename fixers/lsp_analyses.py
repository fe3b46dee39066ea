"""The open documents' analyses, made off the editor server's event loop.

One worker thread analyses; the loop only records what the editor sent and publishes what came
back, so a long analysis never holds up another request. Per document:

* Each change (open, change, save) records a ``Snapshot``: the text and version as the editor
  has them. Only the newest snapshot is ever analysed: changes that arrive while the worker is
  busy replace each other (they are debounced into one analysis).
* Changes less than ``DEBOUNCE`` seconds apart are a burst (typing, a paste, a replayed undo):
  the worker waits until the burst has been quiet for ``DEBOUNCE`` before it starts. A change
  after a pause starts at once.
* An analysis whose snapshot is replaced while it runs stops at its next finding
  (``lint_source``'s ``stop``) and nothing of it is published.
* A finished analysis is kept (with the fix plans of its findings) until the next one replaces
  it: the code actions of that version render those plans, nothing is analysed again.
* Requests (rendering a quick fix) run on a thread of their own; an analysis waits between two
  findings while one runs, so a quick fix is not slowed down by a long analysis elsewhere.

Everything here except the worker loop runs on the event loop's thread.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import queue
import threading
import time
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

logger = logging.getLogger(__name__)

DEBOUNCE = 0.05  # seconds
IDLE = 0.1  # seconds without work after an analysis: garbage is collected then
FULL_COLLECT_EVERY = 20  # analyses; the other idle collections leave the oldest objects alone


@dataclass(eq=False)
class Snapshot:
    """A document as the editor had it at one change."""

    uri: str
    version: Optional[int]
    source: str
    received: float = field(default_factory=time.monotonic)
    burst: bool = False  # the previous change came less than DEBOUNCE before this one

    def same_text(self, other: "Snapshot") -> bool:
        return self is other or (self.version == other.version and self.source == other.source)


class Superseded(Exception):
    """The document changed (or closed) before its analysis was ready."""


class Analyses:
    """``analyse(snapshot, stop)`` runs on the worker thread and returns the analysis
    (``stop()`` turns True once the snapshot is replaced); ``publish(result)`` runs on the loop
    for each analysis of a snapshot that is still the newest."""

    def __init__(self, analyse: Callable[[Snapshot, Callable[[], bool]], Any],
                 publish: Callable[[Any], None],
                 yield_to: Optional[threading.Event] = None) -> None:
        self._analyse = analyse
        self._publish = publish
        self._yield_to = yield_to
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._wanted: dict[str, Snapshot] = {}
        self._done: dict[str, tuple[Snapshot, Any]] = {}
        self._waiters: dict[str, list[tuple[Snapshot, asyncio.Future]]] = {}
        self._queue: queue.Queue = queue.Queue()
        self._queued: set[str] = set()
        self._lock = threading.Lock()
        self._thread: Optional[threading.Thread] = None

    # -- the loop's side ------------------------------------------------------------------

    def update(self, uri: str, version: Optional[int], source: str) -> None:
        """The editor's newest text of ``uri``: analyse it (and nothing older)."""
        if self._thread is None:
            self._loop = asyncio.get_running_loop()
            self._thread = threading.Thread(target=self._work, name="jaxloop-lsp-analysis",
                                            daemon=True)
            self._thread.start()
        previous = self._wanted.get(uri)
        snapshot = Snapshot(uri, version, source)
        snapshot.burst = previous is not None and snapshot.received - previous.received < DEBOUNCE
        self._wanted[uri] = snapshot
        self._drop_waiters(uri, keep=snapshot)
        with self._lock:
            if uri in self._queued:
                return
            self._queued.add(uri)
        self._queue.put(uri)

    def close(self, uri: str) -> None:
        self._wanted.pop(uri, None)
        self._done.pop(uri, None)
        self._drop_waiters(uri, keep=None)

    def stop(self) -> None:
        """No more analyses (shutdown): the running one stops at its next finding."""
        for uri in list(self._wanted):
            self.close(uri)
        self._queue.put(None)

    def current(self, uri: str) -> Optional[Snapshot]:
        return self._wanted.get(uri)

    def is_current(self, snapshot: Snapshot) -> bool:
        wanted = self._wanted.get(snapshot.uri)
        return wanted is not None and wanted.same_text(snapshot)

    async def analysis(self, snapshot: Snapshot) -> Any:
        """The analysis of ``snapshot``, waiting for it if need be. Raises ``Superseded`` if
        the document has changed (or closed) since."""
        if not self.is_current(snapshot):
            raise Superseded()
        done = self._done.get(snapshot.uri)
        if done is not None and done[0].same_text(snapshot):
            return done[1]
        future = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(snapshot.uri, []).append((snapshot, future))
        return await future

    def _drop_waiters(self, uri: str, keep: Optional[Snapshot]) -> None:
        waiting = self._waiters.pop(uri, [])
        for snapshot, future in waiting:
            if keep is not None and snapshot.same_text(keep):
                self._waiters.setdefault(uri, []).append((snapshot, future))
            elif not future.done():
                future.set_exception(Superseded())

    def _finish(self, snapshot: Snapshot, result: Any) -> None:
        if self._wanted.get(snapshot.uri) is not snapshot:
            return  # replaced while it ran: never published
        self._done[snapshot.uri] = (snapshot, result)
        for waiting, future in self._waiters.pop(snapshot.uri, []):
            if not future.done():
                future.set_result(result)
        self._publish(result)

    def _fail(self, snapshot: Snapshot, exc: Exception) -> None:
        """The requests waiting for ``snapshot`` get the analysis's error."""
        if self._wanted.get(snapshot.uri) is not snapshot:
            return
        for waiting, future in self._waiters.pop(snapshot.uri, []):
            if not future.done():
                future.set_exception(exc)

    # -- the worker thread ----------------------------------------------------------------

    def post(self, callback: Callable, *args) -> None:
        """Run ``callback(*args)`` on the loop (from any thread; dropped once it has stopped)."""
        try:
            if self._loop is not None:
                self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed: the server has stopped
            pass

    def _work(self) -> None:
        since_full = 0  # analyses since the last full collection
        dirty = False   # analyses since the last collection
        while True:
            try:
                uri = self._queue.get(timeout=IDLE if dirty else None)
            except queue.Empty:  # nothing to do: collect now, when it delays no one
                full = since_full >= FULL_COLLECT_EVERY
                gc.collect(2 if full else 1)
                since_full, dirty = (0 if full else since_full), False
                continue
            if uri is None:
                return
            with self._lock:
                self._queued.discard(uri)
            snapshot = self._settled(uri)
            if snapshot is None:
                continue

            def stop(snapshot=snapshot) -> bool:
                # Between findings: a request being answered (a quick fix) goes first; with
                # two threads sharing the interpreter it would otherwise get half of it.
                while self._yield_to is not None and self._yield_to.is_set() \
                        and self._wanted.get(snapshot.uri) is snapshot:
                    time.sleep(0.002)
                return self._wanted.get(snapshot.uri) is not snapshot

            since_full, dirty = since_full + 1, True
            try:
                result = self._analyse(snapshot, stop)
            except Superseded:
                continue
            except Exception as exc:  # a bug: say so, keep serving the other documents
                logger.exception("jaxloop-lsp: internal error analysing %s", uri)
                self.post(self._fail, snapshot, exc)
                continue
            self.post(self._finish, snapshot, result)
            del result

    def _settled(self, uri: str) -> Optional[Snapshot]:
        """The newest snapshot of ``uri`` once its burst of changes has been quiet for
        ``DEBOUNCE`` (None: closed meanwhile)."""
        while True:
            snapshot = self._wanted.get(uri)
            if snapshot is None or not snapshot.burst:
                return snapshot
            wait = snapshot.received + DEBOUNCE - time.monotonic()
            if wait <= 0:
                return snapshot
            time.sleep(wait)


class DaemonExecutor(Executor):
    """One daemon thread running submitted calls in order. Unlike a ``ThreadPoolExecutor``,
    it never holds up the process's exit while a call runs. ``busy`` is set while calls are
    queued or running."""

    def __init__(self, name: str) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self.busy = threading.Event()
        self._pending = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._work, name=name, daemon=True).start()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        with self._lock:
            self._pending += 1
            self.busy.set()
        self._jobs.put((future, fn, args, kwargs))
        return future

    def _work(self) -> None:
        while True:
            future, fn, args, kwargs = self._jobs.get()
            try:
                if future.set_running_or_notify_cancel():
                    try:
                        future.set_result(fn(*args, **kwargs))
                    except BaseException as exc:
                        future.set_exception(exc)
            finally:
                with self._lock:
                    self._pending -= 1
                    if not self._pending:
                        self.busy.clear()


def quiet_gc() -> None:
    """Collect garbage only when the analysis thread is idle (``IDLE`` after an analysis).

    The automatic collector walks every tracked object now and then, from whichever thread
    allocates: on a big document it froze the event loop for up to half a second in the middle
    of an analysis, and it cost about a fifth of the analysis time (``runner`` turns it off for
    the same reason). An analysis frees most of what it replaces by reference counting; the
    few cycles left wait for the next idle moment. What the server imported is frozen first,
    so a collection walks only the documents' objects.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
