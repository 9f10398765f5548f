"""The one text normalisation used wherever a quote is compared with a source.

It lives in the load stage (``thscp_kg.load.evidence.normalise``), where ``check`` verifies quotes
(EVID-01); ``scan``, ``draft`` and the PDF/DOCX quote verification use the same function under
the name ``normalise_text``, so a quote that passes one passes all.
"""
from __future__ import annotations

from ..load.evidence import normalise as normalise_text

__all__ = ["normalise_text", "quote_in"]


def quote_in(quote: str, text: str) -> bool:
    """Whether ``quote`` appears in ``text`` once both are normalised."""
    return normalise_text(quote) in normalise_text(text)
