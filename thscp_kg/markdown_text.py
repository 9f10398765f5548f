"""Data text in Markdown: the one escaping function every Markdown output uses.

Markdown viewers (GitHub, GitLab, VS Code, mail clients) render raw HTML and follow links and
images, so a name such as ``<img src=x onerror=...>``, ``[click](javascript:...)`` or
``![](https://tracker.example/pixel.png)`` must reach the reader as text, never as markup: HTML
is escaped (``&``, ``<``, ``>``), the brackets that make links and images are backslash-escaped,
table pipes are escaped, and the text is one line.
"""
from __future__ import annotations

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|"}


def md_text(text: object) -> str:
    """``text`` as inert Markdown on one line (safe in a paragraph, a list item or a table cell)."""
    return "".join(_ESCAPES.get(c, c) for c in " ".join(str(text).split()))
