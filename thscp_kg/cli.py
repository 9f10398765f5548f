"""The ``thscp-kg`` command line. The only module that exits.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 bad input or
configuration (one line: file, line, what is wrong, how to fix); 3 internal error.
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import signal
import sys
import traceback
from pathlib import Path

from . import __version__
from .commands import COMMAND_MODULES
from .errors import ConfigError, UserError
from .commands.streams import flush_standard_streams, guard_standard_streams


# The cyclic garbage collector's thresholds for the command line's own process (decision 0030). With
# CPython's default (700, 10, 10) a cold check of one year (json) runs about 190 young, 18 middle and one
# or two full collections, each full one over the ~100,000 tracked objects that the imports and the
# cached ontology, shapes, catalogue and data model leave, nearly all alive until the process ends:
# 0.1-0.2 s of a 1.2 s run. With 50,000 allocations between young collections the same check runs two or
# three; cyclic garbage is still collected as it accumulates.
GC_THRESHOLDS = (50_000, 20, 20)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors are configuration errors: exit 2
        raise ConfigError(f"{self.prog}: {message}.", fix=f"see '{self.prog} --help'.")


def parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """The command line's parser and each command's runner; with ``only`` (a command's name), only that
    command's module is imported and its arguments added (the others are not needed to parse its line)."""
    p = _Parser(prog="thscp-kg", description="Check a Safeguarding Children Partnership's arrangements "
                "against the Children Act 2004, the 2018 Regulations and Working Together.")
    p.add_argument("--version", action="version", version=f"thscp-kg {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    runners = {}
    for name in COMMAND_MODULES:
        if only is not None and command_name(name) != only:
            continue
        module = importlib.import_module(f".commands.{name}", __package__)
        module.add_arguments(sub.add_parser(module.NAME, help=module.HELP, description=module.HELP))
        runners[module.NAME] = module.run
    return p, runners


def command_name(module: str) -> str:
    """A command's name on the command line from its module's (``new_year``: ``new-year``)."""
    return module.replace("_", "-")


def _command_in(argv: list[str]) -> str | None:
    """The command a command line names, when the parser needs no other: its first word, if that is a
    command; None (every command's parser) when an option comes first (``--help``, ``--version``, ``--debug``)
    or the word is not a command, so top-level help and errors list every command as before."""
    if not argv or argv[0].startswith("-"):
        return None
    return argv[0] if argv[0] in {command_name(m) for m in COMMAND_MODULES} else None


class Terminated(BaseException):
    """SIGTERM (a CI job cancelled, a container stopped): unwinds like Ctrl-C so no temporary file stays."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    # A closed or full stdout/stderr must never change the computed exit status (CI gates on it).
    saved = sys.stdout, sys.stderr
    guard_standard_streams()
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    if argv is None:   # the process's own command line (not an in-process caller): it may fork
        from .commands import forked
        forked.enable()
        gc.set_threshold(*GC_THRESHOLDS)
    try:
        return _main(argv)
    except Terminated:
        print("thscp-kg: terminated; no report was half-written.", file=sys.stderr)
        return 143
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        flush_standard_streams()
        sys.stdout, sys.stderr = saved
        if argv is None:
            # The process ends next: what is still alive goes to the permanent generation, so the
            # interpreter's shutdown frees it by reference counts without a full collection over the
            # whole heap (0.04-0.08 s for a check; decision 0030). Only the process's own run: an
            # in-process caller keeps its collector as it was.
            gc.freeze()


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv or bool(os.environ.get("THSCP_KG_DEBUG"))
    try:
        p, runners = parser(_command_in(argv))
        args = p.parse_args(argv)
        return runners[args.command](args)
    except UserError as exc:
        print(f"thscp-kg: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("thscp-kg: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: say so plainly, keep the traceback for --debug
        if debug:
            traceback.print_exc()
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        at = f" at {Path(where.filename).name}:{where.lineno}" if where else ""
        print(f"thscp-kg: internal error: {type(exc).__name__}: {exc}{at}. Nothing was written. "
              "Please report this with the input file; rerun with --debug for the traceback.", file=sys.stderr)
        return 3
