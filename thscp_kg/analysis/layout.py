"""Pure-Python fallback layout: a deterministic layered diagram written straight to SVG.

How computed: boxes go in fixed rows, top to bottom: organisations; posts; the partnership;
the executive with the linked boards; groups by their steps below the executive along
reporting lines; groups with no recorded line to it; priorities. A row longer than MAX_PER_ROW
wraps. Within a row, boxes are ordered by the mean x of the boxes they connect to in the rows
above (ties by id). Lines are straight, clipped to the box edges. Every string is XML-escaped;
numbers are rounded, so the same picture always gives the same bytes. Sized for A4 landscape.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .picture import EDGE_STYLE, EDGE_TEXT, FILL, HIGHLIGHT, HIGHLIGHT_INFO, KIND_TEXT, Box, Picture, clean

BOX_W, LINE_H, PAD, GAP_X, GAP_Y, MARGIN, FONT, MAX_PER_ROW = 176, 13, 7, 20, 46, 24, 11, 6
A4_MM = (277.0, 190.0)       # A4 landscape less margins
MAX_MM_PER_PX = 0.33


def number(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text(value: str) -> str:
    return escape(clean(value))


def _a(text: str) -> str:
    return quoteattr(clean(text))


def _row_of(box: Box, pic: Picture, deepest: int) -> int:
    fixed = {"organisation": 0, "post": 1, "partnership": 2, "executive": 3, "board": 3, "missing": 3}
    if box.style in fixed:
        return fixed[box.style]
    if box.style == "group":
        depth = pic.depth.get(box.key)
        return 3 + depth if depth else 4 + deepest
    return 5 + deepest  # priorities


def _height(box: Box) -> int:
    return len(box.lines) * LINE_H + 2 * PAD


def place(pic: Picture, min_width: float = 0) -> tuple[dict[str, tuple[float, float, float, float]], float, float]:
    """Box rectangles (x, y, w, h) keyed by box, and the content width and height."""
    deepest = max(pic.depth.values(), default=0)
    rows: dict[int, list[Box]] = {}
    for box in pic.boxes:
        rows.setdefault(_row_of(box, pic, deepest), []).append(box)
    neighbours: dict[str, set[str]] = {}
    for line in pic.lines:
        neighbours.setdefault(line.source, set()).add(line.target)
        neighbours.setdefault(line.target, set()).add(line.source)
    centre_x: dict[str, float] = {}
    rects: dict[str, tuple[float, float, float, float]] = {}
    y = float(MARGIN + 30)
    for r in sorted(rows):
        def bary(box: Box) -> tuple:
            xs = [centre_x[n] for n in neighbours.get(box.key, ()) if n in centre_x]
            return (sum(xs) / len(xs) if xs else float("inf"), box.key)
        ordered = sorted(rows[r], key=bary)
        for start in range(0, len(ordered), MAX_PER_ROW):
            chunk = ordered[start:start + MAX_PER_ROW]
            height = max(_height(b) for b in chunk)
            for i, box in enumerate(chunk):
                cx = (i - (len(chunk) - 1) / 2) * (BOX_W + GAP_X)
                centre_x[box.key] = cx
                rects[box.key] = (cx - BOX_W / 2, y + (height - _height(box)) / 2, BOX_W, _height(box))
            y += height + GAP_Y
    widest = max((min(len(v), MAX_PER_ROW) for v in rows.values()), default=1)
    width = max(min_width, widest * (BOX_W + GAP_X) - GAP_X + 2 * MARGIN)
    shift = width / 2
    rects = {k: (x + shift, yy, w, h) for k, (x, yy, w, h) in rects.items()}
    return rects, width, y - GAP_Y + MARGIN


def _clip(rect, towards: tuple[float, float]) -> tuple[float, float]:
    x, y, w, h = rect
    cx, cy = x + w / 2, y + h / 2
    dx, dy = towards[0] - cx, towards[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    t = min((w / 2) / abs(dx) if dx else float("inf"), (h / 2) / abs(dy) if dy else float("inf"))
    return cx + dx * t, cy + dy * t


def _centre(rect) -> tuple[float, float]:
    return rect[0] + rect[2] / 2, rect[1] + rect[3] / 2


def _marker(colour: str) -> str:
    return "arrow-" + colour.lstrip("#")


def _lines_svg(pic: Picture, rects) -> list[str]:
    out = []
    for line in pic.lines:
        s = EDGE_STYLE[line.type]
        a, b = (line.target, line.source) if s.arrow == "source" else (line.source, line.target)
        dash = f" stroke-dasharray={_a(s.dash)}" if s.dash else ""
        marker = f' marker-end="url(#{_marker(s.colour)})"' if s.arrow else ""
        if a == b:  # a group reporting to itself: a small loop on the box's right side
            x, y, w, h = rects[a]
            out.append(f'<path d="M {number(x + w)} {number(y + h / 3)} c 24 -12 24 {number(h / 3 + 12)} 0 '
                       f'{number(h / 3)}" fill="none" stroke="{s.colour}" stroke-width="1.2"{dash}{marker}/>')
            continue
        (x1, y1), (x2, y2) = _clip(rects[a], _centre(rects[b])), _clip(rects[b], _centre(rects[a]))
        out.append(f'<line x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" y2="{number(y2)}" '
                   f'stroke="{s.colour}" stroke-width="1.2"{dash}{marker}/>')
        if s.text:
            out.append(f'<text x="{number((x1 + x2) / 2)}" y="{number((y1 + y2) / 2)}" font-size="13" '
                       f'fill="{s.colour}" text-anchor="middle" stroke="#ffffff" stroke-width="3" '
                       f'paint-order="stroke">{text(s.text)}</text>')
    return out


def _boxes_svg(pic: Picture, rects) -> list[str]:
    out = []
    for box in pic.boxes:
        x, y, w, h = rects[box.key]
        stroke, width = (box.outline, 3) if box.outline else ("#595959", 1)
        dash = ' stroke-dasharray="5,3"' if box.dashed else ""
        out.append(f'<g id={_a("n-" + box.key.replace("/", "-"))}><title>{text(box.tooltip)}</title>')
        out.append(f'<rect x="{number(x)}" y="{number(y)}" width="{number(w)}" height="{number(h)}" rx="6" '
                   f'fill="{FILL[box.style]}" stroke="{stroke}" stroke-width="{width}"{dash}/>')
        for i, line_text in enumerate(box.lines):
            out.append(f'<text x="{number(x + w / 2)}" y="{number(y + PAD + (i + 1) * LINE_H - 3)}" '
                       f'font-size="{FONT}" text-anchor="middle">{text(line_text)}</text>')
        out.append("</g>")
    return out


def legend_svg(top: float, width: float) -> tuple[list[str], float]:
    """The legend as SVG lines starting at ``top``, and its height."""
    items = [("box", k, KIND_TEXT[k]) for k in FILL]
    items += [("outline", HIGHLIGHT, "red outline: a warning or violation"),
              ("outline", HIGHLIGHT_INFO, "orange outline: good practice only"),
              ("dash", "", "dashed: no holder or board recorded")]
    items += [("line", t, text) for t, text in EDGE_TEXT.items()]
    per_row, col_w = max(1, int((width - 2 * MARGIN) // 290)), 290
    out = [f'<g id="legend"><text x="{MARGIN}" y="{number(top + 12)}" font-size="13" font-weight="bold">Legend</text>']
    for i, (kind, key, caption) in enumerate(items):
        x, y = MARGIN + (i % per_row) * col_w, top + 20 + (i // per_row) * 16
        if kind == "line":
            s = EDGE_STYLE[key]
            dash = f" stroke-dasharray={_a(s.dash)}" if s.dash else ""
            out.append(f'<line x1="{number(x)}" y1="{number(y + 5)}" x2="{number(x + 22)}" y2="{number(y + 5)}" '
                       f'stroke="{s.colour}" stroke-width="1.5"{dash}/>')
        else:
            stroke, sw = (key, 3) if kind == "outline" else ("#595959", 1)
            dash = ' stroke-dasharray="4,2"' if kind == "dash" else ""
            out.append(f'<rect x="{number(x)}" y="{number(y)}" width="22" height="10" '
                       f'fill="{FILL.get(key, "#ffffff")}" stroke="{stroke}" stroke-width="{sw}"{dash}/>')
        out.append(f'<text x="{number(x + 28)}" y="{number(y + 9)}" font-size="13">{text(caption)}</text>')
    out.append("</g>")
    return out, 20 + ((len(items) - 1) // per_row + 1) * 16


def render_builtin(pic: Picture) -> str:
    rects, width, height = place(pic, max(720.0, 8.0 * len(pic.title) + 2 * MARGIN))
    legend, legend_h = legend_svg(height, width)
    total_h = height + legend_h + MARGIN
    scale = min(A4_MM[0] / width, A4_MM[1] / total_h, MAX_MM_PER_PX)
    colours = sorted({s.colour for s in EDGE_STYLE.values() if s.arrow})
    markers = "".join(f'<marker id="{_marker(c)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                      f'markerHeight="7" orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="{c}"/></marker>'
                      for c in colours)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<svg xmlns="http://www.w3.org/2000/svg" width="{number(width * scale)}mm" '
           f'height="{number(total_h * scale)}mm" viewBox="0 0 {number(width)} {number(total_h)}" '
           'font-family="Helvetica, Arial, sans-serif">',
           f"<title>{text(pic.title)}</title>", f"<defs>{markers}</defs>",
           f'<rect width="{number(width)}" height="{number(total_h)}" fill="#ffffff"/>',
           f'<text x="{number(width / 2)}" y="{MARGIN + 6}" font-size="15" font-weight="bold" text-anchor="middle">'
           f"{text(pic.title)}</text>"]
    out += _lines_svg(pic, rects) + _boxes_svg(pic, rects) + legend
    out.append("</svg>")
    return "\n".join(out) + "\n"
