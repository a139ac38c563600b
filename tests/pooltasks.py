"""Tasks for the worker pool's tests (tests/test_pool.py): module-level, so a spawned worker imports them."""

from __future__ import annotations

import signal
import time


def double(n: int) -> int:
    return 2 * n


def fails() -> None:
    raise RuntimeError("injected failure")


def slow() -> None:
    time.sleep(120)  # the time limit stops it long before


def stuck() -> int:
    """As a worker stuck in native code: the time limit's signal cannot reach it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(120)  # far past the pool's wait; were it not stopped, its value would come back
    return -1
