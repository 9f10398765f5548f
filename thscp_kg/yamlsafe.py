"""Safe YAML loading with line numbers and hard limits.

Data files are hand-edited and arrive through pull requests, so loading is defensive:
a size cap before reading, strict UTF-8, a depth and node cap checked on the event stream
(before anything is built, so a "billion laughs" or a 10 000-deep nesting costs nothing),
no anchors or aliases, no custom tags, no duplicate keys, string keys only.

The result is plain Python data plus a map from each path (``("posts", 3, "title")``) to
the 1-based line it was written on, so later errors can name ``file:line``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import DataError

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 24
MAX_NODES = 50_000  # THSCP 2023-24 has about 2 200
# libyaml when PyYAML was built with it: the pure-Python scanner takes ~25 s on a 5 MB plain scalar.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_START = "run 'thscp-kg new-year <last year's file> <period>', or copy data/tower-hamlets/2023-24.yaml and edit it."
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


def refuse_link_out_of_folder(path: Path, display: str) -> None:
    """A file that is a symbolic link leading outside its own folder is refused before it is read.

    A pull request can commit ``data/<p>/waivers.yaml -> /proc/self/environ`` (or any file on the CI
    machine); following it would echo that file's values in error messages and reports. The folder
    itself may be reached through a link (a checkout kept elsewhere): only what the file's own name
    leads to is checked, against the real folder (docs/decisions/0021)."""
    import os

    try:
        if not os.path.islink(path):
            return
        real = Path(os.path.realpath(path))
        folder = Path(os.path.realpath(path.parent if str(path.parent) else "."))
        inside = folder in real.parents
    except (OSError, ValueError, RuntimeError):
        inside = False
    if not inside:
        raise DataError("the file is a symbolic link that leads outside its folder; it is not read.", file=display,
                        fix="copy the file itself into the folder (a data file, and the waivers, assessments, "
                            "sign-offs and actions beside it, are read only from inside the partnership's folder).")


def read_text_limited(path: Path, display: str, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 text file, refusing oversize or undecodable input (and a symbolic link out of its
    folder) with a clear error."""
    def too_big(size: str) -> DataError:
        return DataError(f"the file is {size} bytes; the limit is {max_bytes:,}.", file=display,
                         fix="a partnership-year file is a few hundred kB at most; check it is the right file.")

    refuse_link_out_of_folder(path, display)
    try:
        if path.is_dir():
            raise DataError("is a folder, not a data file.", file=display, fix="name a .yaml file inside it.")
        size = path.stat().st_size
        if size > max_bytes:
            raise too_big(f"{size:,}")
        with open(path, "rb") as fh:
            raw = fh.read(max_bytes + 1)  # never more, even from a device or a growing file
    except FileNotFoundError:
        raise DataError("file not found.", file=display,
                        fix="check the path (paths are relative to where you run the command).") from None
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror}).", file=display,
                        fix="check the file exists and you are allowed to read it.") from None
    if len(raw) > max_bytes:
        raise too_big(f"more than {max_bytes:,}")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError("the file is saved as UTF-16; it must be UTF-8.", file=display,
                        fix="save it again choosing the encoding 'UTF-8'.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8 (often a '£' or a curly quote "
                        "saved by an older editor).", file=display, line=line,
                        fix="save the file as UTF-8, or retype the character on this line.") from None


def display_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when possible. Symbolic
    links are not followed: the name shown is the one given, never where a link leads."""
    import os

    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def load_yaml(path: Path, display: str | None = None, *, max_bytes: int = MAX_BYTES) -> YamlDocument:
    """Load one YAML document safely; raise ``DataError`` naming file and line on any problem."""
    display = display or str(path)
    return parse_yaml(read_text_limited(path, display, max_bytes), display)


def parse_yaml(text: str, display: str) -> YamlDocument:
    """One YAML document from ``text``, the content of the file ``display`` (``load_yaml``'s second half;
    looked up at each call, so the test suite can keep a parse it has made: tests/conftest.py)."""
    if not text.strip():
        raise DataError("the file is empty.", file=display, fix=_START)
    _check_events(text, display)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:  # pragma: no cover - the event pass reports these first
        raise _yaml_error(exc, display, text) from None
    if node is None:
        raise DataError("the file has comments but no data.", file=display, fix=_START)
    doc = YamlDocument(file=display, data=None)
    doc.data = _to_python(node, (), doc, yaml.SafeLoader(""))
    return doc


def _check_events(text: str, display: str) -> None:
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark else None
            if isinstance(event, yaml.DocumentStartEvent) and nodes:
                raise DataError("more than one YAML document ('---') in the file.", file=display,
                                line=line, fix="keep one partnership-year per file.")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise DataError("YAML anchors and aliases (&name / *name) are not allowed.",
                                file=display, line=line, fix="write the value out in full.")
            tag = getattr(event, "tag", None)
            if tag and tag not in _CORE_TAGS and tag != "!":
                shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
                raise DataError(f"the YAML tag '{shown}' is not allowed.", file=display, line=line,
                                fix="remove the tag (the word starting with '!'); write plain values only.")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(display, line)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise DataError(f"the file holds more than {MAX_NODES:,} values.", file=display, line=line,
                                    fix="a partnership-year file holds a few thousand; check it is the right file.")
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, display, text) from None


def _too_deep(display: str, line: int | None) -> DataError:
    return DataError(f"lists and fields are nested more than {MAX_DEPTH} levels deep.", file=display, line=line,
                     fix="no partnership-year field nests that deep; look for a run of '[' or '{' "
                         "or for wrongly indented lines.")


# The parser's wording → (what is wrong, how to fix it, report the line where the construct
# *started* rather than where the parser gave up). Clues match libyaml's and PyYAML's wording.
_INDENT = "this line does not line up with the lines above it."
_ALIGN = "indent it with the same number of spaces as the other keys of the same entry."
_SYNTAX = (
    ("unknown escape", "a backslash inside double quotes starts an escape code YAML does not know.",
     "use single quotes around the value, or write each backslash twice (\\\\).", False),
    ("quoted scalar", "a quoted value starts on this line but its closing quote is missing.",
     "add the closing quote at the end of the value.", True),
    ("expected ',' or ']'", "a list opened with '[' on this line is not closed with ']'.",
     "add the missing ']' (and check the commas between entries).", True),
    ("expected ',' or '}'", "a '{' on this line is not closed with '}'.",
     "add the missing '}' (and check the commas between entries).", True),
    ("mapping values are not allowed", "unexpected ':' on this line.",
     "a value containing ': ' must be in quotes, e.g. title: \"Report: 2024-25\"; "
     "otherwise check the indentation.", False),
    ("expected <block end>", _INDENT, _ALIGN, False),
    ("did not find expected key", _INDENT, _ALIGN, False),
    ("expected '-' indicator", _INDENT, _ALIGN, False),
    ("could not find expected ':'", "a line here is missing the ':' after its key.",
     "write 'key: value'; a value running onto several lines must be in quotes.", False),
    ("cannot start any token", "a value on this line starts with a character YAML reserves.",
     "put the value in quotes.", False),
)


def _yaml_error(exc: yaml.YAMLError, display: str, text: str) -> DataError:
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        line = text.count("\n", 0, max(text.find(chr(char)), 0)) + 1
        return DataError(f"the file contains an invisible control character (U+{char:04X}), "
                         "which YAML does not allow.", file=display, line=line,
                         fix="delete it; it usually comes from pasting text from a PDF or a Word document.")
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if "nesting depth" in problem:  # libyaml's own limit (1 000) can fire before ours is reached
        return _too_deep(display, mark.line + 1 if mark else None)
    if mark and ("tab" in problem or "'\\t'" in problem or _indented_with_tab(text, mark.line)):
        return DataError("YAML syntax error: a tab character is used for indentation; YAML allows "
                         "spaces only.", file=display, line=mark.line + 1, fix="replace the tab with spaces.")
    for clue, what, fix, at_start in _SYNTAX:
        if clue in problem or clue in context:
            where = (exc.context_mark if at_start else None) or exc.problem_mark
            return DataError(f"YAML syntax error: {what}", file=display,
                             line=where.line + 1 if where else None, fix=fix)
    return DataError(f"YAML syntax error: {problem}.", file=display, line=mark.line + 1 if mark else None,
                     fix="check indentation, colons and quotes on this line and the one before.")


def _indented_with_tab(text: str, index: int) -> bool:
    lines = text.splitlines()
    line = lines[index] if 0 <= index < len(lines) else ""
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


def _to_python(node: yaml.Node, path: Path_, doc: YamlDocument, constructor: yaml.SafeLoader) -> Any:
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                what = (f"'{_short(key_node.value)}' is used as a field name, but YAML reads it as a number, "
                        "a date or true/false" if isinstance(key_node, yaml.ScalarNode)
                        else "a list or a group of fields is used as a field name")
                raise DataError(f"{what}.", file=doc.file, line=key_node.start_mark.line + 1,
                                fix="use one of the field names from the schema, e.g. 'name:'.")
            key = key_node.value
            if key in out:
                first = doc.lines[path + (key,)]
                raise DataError(f"the field '{key}' appears twice in the same entry (first on line {first}).",
                                file=doc.file, line=key_node.start_mark.line + 1,
                                fix="keep one of the two and delete the other.")
            doc.lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, path + (key,), doc, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, path + (i,), doc, constructor) for i, item in enumerate(node.value)]
    return _scalar(node, doc, constructor)


# YAML 1.1 reads 050000 as octal (20480), 0x10 as hex, 1:30:00 as base 60 and 1_000 as 1000: a
# number in a data file must be written plainly, so nobody's figure silently becomes another.
_PLAIN_DECIMAL = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")


def _scalar(node: yaml.ScalarNode, doc: YamlDocument, constructor: yaml.SafeLoader) -> Any:
    tag = node.tag
    if (tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and not node.style
            and not _PLAIN_DECIMAL.fullmatch(node.value) and node.value.lower().lstrip("+-") not in (".inf", ".nan")):
        raise DataError(f"'{_short(node.value)}' is not a plain decimal number, and YAML would read it as another "
                        "number (a leading 0 as octal, 0x as hexadecimal, ':' as base 60, '_' dropped).",
                        file=doc.file, line=node.start_mark.line + 1,
                        fix="write the number in plain digits, e.g. 50000 or 1250.50; if it is text, put it in quotes.")
    if tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates are parsed by the model so errors can explain themselves
    if tag == "tag:yaml.org,2002:float":
        try:
            return Decimal(node.value.replace("_", ""))  # money is never a binary float
        except InvalidOperation:
            return node.value
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"):
        try:
            return constructor.construct_object(node)
        except ValueError:  # e.g. an integer longer than Python will convert: let the model explain
            return node.value
    return node.value


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."
