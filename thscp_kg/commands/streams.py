"""Terminal streams that can never change the exit status.

CI gates on the exit code, so a closed or full stdout/stderr (``check FILE | head -1``, ``2>&-``,
``2>/dev/full``) must not turn a failing check into 0 or a bad input into 1. Writes to a stream
that has failed are dropped; everything else (reports, the computed exit code) is unaffected.
Text the terminal's encoding cannot show is written as ``\\uXXXX`` instead of crashing.
"""
from __future__ import annotations

import os
import sys


class SafeStream:
    """Wraps sys.stdout or sys.stderr: the first failed write silences the stream for good."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.broken = stream is None
        if stream is not None:
            try:
                stream.reconfigure(errors="backslashreplace")  # a non-UTF-8 terminal gets \uXXXX, not a crash
            except (AttributeError, ValueError, OSError):
                pass

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                self._stream.write(text)
                if self._stream.line_buffering or "\n" not in text:
                    return len(text)
                self._stream.flush()  # surface a broken pipe now, while we can still ignore it
            except (OSError, ValueError):
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self.broken:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._silence()

    def _silence(self) -> None:
        """Point the file descriptor at /dev/null so buffered bytes and the interpreter's own flush at exit
        go nowhere instead of raising."""
        self.broken = True
        try:
            fd = self._stream.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
        except (OSError, ValueError, AttributeError):
            pass

    def isatty(self) -> bool:
        try:
            return not self.broken and self._stream.isatty()
        except (OSError, ValueError):
            return False

    def __getattr__(self, name: str):  # encoding, fileno, buffer ...: the real stream's
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def guard_standard_streams() -> None:
    """Install SafeStream on sys.stdout and sys.stderr (once)."""
    for name in ("stdout", "stderr"):
        current = getattr(sys, name)
        if not isinstance(current, SafeStream):
            setattr(sys, name, SafeStream(current))


def flush_standard_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
