"""Worker processes for ``check --store``: the stored years shared between the machine's cores.

The ``shacl`` engine holds the GIL for most of each call (docs/decisions/0024), and the graph checks
are Python, so threads do not overlap; processes do (docs/decisions/0026). The workers are forked
from the command *before* it opens the store: opening RocksDB starts native threads (3, still there
after the store is closed), and a process forked after that could inherit a lock one of them held.
Forked at that point, a worker starts with the command's imports (not yet the data model's: the
command does not need them). Once the command has opened the store and seen that it holds enough years
for the workers, it tells them to start: while it reads the store's contents (the run's serial part),
each imports the rest, reads the catalogue, compiles the shapes and opens the store itself, read-only
(RocksDB allows several read-only openers). Each year is sent to a
worker as its ``StoredYear`` and comes back as its findings (small: most years have none); the
command keeps two years in flight per worker, advances the progress bar as findings come back and
returns them in the years' order, so the output is the in-process path's.

A worker ignores Ctrl-C (the whole process group receives it; the command decides) and dies with the
command (``PR_SET_PDEATHSIG``). On Ctrl-C, SIGTERM or any error the command kills its workers at
once. A worker that stops without an answer (killed, out of memory) is an exit-2 error naming the
year; a ``UserError`` raised in a worker is raised again in the command as it is, and any other
exception is an internal error, as it would be in one process.
"""
from __future__ import annotations

import os
import sys
from collections import deque
from pathlib import Path
from typing import Callable

from ..errors import ConfigError, UserError

# Fewer stored years than this are checked in the command's own process: forking and opening the
# store again cost more than they save (measured: docs/decisions/0026).
MIN_YEARS = 24
IN_FLIGHT = 2  # years sent ahead to each worker, so it never waits for the command between years
# glibc's malloc gives large freed blocks back to the system (unmapped, or trimmed off the heap) and
# takes them again at the next allocation, each page faulted in anew: reading a year's snapshot from
# the store (RocksDB's blocks, the ~0.4 MB literal, its Python copy) cost ~400 minor faults and 1.6 ms
# of system time a year, a tenth of a worker's year. Workers keep freed memory up to these sizes
# (docs/decisions/0034-store-workers-keep-freed-memory.md).
MMAP_THRESHOLD = 8 << 20
TRIM_THRESHOLD = 32 << 20
START = "start"  # tells a worker to make its plan and open the store now, before its first year


def wanted(path: Path, engine: str) -> int:
    """How many worker processes a ``check --store`` of the embedded store at ``path`` should start
    (0: none). ``THSCP_KG_STORE_PROCESSES=N`` sets it (1: none); otherwise one per core for the Rust engines."""
    setting = os.environ.get("THSCP_KG_STORE_PROCESSES", "").strip()
    if setting and (not setting.isdigit() or int(setting) < 1):
        raise ConfigError(f"THSCP_KG_STORE_PROCESSES must be a whole number of processes, 1 or more; "
                          f"it is {setting!r}.", fix="set it to 1 (no worker processes) or the number of cores.")
    if not (path / "CURRENT").exists() or not one_thread():
        return 0  # no store (opening it reports the error), or a process it is not safe to fork
    if setting:
        return int(setting) if int(setting) > 1 else 0
    if engine not in ("shacl", "fast"):
        return 0  # pySHACL: not the store's engine, and not worth a process each
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may run on (a CI job's share)
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return min(cores, 4) if cores > 1 else 0


def one_thread() -> bool:
    """Whether this process runs one thread only (Linux: /proc), so a fork copies no lock another
    thread holds. Anywhere else, or with threads (an open store, a test runner's), no processes."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for reuse (see MMAP_THRESHOLD): True when it agreed.
    Elsewhere (another C library, no ``mallopt``) nothing changes: only the system time is lost."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    m_trim_threshold, m_mmap_threshold = -1, -3   # glibc's <malloc.h>
    return mallopt(m_mmap_threshold, MMAP_THRESHOLD) == 1 and mallopt(m_trim_threshold, TRIM_THRESHOLD) == 1


def forced() -> bool:
    """Whether the number of processes was set by the environment (then small stores use them too)."""
    return bool(os.environ.get("THSCP_KG_STORE_PROCESSES", "").strip())


class YearProcesses:
    """``n`` forked workers, each running ``check(backend, year)`` on its own ``open_store()``. ``on_start``
    runs first in each worker, then, at ``start()`` or else at its first year, ``make_check()`` (which
    gives ``check``: it reads the catalogue and compiles the shapes) and ``open_store()``; a failure of
    either is the answer for the first year. Workers never started nor sent a year (a small store,
    checked in this process) cost only the fork."""

    def __init__(self, n: int, open_store: Callable[[], object], make_check: Callable[[], Callable[[object, object], list]],
                 on_start: Callable[[], None] | None = None) -> None:
        import multiprocessing as mp

        ctx = mp.get_context("fork")  # see the module: forked before this process opens the store
        self._workers: list[tuple] = []
        try:
            for _ in range(n):
                ours, theirs = ctx.Pipe()
                proc = ctx.Process(target=_serve, args=(theirs, open_store, make_check, on_start), daemon=True)
                proc.start()
                theirs.close()
                self._workers.append((proc, ours))
        except BaseException:
            self.close()
            raise

    def __len__(self) -> int:
        return len(self._workers)

    def start(self) -> None:
        """Let every worker make its plan and open the store now, before the years are sent (while this
        process reads the store's contents); without it, each does so at its first year."""
        for _, conn in self._workers:
            conn.send(START)

    def map(self, years: list, progress=None, meanwhile: Callable[[], None] | None = None) -> list[list]:
        """The findings of each of ``years``, in their order. ``meanwhile()`` runs here once the workers
        have their first years (what this process would otherwise do before they start); what it raises
        stops the run."""
        from multiprocessing.connection import wait

        todo = deque(enumerate(years))
        out: list = [None] * len(years)
        sent: dict[int, dict[int, object]] = {i: {} for i in range(len(self._workers))}  # worker → index → year
        by_conn = {conn: i for i, (_, conn) in enumerate(self._workers)}
        by_sentinel = {proc.sentinel: i for i, (proc, _) in enumerate(self._workers)}

        def feed(w: int) -> None:
            while len(sent[w]) < IN_FLIGHT and todo:
                index, year = todo.popleft()
                self._workers[w][1].send((index, year))
                sent[w][index] = year

        for w in range(len(self._workers)):
            feed(w)
        if meanwhile is not None:
            meanwhile()
        left = len(years)
        while left:
            for ready in wait(list(by_conn) + list(by_sentinel)):
                w = by_conn.get(ready)
                if w is None:  # a worker ended: take what it sent before, then it must owe nothing
                    w = by_sentinel[ready]
                    conn = self._workers[w][1]
                    while sent[w] and conn.poll():
                        left -= self._take(w, conn, sent, out, progress)
                    if sent[w]:
                        raise self._stopped(w, next(iter(sent[w].values())))
                    continue
                left -= self._take(w, ready, sent, out, progress)
                feed(w)
        return out

    def _take(self, w: int, conn, sent: dict, out: list, progress) -> int:
        try:
            index, kind, payload = conn.recv()
        except (EOFError, OSError):
            raise self._stopped(w, next(iter(sent[w].values()), None)) from None
        year = sent[w].pop(index)
        if kind == "user":
            raise payload
        if kind == "internal":
            raise RuntimeError(f"checking {year.key} in a worker process: {payload}")
        out[index] = payload
        if progress is not None:
            progress.advance(note=year.key)
        return 1

    def _stopped(self, w: int, year) -> ConfigError:
        proc = self._workers[w][0]
        proc.join(1)
        code = proc.exitcode
        how = (f"was killed by signal {-code}" if code is not None and code < 0
               else f"ended with exit status {code}" if code is not None else "stopped answering")
        what = f" while checking {year.key}" if year is not None else ""
        return ConfigError(f"a worker process of check --store {how}{what}; nothing was written.",
                           fix="run the check again; if a worker stops again, the machine may be short of memory "
                               "(signal 9): set THSCP_KG_STORE_PROCESSES=1 to check in one process.")

    def close(self) -> None:
        """Stop every worker at once (their work is only ever findings sent back) and reap it."""
        for proc, conn in self._workers:
            if proc.is_alive():
                proc.kill()
        for proc, conn in self._workers:
            proc.join()
            conn.close()
        self._workers = []

    def __enter__(self) -> "YearProcesses":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _serve(conn, open_store: Callable[[], object], make_check: Callable[[], Callable[[object, object], list]],
           on_start: Callable[[], None] | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the command decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    keep_freed_memory()
    if on_start is not None:
        on_start()
    backend = check = failed = None
    started = False
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the command closed the pipe: done
            return
        if not started:
            # Made at START (sent once the command knows the store is big enough), while it reads the
            # store's contents, its serial part; else at the first year. A failure is kept and answered
            # for the first year, as it would have been raised there.
            started = True
            try:
                check = make_check()
                backend = open_store()
            except Exception as exc:  # noqa: BLE001 - UserError or internal, reported below
                failed = exc
        if message == START:
            continue
        index, year = message
        try:
            if failed is not None:
                raise failed
            message = (index, "ok", check(backend, year))
        except UserError as exc:
            message = (index, "user", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the command as an internal error
            message = (index, "internal", f"{type(exc).__name__}: {exc}")
        conn.send(message)
