"""``draft --into FILE``: what the documents add to an existing data file, as a unified diff.

The existing file is never rewritten as a whole (its comments and order are the officer's): new
entries are inserted as text at the end of their list, and a value the documents give differently
is shown as a comment on the entry (``# draft: ...``) for a person to decide. Entries match by id,
by name or title (ignoring case and punctuation), or by sharing an evidence quote.
"""
from __future__ import annotations

import difflib
import re
import tempfile
from pathlib import Path

from ..errors import DataError
from ..yamlsafe import load_yaml
from .normalise import normalise_text

LISTS = ("organisations", "people", "posts", "groups", "linked_boards", "practice_reviews", "activity_counts")
NAMES = ("id", "name", "title")


def check_draft(text: str, period: str) -> None:
    """Load the drafted text as ``check`` would; a failure is an internal error (the drafter wrote it)."""
    from ..loader import load_partnership_year

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{period}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_partnership_year(path, display=f"draft {period}.yaml")
        except DataError as exc:
            raise RuntimeError(f"the drafted file does not load ({exc})") from None


def _quotes(entry: dict) -> set[str]:
    found = set()
    for ev in entry.get("evidence") or []:
        if isinstance(ev, dict) and ev.get("quote"):
            found.add(normalise_text(str(ev["quote"])).lower())
    return found


def _same(a: dict, b: dict) -> bool:
    for field in NAMES:
        if a.get(field) and b.get(field) and normalise_text(str(a[field])).lower() == normalise_text(str(b[field])).lower():
            return True
    if "measure" in a and a.get("measure") == b.get("measure") and a.get("measure") != "other":
        return True
    qa, qb = _quotes(a), _quotes(b)
    return any(x in y or y in x for x in qa for y in qb)


def _dump(entries: list[dict], indent: int) -> list[str]:
    from .draft import render_yaml

    text = render_yaml({"x": entries}, []).split("\nx:\n", 1)[1]
    pad = " " * indent
    out = []
    for line in text.splitlines():
        # yaml.dump writes list items of a top-level key at column 0 ("- id: ..."); indent to match.
        out.append(pad + line if line else line)
    return out


def diff_into(path: Path, draft: dict) -> str:
    display = str(path)
    doc = load_yaml(path, display)
    if not isinstance(doc.data, dict):
        raise DataError("the file is not a partnership-year (it holds no fields).", file=display,
                        fix="give the data file the draft should be compared with.")
    original = path.read_text(encoding="utf-8").splitlines(keepends=False)
    inserts: dict[int, list[str]] = {}   # insert before this 0-based line index
    appended: list[str] = []
    keys = list(doc.data)
    for key in LISTS + ("contributions", "expenditure"):
        if key in ("contributions", "expenditure"):
            new_entries = (draft.get("funding") or {}).get(key) or []
            existing = ((doc.data.get("funding") or {}).get(key)) or []
            path_ = ("funding", key)
        else:
            new_entries, existing, path_ = draft.get(key) or [], doc.data.get(key) or [], (key,)
        if not isinstance(existing, list):
            continue
        added = []
        for entry in new_entries:
            match = next((i for i, old in enumerate(existing) if isinstance(old, dict) and _same(entry, old)), None)
            if match is None:
                added.append(entry)
                continue
            note = _difference(entry, existing[match])
            if note:
                line = doc.lines.get(path_ + (match,))
                if line:
                    indent = len(original[line - 1]) - len(original[line - 1].lstrip(" -"))
                    inserts.setdefault(line - 1, []).append(" " * indent + f"# draft: {note}")
        if not added:
            continue
        if existing:
            last = doc.lines.get(path_ + (len(existing) - 1,))
            first = doc.lines.get(path_ + (0,))
            indent = len(original[first - 1]) - len(original[first - 1].lstrip(" ")) if first else 2
            end = _end_of_block(original, last, indent) if last else len(original)
            inserts.setdefault(end, []).extend(_dump(added, indent))
        elif len(path_) == 1 and key not in keys:
            appended += [f"{key}:"] + _dump(added, 2)
        else:
            line = doc.lines.get(path_)
            if line:
                inserts.setdefault(line, []).extend(_dump(added, len(path_) * 2))
    changed: list[str] = []
    for index, line in enumerate(original):
        changed.extend(inserts.get(index, []))
        changed.append(line)
    changed.extend(inserts.get(len(original), []))
    if appended:
        changed += [""] + appended
    diff = difflib.unified_diff([x + "\n" for x in original], [x + "\n" for x in changed],
                                fromfile=f"a/{display}", tofile=f"b/{display}")
    text = "".join(diff)
    return text or f"# thscp-kg draft: the documents add nothing new to {display}.\n"


def _difference(new: dict, old: dict) -> str | None:
    for field in ("value", "amount", "kind", "status", "stated_period"):
        if field in new and field in old and _plain(new[field]) != _plain(old[field]):
            quote = next(iter(sorted(_quotes(new))), "")
            return f"the documents give {field} {_plain(new[field])} (was {_plain(old[field])}): “{quote[:120]}”"
    return None


def _plain(value) -> str:
    if isinstance(value, dict) and "amount" in value:
        value = value["amount"]
    try:
        number = float(str(value))
        return str(int(number)) if number == int(number) else str(number)
    except (TypeError, ValueError):
        return str(value)


def _end_of_block(lines: list[str], last_item_line: int, indent: int) -> int:
    """Index just after the last item of a list whose first line is ``last_item_line`` (1-based);
    trailing comments and blank lines stay after the insertion."""
    end = last_item_line
    for index in range(last_item_line, len(lines)):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            continue
        current = len(lines[index]) - len(lines[index].lstrip(" "))
        if current < indent or (current == indent and not stripped.startswith("- ")) or \
                (current == indent and stripped.startswith("- ")):
            break
        end = index + 1
    return end
