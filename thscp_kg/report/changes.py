"""Plain lines describing what changed in the arrangements between two years (text, Markdown, HTML).
"""
from __future__ import annotations

from decimal import Decimal


# -- text ------------------------------------------------------------------------------------------
def _gbp(value: str | None, currency: str) -> str:
    if value is None:
        return "not recorded"
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):,.2f}".removesuffix(".00")
    return f"{sign}£{text}" if currency == "GBP" else f"{sign}{text} {currency}"


def change_lines(changes: dict) -> list[str]:
    """Plain lines describing the arrangements' changes (shared by text and Markdown)."""
    lines: list[str] = []

    def block(title: str, part: dict, name_key: str = "name") -> None:
        for item in part.get("added", []):
            lines.append(f"{title}: added {item[name_key]} ({item['id']})")
        for item in part.get("removed", []):
            lines.append(f"{title}: removed {item[name_key]} ({item['id']})")
        for item in part.get("changed", []):
            detail = "; ".join(f"{c['field']} {_show(c['old'])} → {_show(c['new'])}" for c in item["changes"])
            lines.append(f"{title}: changed {item[name_key]} ({item['id']}): {detail}")

    block("Safeguarding partner", changes["partners"])
    block("Post", changes["posts"], "title")
    for item in changes["holders"]["added"]:
        lines.append(f"Post holder: {item['name']} now holds {item['post_title']} ({item['post']})")
    for item in changes["holders"]["removed"]:
        lines.append(f"Post holder: {item['name']} no longer holds {item['post_title']} ({item['post']})")
    block("Group", changes["groups"])
    block("Linked board", changes["linked_boards"])
    funding = changes["funding"]
    cur = funding["currency"]
    for row in funding["contributors"]:
        pct = f", {row['percent']:+.1f}%" if "percent" in row else ""
        change = (f" ({'+' if Decimal(row['change']) >= 0 else ''}{_gbp(row['change'], cur)}{pct})"
                  if row["old"] is not None and row["new"] is not None else "")
        lines.append(f"Funding: {row['name']} {_gbp(row['old'], cur)} → {_gbp(row['new'], cur)}{change}")
    if funding["contributors"]:
        lines.append(f"Funding: total contributions {_gbp(funding['total_old'], cur)} → "
                     f"{_gbp(funding['total_new'], cur)}")
    return lines


def _show(value) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
