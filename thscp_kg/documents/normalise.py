"""The one text normalisation used wherever a quote is compared with a source.

The check-time quote tests (tests/test_thscp.py, test_history.py, test_trend.py), ``scan``,
``draft`` and the PDF/DOCX quote verification all use :func:`normalise_text`, so a quote that
passes one passes all.
"""
from __future__ import annotations

import unicodedata

# Typographic characters that extraction tools and editors swap freely; compared as plain ASCII.
_SAME = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u00ad": None,   # soft hyphen: invisible in the document, present in some PDF text layers
    "\u200b": None,   # zero-width space
})


def normalise_text(text: str) -> str:
    """Compatibility-normalised (NFKC: ligatures, non-breaking spaces), straight quotes, Markdown
    bold markers ('**') dropped, one space for every run of whitespace (line breaks, tabs between
    table cells)."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_SAME).replace("**", "").split())


def quote_in(quote: str, text: str) -> bool:
    """Whether ``quote`` appears in ``text`` once both are normalised."""
    return normalise_text(quote) in normalise_text(text)
