"""The governance and board-link diagram as SVG: Graphviz ``dot`` when installed, else ``layout``.

How computed: ``picture`` decides what is drawn; here it becomes DOT text (every string escaped
for DOT; ``dot`` escapes it again for XML) and ``dot -Tsvg`` lays it out left to right (partners,
partnership, executive and boards, groups, priorities) at its natural size. Comments (which
carry the Graphviz version) are stripped and the drawing is nested, unchanged, in an outer SVG
with the legend below it, the whole sized to fit A4 landscape; the bytes depend only on the
input. Without ``dot``, or if it fails, the pure-Python layered layout in ``layout`` draws it.

The layout is chosen by the drawing's size, never by how long ``dot`` happens to take: ``auto``
uses ``dot`` only up to DOT_MAX_BOXES boxes (far above any real partnership, and quick there)
and the built-in layout above it, so the bytes do not depend on the machine's load. The
layout used is returned and stated in the reports and by ``thscp-kg graph``.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from typing import TYPE_CHECKING, Iterable

from ..errors import ConfigError
from .layout import A4_MM, MARGIN, legend_svg, number, render_builtin, text
from .picture import EDGE_STYLE, FILL, Picture, build_picture, clean

if TYPE_CHECKING:
    import networkx as nx

UNLINKED_COLUMNS = 3
DOT_MAX_BOXES = 150  # above this, dot's time grows quickly (minutes at 1,000 boxes): use the built-in layout
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_ROOT = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"\s+viewBox="([\d. -]+)"[^>]*>')


def render_svg(g: nx.MultiDiGraph, findings: Iterable = (), layout: str = "auto") -> tuple[str, str]:
    """The diagram as SVG text and the layout that drew it ("dot" or "builtin")."""
    pic = build_picture(g, findings)
    if layout not in ("auto", "dot", "builtin"):
        raise ConfigError(f"unknown layout '{layout}'.", fix="use auto, dot or builtin.")
    too_big = layout == "auto" and len(pic.boxes) > DOT_MAX_BOXES
    dot = shutil.which("dot") if layout != "builtin" and not too_big else None
    if layout == "dot" and dot is None:
        raise ConfigError("Graphviz 'dot' is not installed.", fix="install graphviz, or use --layout builtin.")
    if dot is not None:
        try:
            return compose(run_dot(dot, to_dot(pic)), pic), "dot"
        except (OSError, subprocess.SubprocessError) as exc:
            if layout == "dot":
                raise ConfigError(f"Graphviz 'dot' failed: {exc}.", fix="use --layout builtin.") from None
    return render_builtin(pic), "builtin"


def run_dot(dot: str, source: str) -> str:
    done = subprocess.run([dot, "-Tsvg"], input=source.encode("utf-8"), capture_output=True, timeout=120,
                          check=True)
    return _COMMENT.sub("", done.stdout.decode("utf-8"))


def compose(dot_svg: str, pic: Picture) -> str:
    """Wrap dot's drawing (its <svg> nested, unchanged) with the legend below, sized for A4 landscape."""
    root = _ROOT.search(dot_svg)
    if root is None:
        raise subprocess.SubprocessError("unexpected SVG from dot")
    width, height, view = float(root.group(1)), float(root.group(2)), root.group(3)
    inner = dot_svg[root.end():dot_svg.rindex("</svg>")].strip("\n")
    legend, legend_h = legend_svg(height, max(width, 720.0))
    total_w, total_h = max(width, 720.0), height + legend_h + MARGIN
    scale = min(A4_MM[0] / total_w, A4_MM[1] / total_h)
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{number(total_w * scale)}mm" height="{number(total_h * scale)}mm" '
        f'viewBox="0 0 {number(total_w)} {number(total_h)}" font-family="Helvetica, Arial, sans-serif">',
        f"<title>{text(pic.title)}</title>",
        f'<rect width="{number(total_w)}" height="{number(total_h)}" fill="#ffffff"/>',
        f'<svg x="0" y="0" width="{number(width)}" height="{number(height)}" viewBox="{view}">',
        inner, "</svg>", *legend, "</svg>"]) + "\n"


def _q(text: str) -> str:
    """A DOT double-quoted string (backslashes and quotes escaped; no control characters)."""
    return '"' + clean(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(lines: Iterable[str]) -> str:
    return '"' + "\\n".join(clean(t).replace("\\", "\\\\").replace('"', '\\"') for t in lines) + '"'


def _svg_id(key: str) -> str:
    return "n-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def to_dot(pic: Picture) -> str:
    out = ["digraph governance {",
           f'  graph [rankdir=LR, newrank=true, nodesep=0.15, ranksep=0.35, '
           f'fontname="Helvetica", fontsize=14, labelloc=t, label={_q(pic.title)}];',
           '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=13, margin="0.12,0.04", '
           'color="#595959", penwidth=1];',
           '  edge [fontname="Helvetica", fontsize=13, arrowsize=0.7];']
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
    out.append("}")
    return "\n".join(out) + "\n"


def _unlinked(pic: Picture) -> list[str]:
    """Groups with no recorded line to the executive, boxed together in a compact grid beside it."""
    groups = [b.key for b in pic.boxes if b.style == "group" and b.key not in pic.depth]
    if not groups:
        return []
    out = ['  subgraph cluster_unlinked {', '    label="No reporting line to the executive recorded"; '
           'style="dashed,rounded"; color="#7f7f7f"; fontsize=13; fontcolor="#595959";']
    out += [f"    {_q(k)};" for k in groups]
    out.append("  }")
    anchors = [b.key for b in pic.boxes if b.style == "executive"] or [b.key for b in pic.boxes
                                                                       if b.style == "partnership"]
    for i, key in enumerate(groups):
        above = groups[i - UNLINKED_COLUMNS] if i >= UNLINKED_COLUMNS else (anchors[0] if anchors else None)
        if above is not None:
            out.append(f"  {_q(above)} -> {_q(key)} [style=invis];")
    return out
