"""Untrusted text made safe for where it is shown: one line for the terminal, inert Markdown for reports.

Single-line text: what a name or title may contain, and how any text is made safe for a terminal.

A line break in a name reaches CI logs raw, where a line such as ``::error ...``,
``::add-mask::`` or ``::stop-commands::`` is executed by GitHub Actions; a carriage return
overwrites the line before it; zero-width and direction characters hide or reorder text
("Trojan Source"). The data format refuses them in every single-line text field
(``model.Text``), and every field printed on the terminal goes through ``one_line``.
"""
from __future__ import annotations

import unicodedata

# Characters that end a line somewhere: Python's str.splitlines, N-Triples readers, browsers, terminals.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

_NAMES = {"\n": "line break", "\r": "carriage return", "\u2028": "line separator", "\u2029": "paragraph separator",
          "\ufeff": "byte order mark", "\u200b": "zero-width space", "\u200c": "zero-width non-joiner",
          "\u200d": "zero-width joiner", "\u2060": "word joiner", "\u200e": "left-to-right mark",
          "\u200f": "right-to-left mark", "\u061c": "Arabic letter mark"}


def refused_character(text: str) -> str | None:
    """The first character a single-line text field may not hold: a line break, a control character
    (a tab is allowed: it prints as white space) or an invisible format character (Unicode category Cf:
    zero-width, direction marks and overrides, a byte order mark inside text)."""
    for char in text:
        if char in LINE_BREAKS or (char != "\t" and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")):
            return char
    return None


def describe(char: str) -> str:
    name = _NAMES.get(char) or unicodedata.name(char, "control character").lower()
    return f"U+{ord(char):04X}, {name}"


def single_line_text(value: str) -> str:
    """The pydantic check behind ``model.Text`` (raises ``ValueError("what. Fix: how")``)."""
    char = refused_character(value)
    if char is None:
        return value
    if char in LINE_BREAKS:
        raise ValueError(f"the text contains a line break ({describe(char)}); names, titles and other short "
                         "text must be on one line. Fix: join it into one line (a YAML value that continues "
                         "on the next line must be indented, not broken).")
    raise ValueError(f"the text contains an invisible character ({describe(char)}), which could hide, reorder "
                     "or forge text in the reports and in CI logs. Fix: retype the value; such characters "
                     "come from copying text out of a PDF, a web page or a Word document.")


def terminal_safe(text: object) -> str:
    """``text`` with every character a terminal or CI log would act on or hide (line breaks, CR,
    escape, tab, zero-width and direction characters) shown as \\uXXXX; spaces are kept."""
    return "".join(c if c == " " or c.isprintable() else f"\\u{ord(c):04x}" for c in str(text))


def one_line(text: object) -> str:
    """``text`` as one terminal-safe line, with runs of white space made one space."""
    return terminal_safe(" ".join(str(text).split()))


# -- Markdown ---------------------------------------------------------------------------------
# Data text in Markdown: the one escaping function every Markdown output uses.
# 
# Markdown viewers (GitHub, GitLab, VS Code, mail clients) render raw HTML and follow links and
# images, so a name such as ``<img src=x onerror=...>``, ``[click](javascript:...)`` or
# ``![](https://tracker.example/pixel.png)`` must reach the reader as text, never as markup: HTML
# is escaped (``&``, ``<``, ``>``), the brackets that make links and images are backslash-escaped,
# table pipes are escaped, and the text is one line.

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|"}


def md_text(text: object) -> str:
    """``text`` as inert Markdown on one line (safe in a paragraph, a list item or a table cell)."""
    return "".join(_ESCAPES.get(c, c) for c in " ".join(str(text).split()))
