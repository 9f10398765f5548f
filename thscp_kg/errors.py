"""Errors a user can act on.

Every error raised for bad input or configuration is a ``UserError``: the CLI prints
``str(error)`` as one line (``file:line: what is wrong. Fix: how to fix``) and exits 2.
Anything else that escapes is an internal error (exit 3).
"""
from __future__ import annotations


class UserError(Exception):
    """Bad input or configuration: one clear line naming file, line, problem and fix."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.fix = fix

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        text = f"{where}{self.message}"
        if self.fix:
            text += f" Fix: {self.fix}"
        # One line, always: a newline inside a message would break CI log parsing. Other invisible
        # characters (a terminal escape in a file name, say) are shown as codes, never sent raw.
        from .safe_text import one_line
        return one_line(text)


class DataError(UserError):
    """A partnership-year data file is malformed or inconsistent."""


class ConfigError(UserError):
    """A catalogue, profile, waiver or shapes file is malformed, or a CLI option is wrong."""


def is_validation_error(exc: BaseException) -> bool:
    """Whether ``exc`` is pydantic's ``ValidationError``. pydantic is imported only when a file is
    validated (a cold run reads unchanged files' plain copies, thscp_kg/plain.py), so it is there then."""
    import sys

    pydantic = sys.modules.get("pydantic")
    return pydantic is not None and isinstance(exc, pydantic.ValidationError)
