"""``draft --into FILE``: what the documents add to an existing data file, as a unified diff.

The existing file is never rewritten as a whole (its comments and order are the officer's): new
entries are inserted as text at the end of their list, and a value the documents give differently
is shown as a comment on the entry (``# draft: ...``) for a person to decide. Entries match by id,
by name or title (ignoring case and punctuation), or by sharing an evidence quote.
"""
from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from ..errors import DataError
from ..yamlsafe import load_yaml
from .normalise import normalise_text

LISTS = ("sources", "organisations", "people", "posts", "groups", "linked_boards", "practice_reviews", "activity_counts")


def check_draft(text: str, period: str, base: Path | None = None) -> None:
    """Load the drafted text as ``check`` would, from the folder it goes to (its ``file:`` paths are
    relative to it); a failure is an internal error (the drafter wrote it)."""
    from ..load.loader import load_partnership_year

    folder = base if base is not None and base.is_dir() else Path.cwd()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", prefix=".thscp-draft-", dir=folder,
                                     encoding="utf-8", delete=True) as handle:
        handle.write(text)
        handle.flush()
        try:
            load_partnership_year(Path(handle.name), display=f"draft {period}.yaml")
        except DataError as exc:
            raise RuntimeError(f"the drafted file does not load ({exc})") from None


STATUTORY = ("local-authority", "integrated-care-board", "police", "clinical-commissioning-group")
_GENERIC = {"thscp", "group", "sub", "board", "the", "of"}


def _text(value) -> str:
    return normalise_text(str(value or "")).lower()


def _names_match(a: str, b: str) -> bool:
    from .draft import _tokens, acronyms

    ta, tb = _tokens(a) - _GENERIC, _tokens(b) - _GENERIC
    return bool(ta and tb and (ta <= tb or tb <= ta)) or a.upper().replace(" ", "") in acronyms(b) \
        or b.upper().replace(" ", "") in acronyms(a)


def _same(key: str, new: dict, old: dict) -> bool:
    """Whether a drafted entry and an existing one are the same thing, per kind of list."""
    if new.get("id") and new.get("id") == old.get("id"):
        return True
    if key == "sources":
        return bool(new.get("file")) and new.get("file") == old.get("file")
    if key == "activity_counts":
        return new.get("measure") == old.get("measure") and (new.get("measure") != "other"
                                                               or _text(new.get("label")) == _text(old.get("label")))
    if key == "contributions":
        return new.get("contributor") == old.get("contributor") or _money(new) == _money(old)
    if key == "expenditure":
        return _text(new.get("item")) == _text(old.get("item")) or _money(new) == _money(old)
    if key == "organisations" and (new.get("kind") in STATUTORY or old.get("kind") in STATUTORY):
        return new.get("kind") == old.get("kind")
    if key == "posts":
        held = {h.get("person") for h in new.get("holders") or []} & {h.get("person") for h in old.get("holders") or []}
        return bool(held) or _text(new.get("title")) == _text(old.get("title")) or \
            _names_match(str(new.get("title")), str(old.get("title"))) and not (new.get("holders") or old.get("holders"))
    for field in ("name", "title"):
        if new.get(field) and old.get(field) and (_text(new[field]) == _text(old[field])
                                                  or _names_match(str(new[field]), str(old[field]))):
            return True
    return False


def _use_existing_sources(draft: dict, existing: list) -> dict:
    """The draft's evidence rewritten to cite the existing file's source ids (matched by file name)."""
    import json

    ids = {s["id"]: old["id"] for s in draft.get("sources", []) for old in existing
           if isinstance(old, dict) and s.get("file") and s.get("file") == old.get("file") and old.get("id")}

    def rewrite(value):
        if isinstance(value, dict):
            out = {k: rewrite(v) for k, v in value.items()}
            if "source" in out and "quote" in out and out["source"] in ids:
                out["source"] = ids[out["source"]]
            if set(out) >= {"id", "kind"} and out.get("presents") in ids:
                out["presents"] = ids[out["presents"]]
            return out
        if isinstance(value, list):
            return [rewrite(v) for v in value]
        return value

    return rewrite(json.loads(json.dumps(draft, default=str))) if ids else draft


def _money(entry: dict) -> str:
    return _plain(entry.get("amount"))


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
    """The unified diff from the existing file to the file with the draft's new entries and notes."""
    original, changed = merge_into(path, draft)
    diff = difflib.unified_diff([x + "\n" for x in original], [x + "\n" for x in changed],
                                fromfile=f"a/{path}", tofile=f"b/{path}")
    text = "".join(diff)
    return text or f"# thscp-kg draft: the documents add nothing new to {path}.\n"


def merge_into(path: Path, draft: dict) -> tuple[list[str], list[str]]:
    """The existing file's lines, and the lines with new entries inserted and differences noted."""
    display = str(path)
    doc = load_yaml(path, display)
    if not isinstance(doc.data, dict):
        raise DataError("the file is not a partnership-year (it holds no fields).", file=display,
                        fix="give the data file the draft should be compared with.")
    draft = _use_existing_sources(draft, doc.data.get("sources") or [])
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
            match = next((i for i, old in enumerate(existing) if isinstance(old, dict) and _same(key, entry, old)), None)
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
    return original, changed


def _difference(new: dict, old: dict) -> str | None:
    for field in ("value", "amount", "status", "stated_period"):
        if field in new and field in old and _plain(new[field]) != _plain(old[field]):
            quote = next((normalise_text(e["quote"]) for e in new.get("evidence") or [] if e.get("quote")), "")
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
