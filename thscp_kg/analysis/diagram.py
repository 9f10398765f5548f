"""The governance and board-link diagram as SVG: Graphviz ``dot`` when installed, else ``layout``.

How computed: ``picture`` decides what is drawn; here it becomes DOT text (every string escaped
for DOT; ``dot`` escapes it again for XML) and ``dot -Tsvg`` lays it out for A4 landscape.
Comments (which carry the Graphviz version) are stripped so the bytes depend only on the input.
Without ``dot``, or if it fails, the pure-Python layered layout in ``layout`` writes the SVG.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from typing import Iterable

import networkx as nx

from ..errors import ConfigError
from .layout import render_builtin
from .picture import (EDGE_STYLE, EDGE_TEXT, FILL, HIGHLIGHT, HIGHLIGHT_INFO, KIND_TEXT, Picture, build_picture,
                      clean)

A4_LANDSCAPE_INCHES = "11.2,7.7"
UNLINKED_COLUMNS = 3   # 297 x 210 mm less about 1 cm of margin on each side
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def render_svg(g: nx.MultiDiGraph, findings: Iterable = (), layout: str = "auto") -> tuple[str, str]:
    """The diagram as SVG text and the layout that drew it ("dot" or "builtin")."""
    pic = build_picture(g, findings)
    if layout not in ("auto", "dot", "builtin"):
        raise ConfigError(f"unknown layout '{layout}'.", fix="use auto, dot or builtin.")
    dot = shutil.which("dot") if layout != "builtin" else None
    if layout == "dot" and dot is None:
        raise ConfigError("Graphviz 'dot' is not installed.", fix="install graphviz, or use --layout builtin.")
    if dot is not None:
        try:
            return run_dot(dot, to_dot(pic)), "dot"
        except (OSError, subprocess.SubprocessError) as exc:
            if layout == "dot":
                raise ConfigError(f"Graphviz 'dot' failed: {exc}.", fix="use --layout builtin.") from None
    return render_builtin(pic), "builtin"


def run_dot(dot: str, text: str) -> str:
    done = subprocess.run([dot, "-Tsvg"], input=text.encode("utf-8"), capture_output=True, timeout=120,
                          check=True)
    return _COMMENT.sub("", done.stdout.decode("utf-8"))


def _q(text: str) -> str:
    """A DOT double-quoted string (backslashes and quotes escaped; no control characters)."""
    return '"' + clean(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(lines: Iterable[str]) -> str:
    return '"' + "\\n".join(clean(t).replace("\\", "\\\\").replace('"', '\\"') for t in lines) + '"'


def _svg_id(key: str) -> str:
    return "n-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def to_dot(pic: Picture) -> str:
    out = ["digraph governance {",
           f'  graph [rankdir=TB, size="{A4_LANDSCAPE_INCHES}", newrank=true, nodesep=0.25, ranksep=0.5, '
           f'fontname="Helvetica", fontsize=14, labelloc=t, label={_q(pic.title)}];',
           '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, margin="0.1,0.05", '
           'color="#595959", penwidth=1];',
           '  edge [fontname="Helvetica", fontsize=8, arrowsize=0.7];']
    style_of = {b.key: b.style for b in pic.boxes}
    for b in pic.boxes:
        styles = "rounded,filled" + (",dashed" if b.dashed else "")
        extra = f', color="{b.outline}", penwidth=3' if b.outline else ""
        out.append(f'  {_q(b.key)} [id={_q(_svg_id(b.key))}, label={_label(b.lines)}, fillcolor="{FILL[b.style]}", '
                   f'style="{styles}", tooltip={_q(b.tooltip)}{extra}];')
    top = [b.key for b in pic.boxes if b.style in ("executive", "board", "missing")]
    if top:
        out.append("  { rank=same; " + " ".join(_q(k) for k in top) + " }")
    out += _unlinked(pic)
    for line in pic.lines:
        s = EDGE_STYLE[line.type]
        tail, head = (line.source, line.target) if s.top == "source" else (line.target, line.source)
        at = line.source if s.arrow == "source" else line.target
        arrow = "none" if s.arrow is None else ("forward" if at == head else "back")
        attrs = [f'color="{s.colour}"', f"dir={arrow}"]
        if s.dash:
            attrs.append('style="dashed"' if len(s.dash) > 3 else 'style="dotted"')
        if s.text:
            attrs.append(f"label={_q(s.text)}, fontcolor=\"{s.colour}\"")
        if not s.constrains or (line.type == "chaired_by" and style_of.get(line.target) == "organisation"):
            attrs.append("constraint=false")
        out.append(f"  {_q(tail)} -> {_q(head)} [{', '.join(attrs)}];")
    out.append(_legend())
    out.append("}")
    return "\n".join(out) + "\n"


def _unlinked(pic: Picture) -> list[str]:
    """Groups with no recorded line to the executive, boxed together in a compact grid below it."""
    groups = [b.key for b in pic.boxes if b.style == "group" and b.key not in pic.depth]
    if not groups:
        return []
    out = ['  subgraph cluster_unlinked {', '    label="No reporting line to the executive recorded"; '
           'style="dashed,rounded"; color="#7f7f7f"; fontsize=10; fontcolor="#595959";']
    out += [f"    {_q(k)};" for k in groups]
    out.append("  }")
    anchors = [b.key for b in pic.boxes if b.style == "executive"] or [b.key for b in pic.boxes
                                                                       if b.style == "partnership"]
    for i, key in enumerate(groups):
        above = groups[i - UNLINKED_COLUMNS] if i >= UNLINKED_COLUMNS else (anchors[0] if anchors else None)
        if above is not None:
            out.append(f"  {_q(above)} -> {_q(key)} [style=invis];")
    return out


def _legend() -> str:
    """A fixed legend (constant text, so the HTML-like label needs no escaping of data)."""
    rows = [f'<TR><TD BGCOLOR="{FILL[k]}" WIDTH="18"></TD><TD ALIGN="LEFT">{KIND_TEXT[k]}</TD></TR>'
            for k in ("partnership", "executive", "group", "board", "missing", "organisation", "post", "priority")]
    rows.append(f'<TR><TD BORDER="3" COLOR="{HIGHLIGHT}"></TD><TD ALIGN="LEFT">red outline: a warning or '
                'violation concerns it</TD></TR>')
    rows.append(f'<TR><TD BORDER="3" COLOR="{HIGHLIGHT_INFO}"></TD><TD ALIGN="LEFT">orange outline: only '
                'good-practice (info) findings</TD></TR>')
    rows.append('<TR><TD STYLE="dashed" BORDER="1"></TD><TD ALIGN="LEFT">dashed: vacant or not recorded</TD></TR>')
    rows += [f'<TR><TD><FONT COLOR="{EDGE_STYLE[t].colour}">&#8212;&#8212;</FONT></TD><TD ALIGN="LEFT">{text}</TD></TR>'
             for t, text in EDGE_TEXT.items()]
    table = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2"><TR><TD COLSPAN="2"><B>Legend</B></TD></TR>' \
            + "".join(rows) + "</TABLE>"
    return f'  legend [id="legend", shape=plaintext, style="", fontsize=9, label=<{table}>];\n  {{ rank=sink; legend }}'
