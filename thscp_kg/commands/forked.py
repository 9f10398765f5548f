"""A function computed in a forked child process while the caller goes on (issue 16: the second core).

``start(fn, *args)`` forks; the child runs ``fn(*args)`` and sends back its pickled value through a
pipe; ``Forked.result()`` gives it. Nothing here ever changes what is computed: when the child fails
in any way (an exception, a value that cannot be pickled, a signal), ``result()`` says so
(``FAILED``) and the caller computes the value itself, in process, exactly as without a child, so
errors surface as they always did. Text the child writes to ``sys.stdout``/``sys.stderr`` is kept
and written by the parent when it takes the result, where the in-process run would have written it.

A fork is made only when it is safe and asked for: on Linux, by a command-line run (``enable``, set
by ``cli.main`` for the process's own command line, never for in-process callers such as the tests),
unless ``THSCP_KG_PARALLEL=off``, and only while the process has a single thread (counted in
/proc/self/task, so native threads count too): a fork copies only the calling thread, and a lock
another thread held would stay locked in the child. It is also made only when a core is likely free
(the 1-minute load average below the usable cores minus a half), unless ``THSCP_KG_PARALLEL=on``. ``close()`` (also on Ctrl-C or SIGTERM in the
parent) kills the child and reaps it, so no process is left behind.
"""
from __future__ import annotations

import os
import signal
import sys

ENV_VAR = "THSCP_KG_PARALLEL"
NICE = 10
FAILED = object()   # result() when the child did not give a value
_enabled = False


def enable(on: bool = True) -> None:
    """Allow forks in this process (the command line's own run)."""
    global _enabled
    _enabled = on


def can_fork() -> bool:
    setting = os.environ.get(ENV_VAR, "").lower()
    if not _enabled or sys.platform != "linux" or setting in ("off", "0", "no"):
        return False
    from ..store.processes import one_thread

    if not one_thread():
        return False
    try:
        # A child helps only on a free core: on a busy machine it competes with this process and its work
        # is added to the run (measured, decision 0027). "on" forks whatever the load.
        return setting == "on" or os.getloadavg()[0] < len(os.sched_getaffinity(0)) - 0.5
    except OSError:
        return False


class Forked:
    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self._fd, self.status = pid, fd, None

    def result(self):
        """The child's value (its output written first), or FAILED."""
        import pickle

        chunks = []
        try:
            while True:
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            self.close(wait=True)   # the pipe is closed: the child is exiting
        finally:
            self.close()
        try:
            ok, value, out, err = pickle.loads(b"".join(chunks))
        except Exception:   # the child died before it sent everything (killed, out of memory)
            return FAILED
        if not ok or self.status != 0:
            return FAILED
        sys.stdout.write(out)
        sys.stderr.write(err)
        return value

    def close(self, wait: bool = False) -> None:
        """Reap the child: wait for it (``wait``), else stop it if it still runs."""
        if self._fd is None:
            return
        os.close(self._fd)
        self._fd = None
        try:
            pid, self.status = os.waitpid(self.pid, 0 if wait else os.WNOHANG)
            if pid == 0:
                os.kill(self.pid, signal.SIGKILL)
                _, self.status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            self.status = -1


def start(fn, *args) -> Forked | None:
    """Run ``fn(*args)`` in a forked child; None when a fork is not allowed or not safe."""
    if not can_fork():
        return None
    import io
    import pickle   # here, not at the top: cli.main imports this module for every command

    for stream in (sys.stdout, sys.stderr):   # the child must not write the parent's buffered text again
        stream.flush()
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return Forked(pid, read)
    code = 1
    try:   # the child: never returns, never runs the parent's cleanup (os._exit)
        os.close(read)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:   # (ignored: started with nohup or `&`)
            signal.signal(signal.SIGINT, signal.SIG_DFL)    # Ctrl-C or a kill ends it at once
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.nice(NICE)   # the parent's work is the critical path: a child takes a core only when one is free
        out, err = io.StringIO(), io.StringIO()
        sys.stdout, sys.stderr = out, err
        try:
            payload = (True, fn(*args), out.getvalue(), err.getvalue())
            data = pickle.dumps(payload, pickle.HIGHEST_PROTOCOL)
        except BaseException:
            data = pickle.dumps((False, None, "", ""))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    finally:
        os._exit(code)
