"""What ``thscp-kg query`` refuses or neutralises (issue 14 #7).

The store promises "nothing remote": a SPARQL ``SERVICE`` clause would send part of the query
to any server on the network, so it is refused unless asked for (``--allow-service``). CSV
answers are opened in spreadsheets, where a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return) is run as a formula: such cells get a leading apostrophe (the OWASP
advice), so they show as text.
"""
from __future__ import annotations

import re

_SERVICE = re.compile(r"(?i)\bSERVICE\b")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def without_strings_and_comments(text: str) -> str:
    """The query with string literals, IRIs and comments blanked, so a word inside them is not a keyword."""
    return re.sub(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"\s]*>|#[^\n]*',
                  " ", text)


def refuse_service(text: str) -> None:
    from ..errors import ConfigError

    if _SERVICE.search(without_strings_and_comments(text)):
        raise ConfigError("the query uses SERVICE, which would send part of it to another server.",
                          fix="remove the SERVICE clause, or add --allow-service if you mean to query a remote endpoint.")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text
