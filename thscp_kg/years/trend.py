"""Trend: one partnership over several years — requirement outcomes, funding, activity and reviews.

``build_trend(folder)`` checks every ``YYYY-YY.yaml`` in the folder in-process
(``pipeline.check_file``, one run per year under the edition its own dates select) and gathers:

- each requirement's outcome per year (met, not met, not evidenced, not applicable, to be assessed);
- funding by contributor per financial year, and the years whose funding is recorded without
  amounts;
- activity figures (``activity_counts``) as series over the periods they are stated for;
- reviews (stated counts and the practice reviews recorded) and the timeliness requirements.

Every number that comes from the data carries where it came from: the data file and line, and
the evidence recorded for it (source document file, section and quotation). Requirement outcomes
and finding counts come from the check run of the named data file. The renderers (text,
Markdown, JSON, HTML with a small inline SVG chart) are pure functions of the trend dict and
give the same bytes for the same input. Waivers are not applied: a trend shows each year as the
checker finds it.
"""
from __future__ import annotations

import html
import json
import re
import textwrap
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..errors import ConfigError
from ..materialise.documents import read_period
from ..report.common import late_text
from ..safe_text import md_text

YEAR_FILE = re.compile(r"^([0-9]{4})-([0-9]{2})\.yaml$")
STATUSES = ("met", "not-met", "not-evidenced", "not-yet-due", "waived", "to-be-assessed", "not-applicable",
            "not-yet-in-force")
STATUS_TEXT = {"met": "met", "not-met": "not met", "not-evidenced": "not evidenced", "waived": "waived",
               "to-be-assessed": "to be assessed", "not-applicable": "n/a", "not-yet-due": "not yet due",
               "not-yet-in-force": "not yet in force"}
SEVERITIES = ("violation", "warning", "info")
# Requirements on timeliness shown with the reviews: the notification, rapid review and practice
# review rules, and the yearly report's timing rules.
TIMELINESS_AREAS = {"NOT", "RR", "LCSPR", "REG"}
TIMELINESS_EXTRA = ("CA04-16G-03", "WT18-YR-03", "WT23-YR-05", "WT23-YR-06")
MARCH_END = re.compile(r"^(?:end of\s+)?March\s+([0-9]{4})$", re.IGNORECASE)


@dataclass
class _Year:
    path: Path
    display: str
    run: object  # pipeline.CheckRun


def year_files(folder: Path) -> list[Path]:
    """The partnership-year files in ``folder`` (``YYYY-YY.yaml``), oldest first."""
    if not folder.is_dir():
        raise ConfigError(f"'{folder}' is not a folder.",
                          fix="give the folder that holds the yearly data files, e.g. data/tower-hamlets/.")
    files = sorted(p for p in folder.iterdir() if p.is_file() and YEAR_FILE.match(p.name))
    if not files:
        raise ConfigError(f"no partnership-year files (YYYY-YY.yaml) in '{folder}'.",
                          fix="give the folder that holds the yearly data files, e.g. data/tower-hamlets/.")
    return files


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def build_trend(folder: Path | str, *, profile_path: Path | None = None) -> dict:
    """Check every year in ``folder`` and gather the trend (a JSON-ready dict)."""
    from ..pipeline import check_file
    from ..rules.catalogue import load_catalogue
    from ..rules.profile import load_profile

    folder = Path(folder)
    catalogue = load_catalogue()
    profile = load_profile(profile_path)
    years: list[_Year] = []
    for path in year_files(folder):
        display = _display(path)
        run = check_file(path, profile_path=profile_path, catalogue=catalogue, display=display, use_waivers=False)
        years.append(_Year(path, display, run))
    partnerships = sorted({y.run.assessment.partnership for y in years})
    if len(partnerships) > 1:
        raise ConfigError(f"the files in '{folder}' are for more than one partnership ({', '.join(partnerships)}).",
                          fix="keep one partnership's years in one folder.")
    last = years[-1].run.assessment
    return {
        "trend_version": 1,
        "partnership": last.partnership,
        "partnership_name": last.partnership_name,
        "profile": profile.profile.id,
        "waivers": "not applied",
        "periods": [y.run.assessment.period for y in years],
        "years": [_year_row(y, profile.profile) for y in years],
        "requirements": _requirements(years, catalogue),
        "funding": _funding(years),
        "activity": _activity(years),
        "reviews": _reviews(years, catalogue),
    }


# -- gathering ---------------------------------------------------------------------------------
def _year_row(y: _Year, profile) -> dict:
    a = y.run.assessment
    year = y.run.loaded.year
    statuses = Counter(o.status.value for o in a.outcomes)
    notes = []
    if year.period.end < profile.arrangements.first_publication_by:
        notes.append("before the first safeguarding partnership arrangements were due "
                     f"({profile.arrangements.first_publication_by.isoformat()}): partnership duties did not "
                     "yet bind, so their outcomes are shown as the checker computes them, not as gaps")
    if not any(d.kind.value == "yearly-report" for d in year.documents):
        notes.append("no yearly report recorded")
    if year.as_of is None:
        notes.append("no as-of date in the data: evaluated at the period end")
    return {
        "period": a.period,
        "file": y.display,
        "as_of": a.as_of,
        "editions": [e["id"] for e in a.editions],
        "outcomes": {s: statuses.get(s, 0) for s in STATUSES},
        # As page one of the gap report counts it: met out of applicable (not-applicable and
        # person-assessed requirements left out).
        "applicable": sum(statuses.values()) - statuses.get("not-applicable", 0) - statuses.get("to-be-assessed", 0),
        "findings": a.counts(),
        "notes": notes,
    }


def _requirements(years: list[_Year], catalogue) -> list[dict]:
    rows: dict[str, dict] = {}
    for y in years:
        a = y.run.assessment
        for o in a.outcomes:
            row = rows.setdefault(o.requirement, {
                "requirement": o.requirement, "title": o.title, "area": o.area, "modality": o.modality,
                "severity": o.severity, "verification": o.verification, "by_year": {}})
            row["by_year"][a.period] = {"status": o.status.value, "findings": o.findings, "file": y.display}
    return [rows[k] for k in sorted(rows)]


def _evidence(items) -> list[dict]:
    return [{k: v for k, v in (("source", e.source), ("section", e.section), ("quote", e.quote)) if v is not None}
            for e in items]


def _with_files(evidence: list[dict], year) -> list[dict]:
    files = {s.id: s.file for s in year.sources}
    out = []
    for e in evidence:
        e = dict(e)
        if files.get(e["source"]):
            e["source_file"] = files[e["source"]]
        out.append(e)
    return out


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _org_names(year) -> dict[str, str]:
    from ..load.loader import national_bodies
    return {b["id"]: b["name"] for b in national_bodies()} | {o.id: o.name for o in year.organisations}


def _funding(years: list[_Year]) -> dict:
    contributors: dict[str, dict] = {}
    totals: dict[str, dict] = {}
    without_amounts: list[dict] = []
    for y in years:
        loaded = y.run.loaded
        year = loaded.year
        funding = year.funding
        if funding is None:
            continue
        names = _org_names(year)
        fy = funding.financial_year
        for i, c in enumerate(funding.contributions):
            row = contributors.setdefault(c.contributor, {"contributor": c.contributor, "name": names.get(c.contributor,
                                                          c.contributor), "by_year": {}})
            row["name"] = names.get(c.contributor, row["name"])
            row["by_year"][fy] = {
                "amount": _number(c.amount.amount), "currency": c.amount.currency, "kind": c.kind.value,
                "one_off": c.one_off, "file": y.display,
                "line": loaded.document.line_of(("funding", "contributions", i)),
                "evidence": _with_files(_evidence(c.evidence), year)}
        stated = {}
        for key in ("stated_income_total", "stated_expenditure_total"):
            money = getattr(funding, key)
            if money is not None:
                stated[key] = {"amount": _number(money.amount), "currency": money.currency}
        if funding.contributions:
            currency = funding.contributions[0].amount.currency
            totals[fy] = {"contributions_sum": _number(sum((c.amount.amount for c in funding.contributions), Decimal(0))),
                          "currency": currency, **stated, "file": y.display,
                          "line": loaded.document.line_of(("funding",)),
                          "evidence": _with_files(_evidence(funding.evidence), year)}
        else:
            without_amounts.append({"financial_year": fy, "file": y.display,
                                    "line": loaded.document.line_of(("funding",)),
                                    "evidence": _with_files(_evidence(funding.evidence), year)})
    return {"contributors": [contributors[k] for k in sorted(contributors, key=lambda c: (contributors[c]["name"], c))],
            "totals": {k: totals[k] for k in sorted(totals)},
            "without_amounts": sorted(without_amounts, key=lambda r: r["financial_year"])}


def _period_of(stated: str | None, file_period: str) -> tuple[str, str]:
    """The period a figure is for, and on what basis."""
    if stated:
        reading = read_period(stated)
        if reading.normalised:
            return reading.normalised, f"stated as '{stated}'"
        march = MARCH_END.match(stated.strip())
        if march:
            end = int(march.group(1))
            return f"{end - 1}-{end % 100:02d}", f"stated as '{stated}' (the year ending then)"
        if reading.problem:
            return file_period, f"stated as '{stated}', which is not a possible period ({reading.problem}); " \
                                f"shown under the data file's period"
        return file_period, f"stated as '{stated}'; shown under the data file's period"
    return file_period, "no period stated; shown under the data file's period"


def _activity(years: list[_Year]) -> list[dict]:
    series: dict[str, dict] = {}
    for y in years:
        loaded = y.run.loaded
        year = loaded.year
        for i, count in enumerate(year.activity_counts):
            measure = count.measure.value
            key = measure if measure != "other" else f"other: {count.label or '?'}"
            row = series.setdefault(key, {"series": key, "measure": measure, "label": count.label or measure,
                                          "values": []})
            if count.label:
                row["label"] = count.label
            period, basis = _period_of(count.stated_period, year.period.id)
            row["values"].append({
                "period": period, "value": _number(count.value), "stated_period": count.stated_period,
                "period_basis": basis, "file": y.display, "line": loaded.document.line_of(("activity_counts", i)),
                "evidence": _with_files(_evidence(count.evidence), year)})
    out = []
    for key in sorted(series, key=lambda k: (series[k]["label"].lower(), k)):
        row = series[key]
        row["values"].sort(key=lambda v: (v["period"], v["file"], v["line"] or 0))
        by_period: dict[str, set] = {}
        for v in row["values"]:
            by_period.setdefault(v["period"], set()).add(v["value"])
        row["conflicts"] = sorted(p for p, vals in by_period.items() if len(vals) > 1)
        out.append(row)
    return out


def _reviews(years: list[_Year], catalogue) -> dict:
    by_year = {}
    for y in years:
        loaded = y.run.loaded
        year = loaded.year
        stated = {}
        for i, count in enumerate(year.activity_counts):
            if count.measure.value in ("rapid-reviews", "practice-reviews"):
                stated[count.measure.value] = {
                    "value": _number(count.value), "stated_period": count.stated_period, "file": y.display,
                    "line": loaded.document.line_of(("activity_counts", i)),
                    "evidence": _with_files(_evidence(count.evidence), year)}
        items = [{"id": r.id, "title": r.title, "status": r.status.value,
                  "published": r.published.isoformat() if r.published else None,
                  "published_year": r.published_year, "file": y.display,
                  "line": loaded.document.line_of(("practice_reviews", i)),
                  "evidence": _with_files(_evidence(r.evidence), year)}
                 for i, r in enumerate(year.practice_reviews)]
        by_year[year.period.id] = {
            "stated": stated,
            "practice_reviews_recorded": {"count": len(items), "by_status": dict(sorted(Counter(
                i["status"] for i in items).items())), "items": items},
            "rapid_reviews_recorded": len(year.rapid_reviews),
            "serious_incidents_recorded": len(year.serious_incidents),
        }
    ids = sorted(r.id for r in catalogue.active() if r.area in TIMELINESS_AREAS or r.id in TIMELINESS_EXTRA)
    timeliness = []
    for req_id in ids:
        row = {"requirement": req_id, "title": catalogue.get(req_id).title, "by_year": {}}
        for y in years:
            a = y.run.assessment
            outcome = next((o for o in a.outcomes if o.requirement == req_id), None)
            if outcome is None:
                continue
            late = [f for f in a.findings if f.requirement == req_id and f.days_late is not None]
            row["by_year"][a.period] = {"status": outcome.status.value, "findings": outcome.findings,
                                        "days_late": sorted(f.days_late for f in late), "file": y.display}
            worst = max(late, key=lambda f: (f.days_late, not f.days_late_at_least), default=None)
            if worst is not None and worst.days_late_at_least:  # on an approximate date: the least it can be
                row["by_year"][a.period]["worst_at_least"] = True
        timeliness.append(row)
    return {"by_year": by_year, "timeliness": timeliness}


# -- rendering ---------------------------------------------------------------------------------
def render_json(trend: dict) -> str:
    return json.dumps(trend, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _money(amount, currency: str) -> str:
    symbol = {"GBP": "£"}.get(currency)
    text = f"{amount:,.2f}".removesuffix(".00") if isinstance(amount, float) else f"{amount:,}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def _figure(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


class _Notes:
    """Numbered source notes, in the order the numbers are rendered."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def ref(self, item: dict) -> int:
        text = source_text(item)
        if text not in self._index:
            self.items.append(text)
            self._index[text] = len(self.items)
        return self._index[text]


def source_text(item: dict) -> str:
    """'data file:line — source file, section: “quote”' for each piece of evidence."""
    where = f"{item['file']}:{item['line']}" if item.get("line") else item["file"]
    parts = []
    for e in item.get("evidence", []):
        text = f"{e.get('source_file') or e['source']}, {e['section']}"
        if e.get("quote"):
            text += f": “{e['quote']}”"
        parts.append(text)
    return f"{where} — " + "; ".join(parts) if parts else f"{where} — no evidence recorded"


def _status_cell(cell: dict | None) -> str:
    if cell is None:
        return ""
    text = STATUS_TEXT[cell["status"]]
    if cell["status"] == "not-met":
        text = f"**{text}**"
    if cell.get("findings") and cell["status"] not in ("met", "not-applicable"):
        text += f" ({cell['findings']})"
    return text


def _md_cell(text: str) -> str:
    return md_text(text)


def _span(periods: list[str]) -> str:
    return periods[0] if len(periods) == 1 else f"{periods[0]} to {periods[-1]}"


def render_markdown(trend: dict) -> str:
    periods = trend["periods"]
    notes = _Notes()
    out = [f"# Trend: {trend['partnership_name']}, {_span(periods)}", "",
           f"Generated by `thscp-kg trend` from {len(periods)} data files (profile {trend['profile']}; waivers not "
           "applied). Requirement outcomes are each year's `thscp-kg check` run of the data file named; every "
           "figure from the data carries a note giving the data file and line and the source document, section "
           "and quotation it rests on.", ""]
    out += ["## Years", "", "| Period | Data file | As of | Editions | Met | Not met | Not evidenced | N/A | "
            "To be assessed | Violations | Warnings | Info | Notes |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for y in trend["years"]:
        o, f = y["outcomes"], y["findings"]
        out.append(f"| {y['period']} | `{y['file']}` | {y['as_of']} | {', '.join(y['editions'])} | {o['met']} | "
                   f"{o['not-met']} | {o['not-evidenced']} | {o['not-applicable']} | {o['to-be-assessed']} | "
                   f"{f['violation']} | {f['warning']} | {f['info']} | {_md_cell('; '.join(y['notes']))} |")
    out += ["", "## Requirements across years", "",
            "Outcome per year (number of findings in brackets); requirements not applicable in any year are left out.",
            "", "| Requirement | Title | " + " | ".join(periods) + " |", "|---|---|" + "---|" * len(periods)]
    for r in trend["requirements"]:
        cells = [r["by_year"].get(p) for p in periods]
        if all(c is None or c["status"] == "not-applicable" for c in cells):
            continue
        out.append(f"| {r['requirement']} | {_md_cell(r['title'])} | " + " | ".join(_status_cell(c) for c in cells) + " |")
    out += ["", "## Funding by partner", ""]
    funding = trend["funding"]
    fys = sorted({fy for c in funding["contributors"] for fy in c["by_year"]} | set(funding["totals"]))
    if fys:
        out += ["| Contributor | " + " | ".join(fys) + " |", "|---|" + "---|" * len(fys)]
        for label, is_total, cells in funding_rows(funding, fys):
            shown = ["—" if c is None else f"{c[0]} [^{notes.ref(c[1])}]" for c in cells]
            out.append(f"| {label if is_total else _md_cell(label)} | " + " | ".join(shown) + " |")
    else:
        out.append("No funding amounts are recorded in any year.")
    if funding["without_amounts"]:
        out += ["", "Funding recorded without amounts:", ""]
        out += [f"- {r['financial_year']}: no amounts in the sources [^{notes.ref(r)}]" for r in funding["without_amounts"]]
    out += ["", "## Activity over time", ""]
    act_periods = sorted({v["period"] for s in trend["activity"] for v in s["values"]})
    if trend["activity"]:
        out += ["| Measure | " + " | ".join(act_periods) + " |", "|---|" + "---|" * len(act_periods)]
        for s in trend["activity"]:
            cells = []
            for p in act_periods:
                vals = [v for v in s["values"] if v["period"] == p]
                cells.append(" / ".join(f"{_figure(v['value'])}{'*' if 'not a possible' in v['period_basis'] else ''}"
                                        f" [^{notes.ref(v)}]" for v in vals) or "—")
            out.append(f"| {_md_cell(s['label'])} | " + " | ".join(cells) + " |")
        out += ["", "\\* the source states an impossible period (e.g. '23-23'); the figure is shown under its data "
                "file's period (DOC-02)."]
        conflicts = [(s["label"], p) for s in trend["activity"] for p in s["conflicts"]]
        if conflicts:
            out += [""] + [f"- Sources disagree: {_md_cell(label)}, {p}." for label, p in conflicts]
    else:
        out.append("No activity figures are recorded.")
    out += ["", "## Reviews and timeliness", "", "| | " + " | ".join(periods) + " |", "|---|" + "---|" * len(periods)]
    by_year = trend["reviews"]["by_year"]
    for key, label in (("rapid-reviews", "Rapid reviews (as stated)"), ("practice-reviews", "Practice reviews (as stated)")):
        cells = []
        for p in periods:
            v = by_year[p]["stated"].get(key)
            cells.append("—" if v is None else f"{_figure(v['value'])} [^{notes.ref(v)}]")
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for p in periods:
        rec = by_year[p]["practice_reviews_recorded"]
        if not rec["count"]:
            cells.append("—")
            continue
        refs = "".join(f"[^{notes.ref(i)}]" for i in rec["items"])
        detail = ", ".join(f"{n} {s}" for s, n in rec["by_status"].items())
        cells.append(f"{rec['count']} ({detail}) {refs}")
    out.append("| Practice reviews recorded | " + " | ".join(cells) + " |")
    out += ["", "Timeliness requirements (outcome per year; days late where a date is recorded):", "",
            "| Requirement | Title | " + " | ".join(periods) + " |", "|---|---|" + "---|" * len(periods)]
    for r in trend["reviews"]["timeliness"]:
        cells = [r["by_year"].get(p) for p in periods]
        if all(c is None or c["status"] == "not-applicable" for c in cells):
            continue
        texts = []
        for c in cells:
            text = _status_cell(c)
            if c and c["days_late"]:
                text += f", {late_text(max(c['days_late']), c.get('worst_at_least'))}"
            texts.append(text)
        out.append(f"| {r['requirement']} | {_md_cell(r['title'])} | " + " | ".join(texts) + " |")
    out += ["", "## Sources", ""]
    out += [f"[^{i}]: {_md_cell(text)}" for i, text in enumerate(notes.items, start=1)]
    return "\n".join(out).rstrip() + "\n"


def render_text(trend: dict, width: int | None = None) -> str:
    """``width``: a terminal's. Lines longer than it are wrapped, a year's notes go under its figures and
    the outcome-change table is given one requirement at a time; None (trend.txt, pipes, CI logs) keeps
    the tables whole, the same bytes wherever they are made."""
    from ..report.text import wrap

    periods = trend["periods"]
    out = [f"Trend: {trend['partnership_name']}, {_span(periods)} ({len(periods)} year{'s' if len(periods) != 1 else ''}; "
           f"profile {trend['profile']}; waivers not applied)", ""]
    # Column widths: the file's, or one space apart when those do not fit the terminal (60 columns).
    spaced = (9, 12, 5, 8, 7, 6, 6, 6, 6)
    tight = (8, 11, 4, 7, 6, 4, 5, 5, 5)
    cols = tight if width is not None and sum(spaced) > width else spaced
    names = ("Period", "As of", "Met", "NotMet", "NotEv", "N/A", "Viol", "Warn", "Info")
    header = f"{names[0]:<{cols[0]}}{names[1]:<{cols[1]}}" + "".join(f"{n:>{c}}" for n, c in zip(names[2:], cols[2:]))
    out.append(header if width is not None and len(header) + 7 > width else header + "  Notes")
    for y in trend["years"]:
        o, f = y["outcomes"], y["findings"]
        figures = (o["met"], o["not-met"], o["not-evidenced"], o["not-applicable"],
                   f["violation"], f["warning"], f["info"])
        row = f"{y['period']:<{cols[0]}}{y['as_of']:<{cols[1]}}" + "".join(
            f"{v:>{c}}" for v, c in zip(figures, cols[2:]))
        notes = "; ".join(y["notes"])
        if width is not None and notes and len(row) + 2 + len(notes) > width:
            out += [row, *wrap(" " * cols[0] + notes, width)]   # under the year's figures, from "As of"
        else:
            out.append(f"{row}  {notes}")
    changed = []
    for r in trend["requirements"]:
        seq = [r["by_year"].get(p, {}).get("status", "-") for p in periods]
        if len({s for s in seq if s != "not-applicable"}) > 1:
            changed.append((r["requirement"], [STATUS_TEXT.get(s, s) for s in seq]))
    if changed:
        out += ["", "Requirements whose outcome changed:"]
        table = ["  " + " " * 14 + "  ".join(f"{p:<14}" for p in periods)]
        table += [f"  {req:<14}" + "  ".join(f"{t:<14}" for t in texts) for req, texts in changed]
        if width is not None and max(len(line.rstrip()) for line in table) > width:
            for req, texts in changed:   # too wide for this terminal: each requirement's years as a list
                # "\xa0" (which textwrap does not break at) keeps each year with its outcome
                items = ", ".join(f"{p} {t}".replace(" ", "\xa0") for p, t in zip(periods, texts))
                out += [line.replace("\xa0", " ") for line in textwrap.wrap(
                    f"  {req}: {items}", width, subsequent_indent=" " * 6, break_long_words=False,
                    break_on_hyphens=False)]
        else:
            out += table
    funding = trend["funding"]
    if funding["contributors"]:
        out += ["", "Funding by contributor:"]
        for c in funding["contributors"]:
            out.append(f"  {c['name']}: " + ", ".join(f"{fy} {_money(v['amount'], v['currency'])}"
                                                       for fy, v in sorted(c["by_year"].items())))
    for r in funding["without_amounts"]:
        out.append(f"  {r['financial_year']}: funding recorded without amounts ({r['file']}:{r['line']})")
    if trend["activity"]:
        out += ["", "Activity:"]
        for s in trend["activity"]:
            out.append(f"  {s['label']}: " + ", ".join(f"{v['period']} {_figure(v['value'])}" for v in s["values"]))
    out += ["", "Every figure's source (data file, line, source document and section) is in the Markdown, "
            "JSON and HTML outputs."]
    if width is not None:
        out = [part for line in out for part in (wrap(line.rstrip(), width) if len(line.rstrip()) > width else [line])]
    return "\n".join(line.rstrip() for line in out) + "\n"


# -- HTML ------------------------------------------------------------------------------------------
_CSS = """body{font-family:system-ui,sans-serif;margin:2rem;max-width:80rem;color:#1b1b1b}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}td.num{text-align:right}.not-met{color:#a00;font-weight:bold}.not-evidenced{color:#8a5a00}
.met{color:#060}.na{color:#777}sup a{text-decoration:none}ol.sources li{margin:.2rem 0;font-size:.9rem}
.note{font-size:.9rem;color:#444}.nw{white-space:nowrap}"""


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _chart(trend: dict) -> str:
    """The share of applicable requirements met, per year, with the year WT2023 came into force marked.
    Each bar is labelled with its figures (never colour alone); sized by its viewBox to fit an A4 page."""
    years = trend["years"]
    step, left, top, plot, bottom = 110, 60, 34, 200, 56
    width = left + step * len(years) + 20
    height = top + plot + bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'style="max-width:{width}px" role="img" aria-labelledby="chart-title">'
             '<title id="chart-title">Share of applicable requirements met, per year</title>',
             f'<text x="{left}" y="16" font-size="13" font-weight="bold">Applicable requirements met (per cent)</text>']
    for pct in (0, 50, 100):
        y = top + plot - plot * pct // 100
        parts.append(f'<line x1="{left}" y1="{y}" x2="{width - 10}" y2="{y}" stroke="#bbb" stroke-dasharray="2,3"/>'
                     f'<text x="{left - 6}" y="{y + 4}" font-size="12" text-anchor="end">{pct}%</text>')
    marked = False
    for i, row in enumerate(years):
        x = left + 20 + step * i
        met, applicable = row["outcomes"]["met"], row.get("applicable", 0)
        if not marked and "WT2023" in row.get("editions", []):
            marked = True  # the first year judged (in part) under Working Together 2023
            mx = x - (step - 60) // 2
            parts.append(f'<line x1="{mx}" y1="{top - 6}" x2="{mx}" y2="{top + plot}" stroke="#1d4ed8" '
                         f'stroke-width="2" stroke-dasharray="6,3"/><text x="{mx + 4}" y="{top - 10}" font-size="12" '
                         'fill="#1d4ed8">WT2023 in force (more rules apply)</text>')
        share = met * 100 // applicable if applicable else 0
        h = plot * share // 100
        label = f"{share}%" if applicable else "none applicable"
        parts.append(f'<rect x="{x}" y="{top + plot - h}" width="60" height="{h}" fill="#2e7d32">'
                     f'<title>{_e(row["period"])}: {met} of {applicable} applicable requirements met</title></rect>'
                     f'<text x="{x + 30}" y="{top + plot - h - 5}" font-size="12" text-anchor="middle">{label}</text>'
                     f'<text x="{x + 30}" y="{top + plot + 18}" font-size="12" text-anchor="middle">{_e(row["period"])}</text>'
                     f'<text x="{x + 30}" y="{top + plot + 34}" font-size="11" text-anchor="middle" fill="#444">'
                     f'{met} of {applicable}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _status_html(cell: dict | None) -> str:
    if cell is None:
        return "<td></td>"
    cls = {"met": "met", "not-met": "not-met", "not-evidenced": "not-evidenced", "not-applicable": "na"}.get(cell["status"], "")
    text = _e(STATUS_TEXT[cell["status"]])
    if cell.get("findings") and cell["status"] not in ("met", "not-applicable"):
        text += f" ({cell['findings']})"
    return f'<td class="{cls}">{text}</td>'


def render_html(trend: dict) -> str:
    periods = trend["periods"]
    notes = _Notes()

    def sup(item: dict) -> str:
        n = notes.ref(item)
        return f'<sup><a href="#src-{n}" title="source {n}">[{n}]</a></sup>'

    title = f"Trend: {trend['partnership_name']}, {_span(periods)}"
    h = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>", f"<h1>{_e(title)}</h1>",
         f'<p class="note">Generated by <code>thscp-kg trend</code> from {len(periods)} data files (profile '
         f'{_e(trend["profile"])}; waivers not applied). Outcomes come from each year\'s check run of the data file '
         "named; each figure from the data links to its source: data file and line, source document, section and "
         "quotation.</p>", "<h2>Years</h2>", _chart(trend),
         "<table><thead><tr><th>Period</th><th>Data file</th><th>As of</th><th>Editions</th><th>Met</th><th>Not met</th>"
         "<th>Not evidenced</th><th>N/A</th><th>To be assessed</th><th>Violations</th><th>Warnings</th><th>Info</th>"
         "<th>Notes</th></tr></thead><tbody>"]
    for y in trend["years"]:
        o, f = y["outcomes"], y["findings"]
        h.append(f'<tr><td class="nw">{_e(y["period"])}</td><td class="nw"><code>{_e(y["file"])}</code></td>'
                 f'<td class="nw">{_e(y["as_of"])}</td>'
                 f"<td>{_e(', '.join(y['editions']))}</td>" + "".join(
                     f'<td class="num">{n}</td>' for n in (o["met"], o["not-met"], o["not-evidenced"], o["not-applicable"],
                                                          o["to-be-assessed"], f["violation"], f["warning"], f["info"]))
                 + f"<td>{_e('; '.join(y['notes']))}</td></tr>")
    h.append("</tbody></table>")
    h += ["<h2>Requirements across years</h2>",
          '<p class="note">Outcome per year (number of findings in brackets); requirements not applicable in any '
          "year are left out.</p>", "<table><thead><tr><th>Requirement</th><th>Title</th>"
          + "".join(f"<th>{_e(p)}</th>" for p in periods) + "</tr></thead><tbody>"]
    for r in trend["requirements"]:
        cells = [r["by_year"].get(p) for p in periods]
        if all(c is None or c["status"] == "not-applicable" for c in cells):
            continue
        h.append(f"<tr><td>{_e(r['requirement'])}</td><td>{_e(r['title'])}</td>" + "".join(_status_html(c) for c in cells) + "</tr>")
    h.append("</tbody></table>")
    funding = trend["funding"]
    fys = sorted({fy for c in funding["contributors"] for fy in c["by_year"]} | set(funding["totals"]))
    h.append("<h2>Funding by partner</h2>")
    if fys:
        h.append("<table><thead><tr><th>Contributor</th>" + "".join(f"<th>{_e(fy)}</th>" for fy in fys) + "</tr></thead><tbody>")
        for label, is_total, cells in funding_rows(funding, fys):
            shown = "".join("<td>—</td>" if c is None else f'<td class="num">{_e(c[0])}{sup(c[1])}</td>' for c in cells)
            tag = "th" if is_total else "td"
            h.append(f"<tr><{tag}>{_e(label)}</{tag}>{shown}</tr>")
        h.append("</tbody></table>")
    else:
        h.append("<p>No funding amounts are recorded in any year.</p>")
    if funding["without_amounts"]:
        h.append("<p>Funding recorded without amounts:</p><ul>" + "".join(
            f"<li>{_e(r['financial_year'])}: no amounts in the sources{sup(r)}</li>" for r in funding["without_amounts"]) + "</ul>")
    h.append("<h2>Activity over time</h2>")
    act_periods = sorted({v["period"] for s in trend["activity"] for v in s["values"]})
    if trend["activity"]:
        h.append("<table><thead><tr><th>Measure</th>" + "".join(f"<th>{_e(p)}</th>" for p in act_periods) + "</tr></thead><tbody>")
        for s in trend["activity"]:
            cells = []
            for p in act_periods:
                vals = [v for v in s["values"] if v["period"] == p]
                text = " / ".join(f"{_e(_figure(v['value']))}{'*' if 'not a possible' in v['period_basis'] else ''}{sup(v)}"
                                  for v in vals)
                cells.append(f'<td class="num">{text or "—"}</td>')
            h.append(f"<tr><td>{_e(s['label'])}</td>{''.join(cells)}</tr>")
        h.append("</tbody></table><p class=\"note\">* the source states an impossible period (e.g. '23-23'); the figure "
                 "is shown under its data file's period (DOC-02).</p>")
    else:
        h.append("<p>No activity figures are recorded.</p>")
    h += ["<h2>Reviews and timeliness</h2>", "<table><thead><tr><th></th>" + "".join(f"<th>{_e(p)}</th>" for p in periods)
          + "</tr></thead><tbody>"]
    by_year = trend["reviews"]["by_year"]
    for key, label in (("rapid-reviews", "Rapid reviews (as stated)"), ("practice-reviews", "Practice reviews (as stated)")):
        cells = []
        for p in periods:
            v = by_year[p]["stated"].get(key)
            cells.append("<td>—</td>" if v is None else f'<td class="num">{_e(_figure(v["value"]))}{sup(v)}</td>')
        h.append(f"<tr><th>{_e(label)}</th>{''.join(cells)}</tr>")
    cells = []
    for p in periods:
        rec = by_year[p]["practice_reviews_recorded"]
        if not rec["count"]:
            cells.append("<td>—</td>")
            continue
        detail = ", ".join(f"{n} {s}" for s, n in rec["by_status"].items())
        cells.append(f'<td>{rec["count"]} ({_e(detail)}){"".join(sup(i) for i in rec["items"])}</td>')
    h.append(f"<tr><th>Practice reviews recorded</th>{''.join(cells)}</tr></tbody></table>")
    h += ["<p>Timeliness requirements (outcome per year; days late where a date is recorded):</p>",
          "<table><thead><tr><th>Requirement</th><th>Title</th>" + "".join(f"<th>{_e(p)}</th>" for p in periods)
          + "</tr></thead><tbody>"]
    for r in trend["reviews"]["timeliness"]:
        cells = [r["by_year"].get(p) for p in periods]
        if all(c is None or c["status"] == "not-applicable" for c in cells):
            continue
        row = []
        for c in cells:
            cell = _status_html(c)
            if c and c["days_late"]:
                cell = cell.replace("</td>", f", {late_text(max(c['days_late']), c.get('worst_at_least'))}</td>")
            row.append(cell)
        h.append(f"<tr><td>{_e(r['requirement'])}</td><td>{_e(r['title'])}</td>{''.join(row)}</tr>")
    h += ["</tbody></table>", "<h2>Sources</h2>", '<ol class="sources">']
    h += [f'<li id="src-{i}">{_e(text)}</li>' for i, text in enumerate(notes.items, start=1)]
    h += ["</ol>", "</body></html>"]
    return "\n".join(h) + "\n"


RENDERERS = {"md": ("trend.md", render_markdown), "json": ("trend.json", render_json),
             "html": ("trend.html", render_html), "txt": ("trend.txt", render_text)}


TOTAL_ROWS = (("contributions_sum", "Sum of contributions"), ("stated_income_total", "Income total as stated"),
              ("stated_expenditure_total", "Expenditure total as stated"))


def funding_rows(funding: dict, fys: list[str]):
    """The funding table once for every format: (label, is_total, cells); a cell is None or
    (money text, the record whose evidence backs it)."""
    for c in funding["contributors"]:
        cells = []
        for fy in fys:
            v = c["by_year"].get(fy)
            cells.append(None if v is None else
                         (_money(v["amount"], v["currency"]) + (" (one-off)" if v["one_off"] else ""), v))
        yield c["name"], False, cells
    for key, label in TOTAL_ROWS:
        cells = []
        for fy in fys:
            t = funding["totals"].get(fy)
            if t is None or key not in t:
                cells.append(None)
            elif key == "contributions_sum":
                cells.append((_money(t[key], t["currency"]), t))
            else:
                cells.append((_money(t[key]["amount"], t[key]["currency"]), t))
        yield label, True, cells
