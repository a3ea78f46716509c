"""Tasks for worker processes, the last of them done by this process; every result in order.

A thread hands the tasks over one by one (handing over the first waits until the fork server is
ready, a few tenths of a second) while this process takes tasks from the other end: first the
ones not handed over yet, then the ones handed over that no worker has started. What this process
does itself is never pickled. One more task, ``also`` (one long one: the bibliography), goes first.
"""

from __future__ import annotations

import contextlib
import multiprocessing.context
import pickle
import threading
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

#: A task: a module-level function (workers import it by name) and its arguments.
Task = tuple[Callable[..., Any], tuple[Any, ...]]
#: What makes a pool unusable: no processes to be had, a worker that died, a result that cannot be sent.
POOL_ERRORS = (OSError, RuntimeError, ImportError, BrokenProcessPool, pickle.PicklingError)


class TaskPool:
    """``tasks`` (and ``also``) shared between ``workers`` processes and this one; see :meth:`results`."""

    def __init__(self, tasks: list[Task], workers: int, context: multiprocessing.context.BaseContext, also: Task | None) -> None:
        self._tasks = tasks
        self._also = also
        self._also_future: Future[Any] | None = None
        self._futures: list[Future[Any] | None] = [None] * len(tasks)  # None: not handed over
        #: Tasks _next.._last are neither handed over nor done here yet.
        self._lock = threading.Lock()
        self._next, self._last = 0, len(tasks) - 1
        self._executor: ProcessPoolExecutor | None = ProcessPoolExecutor(workers, mp_context=context)
        self._submitter: threading.Thread | None = threading.Thread(target=self._submit_all, name="evidence-submit", daemon=True)
        try:
            self._submitter.start()
        except RuntimeError:  # no thread to be had: no workers left behind either
            self._submitter = None
            self._executor.shutdown(wait=True)
            raise

    def _submit_all(self) -> None:
        executor = self._executor
        assert executor is not None
        try:
            if self._also is not None:
                function, args = self._also
                self._also_future = executor.submit(function, *args)
            while True:
                with self._lock:
                    if self._next > self._last:
                        return
                    i = self._next
                    self._next += 1
                function, args = self._tasks[i]
                self._futures[i] = executor.submit(function, *args)
        except POOL_ERRORS:
            return  # what was not handed over is done by this process

    def _join_submitter(self) -> None:
        if self._submitter is not None:
            self._submitter.join()
            self._submitter = None

    def results(self) -> list[Any] | None:
        """Every task's result, in order; None when the workers failed (the caller then does the work itself)."""
        try:
            return self._gather()
        except POOL_ERRORS:
            return None
        finally:
            self.stop()

    def _gather(self) -> list[Any]:
        tasks, futures = self._tasks, self._futures
        done: list[Any] = [None] * len(tasks)
        while True:  # the ones not handed over yet, from the last
            with self._lock:
                if self._last < self._next:
                    break
                i = self._last
                self._last -= 1
            function, args = tasks[i]
            done[i] = function(*args)
        self._join_submitter()
        for i in reversed(range(len(tasks))):  # then the ones handed over that no worker has taken
            if done[i] is not None:
                continue
            future = futures[i]
            if future is not None and not future.cancel():
                break  # this one and all before it are with the workers
            function, args = tasks[i]
            done[i] = function(*args)
        return [found if found is not None else _result(future) for found, future in zip(done, futures, strict=True)]

    def also_result(self) -> Any:
        """What ``also`` returned: from its worker, or done here when no worker had it or the pool failed."""
        assert self._also is not None
        self._join_submitter()  # it hands ``also`` over first
        future, self._also_future = self._also_future, None
        if future is not None:
            with contextlib.suppress(*POOL_ERRORS, CancelledError):
                return future.result()
        function, args = self._also
        return function(*args)

    def stop(self) -> None:
        """Hand nothing more over, cancel what no worker has started and wait for the workers to end."""
        if self._submitter is not None:
            with self._lock:
                self._last = -1
            self._join_submitter()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _result(future: Future[Any] | None) -> Any:
    assert future is not None  # every task was handed over or done here
    return future.result()
