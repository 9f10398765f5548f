"""Safe YAML loading with line numbers and hard limits.

Data files are hand-edited and arrive through pull requests, so loading is defensive:
a size cap before reading, strict UTF-8, a depth and node cap checked on the event stream
(before anything is built, so a "billion laughs" or a 10 000-deep nesting costs nothing),
no anchors or aliases, no custom tags, no duplicate keys, string keys only.

The result is plain Python data plus a map from each path (``("posts", 3, "title")``) to
the 1-based line it was written on, so later errors can name ``file:line``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 24
MAX_NODES = 200_000

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

Path_ = tuple[Any, ...]


@dataclass
class YamlDocument:
    """Plain data from one YAML file and the line of every key and value."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """Line of the deepest known prefix of ``path`` (None when nothing matches)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def read_text_limited(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing oversize or undecodable input with a clear error."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataError("file not found.", file=display,
                        fix="check the path (paths are relative to where you run the command).") from None
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror}).", file=display) from None
    if path.is_dir():
        raise DataError("is a directory, not a data file.", file=display,
                        fix="name a .yaml file inside it.")
    if size > max_bytes:
        raise DataError(f"file is {size:,} bytes; the limit is {max_bytes:,}.", file=display,
                        fix="a partnership-year file is a few hundred kB at most; split or trim it.")
    raw = path.read_bytes()[: max_bytes + 1]
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8.", file=display, line=line,
                        fix="save the file as UTF-8.") from None


def load_yaml(path: Path, display: str | None = None, *, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Load one YAML document safely; raise ``DataError`` naming file and line on any problem."""
    display = display or str(path)
    text = read_text_limited(path, display, max_bytes)
    if not text.strip():
        raise DataError("the file is empty.", file=display,
                        fix="start from data/tower-hamlets/2023-24.yaml or run 'thscp-kg new-year'.")
    _check_events(text, display)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # pragma: no cover - the event pass reports these first
        raise _yaml_error(exc, display) from None
    doc = YamlDocument(file=display, data=None)
    doc.data = _to_python(node, (), doc, yaml.SafeLoader(""))
    return doc


def _check_events(text: str, display: str) -> None:
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.DocumentStartEvent) and nodes:
                raise DataError("more than one YAML document ('---') in the file.", file=display,
                                line=line, fix="keep one partnership-year per file.")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DataError("YAML anchors and aliases (&name / *name) are not allowed.",
                                file=display, line=line, fix="write the value out in full.")
            tag = getattr(event, "tag", None)
            if tag and tag not in _CORE_TAGS and tag != "!":
                raise DataError(f"custom YAML tag '{tag}' is not allowed.", file=display, line=line,
                                fix="remove the tag; plain values only.")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise DataError(f"nesting deeper than {MAX_DEPTH} levels.", file=display,
                                    line=line, fix="flatten the structure.")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise DataError(f"more than {MAX_NODES:,} values.", file=display, line=line,
                                    fix="a partnership-year file should be far smaller; split it.")
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, display) from None


def _yaml_error(exc: yaml.YAMLError, display: str) -> DataError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark else None
    problem = getattr(exc, "problem", None) or str(exc)
    if "'\\t'" in problem or "\\t" in problem:
        return DataError("a tab character is used for indentation; YAML allows spaces only.",
                         file=display, line=line, fix="replace the tab with spaces.")
    return DataError(f"YAML syntax error: {problem}.", file=display, line=line,
                     fix="check indentation, colons and quotes on this line and the one before.")


def _to_python(node: yaml.Node, path: Path_, doc: YamlDocument, constructor: yaml.SafeLoader) -> Any:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                raise DataError(f"mapping key '{getattr(key_node, 'value', '?')}' is not a plain name.",
                                file=doc.file, line=key_node.start_mark.line + 1,
                                fix="use a word as the key, e.g. 'name:'.")
            key = key_node.value
            if key in out:
                raise DataError(f"duplicate key '{key}'.", file=doc.file,
                                line=key_node.start_mark.line + 1,
                                fix="remove or rename one of the two.")
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, path + (key,), doc, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), doc, constructor) for i, item in enumerate(node.value)]
    return _scalar(node, doc, constructor)


def _scalar(node: yaml.ScalarNode, doc: YamlDocument, constructor: yaml.SafeLoader) -> Any:
    tag = node.tag
    if tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates are parsed by the model so errors can explain themselves
    if tag == "tag:yaml.org,2002:float":
        try:
            return Decimal(node.value.replace("_", ""))  # money is never a binary float
        except InvalidOperation:
            return node.value
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        return constructor.construct_object(node)
    return node.value
