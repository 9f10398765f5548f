"""Carry the action plan into the next year: ``new-year`` copies each action of the old year that is
not done into the new year (same id, ``carried_from`` the old year), so the new year's report shows
it as carried. The old year's entries stay as they were: its report still shows what was done."""
from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from ..load.people import ACTIONS, read_records

if TYPE_CHECKING:
    from ..load.side_models import ActionRecord

HEADER = """\
# The action plan (thscp_kg/load/people.py): each action has id, period (the reporting year), action,
# owner (a post id), due, and optionally requirement, entity, done (the date) and carried_from.
# `thscp-kg new-year` carries the actions not done into the next year.
"""
FIELDS = ("period", "action", "owner", "due", "requirement", "entity", "done", "carried_from")


def carry(folder: Path, old_period: str, new_period: str) -> tuple[str, int] | None:
    """The new text of ``folder/actions.yaml`` and how many actions were carried; None when there is no file
    or nothing to carry (the file, with its comments, is then left as it is)."""
    path = folder / ACTIONS
    if not path.is_file():
        return None
    records = read_records(path, "actions")[0]
    present = {(r.id, r.period) for r in records}
    carried = [r.copy_with(period=new_period, carried_from=r.carried_from or old_period, done=None)
               for r in records if r.period == old_period and r.done is None and (r.id, new_period) not in present]
    if not carried:
        return None
    return render(records + carried), len(carried)


def render(records: list[ActionRecord]) -> str:
    lines = [HEADER, "actions:"]
    for r in sorted(records, key=lambda r: (r.period, r.due, r.id)):
        lines.append(f"  - id: {r.id}")
        for name in FIELDS:
            value = getattr(r, name)
            if value is None:
                continue
            text = value.isoformat() if hasattr(value, "isoformat") else " ".join(str(value).split())
            if name == "action":
                text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
            lines.append(f"    {name}: {text}")
    return "\n".join(lines) + "\n"
