"""Work on the store bounded in time and stoppable with Ctrl-C (issue 14 #7).

The embedded store evaluates a SPARQL query inside Rust: Python sees no Ctrl-C and no timer
until the answer is complete, and a query matching everything against everything can run for
hours. ``run_bounded`` therefore runs the work in a forked child process that sends back its
answer (or its one-line error) through a pipe; the command waits for it with the deadline.
Past the deadline, or on Ctrl-C or SIGTERM, the child is killed (SIGKILL: nothing of the
store's is written by a query) and the command ends at once. The child also dies with the
command if the command itself is killed (PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import os
from typing import Callable

from ..errors import ConfigError, UserError


class Deadline(ConfigError):
    """The work ran past its deadline and was stopped."""


def run_bounded(work: Callable[[], str], timeout: float | None, what: str = "the query",
                fix: str = "") -> str:
    """``work()`` in a child process; its result, or its ``UserError`` raised again here. ``timeout``
    in seconds (None or 0: no limit). Raises ``Deadline`` when it runs longer."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(work, writer, os.getpid()), daemon=True)
    child.start()
    writer.close()
    try:
        if not reader.poll(timeout if timeout else None):
            raise Deadline(f"{what} ran for more than {timeout:g} s and was stopped.", fix=fix or None)
        try:
            kind, payload = reader.recv()
        except EOFError:
            raise RuntimeError(f"{what} stopped without an answer (exit status {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        reader.close()
    if kind == "user":
        raise UserError(payload)
    if kind == "internal":
        raise RuntimeError(payload)
    return payload


def _child(work: Callable[[], str], writer, parent: int) -> None:
    import signal

    from .graph_store import _die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the parent decides
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    try:
        message = ("ok", work())
    except UserError as exc:
        message = ("user", str(exc))
    except Exception as exc:  # noqa: BLE001 - reported by the parent as an internal error
        message = ("internal", f"{type(exc).__name__}: {exc}")
    writer.send(message)
    writer.close()
