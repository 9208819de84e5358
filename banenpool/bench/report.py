"""Write BENCHMARKS.md from the rows of `run_bench`."""
from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from scheduling.generator import SIZES
from scheduling.metrics import levels_text

NAMES = {"planner": "planner (PuLP + HiGHS)", "greedy": "greedy (spreadsheet method)", "cpsat": "CP-SAT"}
# (size, regime, minimum covered/bound, within seconds) from shared/spec/benchmarks.md
COVERAGE_TARGETS = [("M", "normal", 0.995, 30), ("M", "peak", 0.95, 60), ("L", "normal", 0.99, 120),
                    ("L", "peak", 0.99, 120), ("XL", "normal", 0.98, 600), ("XL", "peak", 0.98, 600)]
HEADER = ("| regime | contestant | status | time s | peak RSS MB | covered h | demand h | "
          "priority h / bound | min-hours short | target short | travel km | violations |")


def write_report(rows: list[dict], out: str | Path, *, repeats: int, seed: int) -> str:
    """Render the rows as Markdown, write them to `out` and return the text."""
    parts = [_heading(repeats, seed)]
    for size in dict.fromkeys(r["size"] for r in rows):
        parts.append(_size_section(size, [r for r in rows if r["size"] == size]))
    parts.append(_targets(rows))
    parts.append(_strategies(rows))
    text = "\n".join(parts)
    Path(out).write_text(text)
    return text


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _heading(repeats: int, seed: int) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "# Benchmarks\n\n"
        f"Run on {now} by `banenpool bench` on a machine with `os.cpu_count()` = {os.cpu_count()} "
        f"({platform.machine()}, {platform.system()}). Python {platform.python_version()}, "
        f"PuLP {_version('PuLP')}, HiGHS (highspy) {_version('highspy')}, OR-Tools {_version('ortools')}.\n\n"
        f"Instances: `scheduling.generator.generate(size, regime, seed={seed})` (Twente pools, 4 weeks "
        "from Monday 2026-03-16 with the change to summer time inside; normal ≈ 90 % of the pool's "
        "usable target hours, peak ≈ 2.5 × normal). Every contestant runs in its own child "
        "process on the same instance with the same time limit (model building included); the "
        "time is the child's wall-clock time including Python start-up and reading the JSON; "
        "peak RSS is the child's own high-water mark (VmHWM, written as it exits) or, if "
        "larger, the most the child and its own children (the planner's bound process) held "
        "together at one poll (every 0.1 s). Every solution is re-checked by "
        f"`contracts.worktime.check_solution`. Numbers are medians over {repeats} run(s); the "
        "machine is shared, so compare contestants within one run (the ratios).\n\n"
        "*priority h / bound*: Σ priority × hours covered (the planner's first objective) divided "
        "by the smallest proven upper bound we have: the planner's own (see how it works, below), or a simple "
        "bound (each shift filled up to its eligible workers; each worker at their weekly limit).\n"
    )


def _size_section(size: str, rows: list[dict]) -> str:
    workers, employers, weeks, _ = SIZES[size]
    lines = [f"## {size}: {workers} workers, {employers} employers, {weeks} week(s), "
             f"time limit {rows[0]['time_limit']:g} s\n", HEADER, "|" + "---|" * 12]
    for r in rows:
        ratio = f"{r['coverage_ratio']:.2%}" if r.get("coverage_ratio") is not None else "—"
        cells = [r["regime"], NAMES.get(r["contestant"], r["contestant"]), r["status"],
                 _num(r["wall_seconds"], 1), _num(r["peak_rss_mb"], 0), _num(r["covered_hours"], 1),
                 _num(r["demand_hours"], 1), ratio, _num(r["shortfall_min_hours"], 1),
                 _num(r["shortfall_target_hours"], 1), _num(r["travel_km"], 0), _num(r["violations"], 0)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for r in rows:
        if r["contestant"] == "planner":
            lines.append(f"- {r['regime']}: planner / greedy = {_versus(r, 'greedy')}, "
                         f"planner / CP-SAT = {_versus(r, 'cpsat')} (Σ priority × hours, same run); "
                         f"{r['shifts']} shifts.")
        if r["contestant"] == "planner" and r.get("rejected_bounds"):
            lines.append(f"- {r['regime']}: the planner reported bound(s) {r['rejected_bounds']} below a valid "
                         "plan's Σ priority × hours; not a bound, so not used.")
        if r["errors"]:
            lines.append(f"- {r['regime']} {r['contestant']} errors: {'; '.join(map(str, r['errors']))}")
        if r["violation_examples"]:
            lines.append(f"- {r['regime']} {r['contestant']} violations, e.g.: {r['violation_examples'][0]}")
    return "\n".join(lines) + "\n"


def _num(value, digits: int) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _versus(planner_row: dict, peer: str) -> str:
    """The planner / peer ratio, or "—" and why: the peer found no plan (a valid plan of
    the planner's is then at least as good)."""
    if f"no_plan_{peer}" in planner_row:
        return (f"— ({NAMES[peer]} found no plan in the same time and memory: "
                f"{planner_row[f'no_plan_{peer}']})")
    return _ratio(planner_row.get(f"vs_{peer}"))


def _ratio(value) -> str:
    return "—" if value is None else f"{value:.4f}"


def _targets(rows: list[dict]) -> str:
    planner = {(r["size"], r["regime"]): r for r in rows if r["contestant"] == "planner"}
    lines = ["## Targets (shared/spec/benchmarks.md)\n", "| target | measured | met |", "|---|---|---|"]
    for regime in ("normal", "peak"):
        row = planner.get(("S", regime))
        if row:
            lines.append(_line(f"S {regime}: optimal in seconds (≤ 10 s)",
                               f"{row['status']} in {row['wall_seconds']:.1f} s" + (
                                   f"; levels: {levels_text(row['levels'])}" if row.get("levels") else ""),
                               row["status"] == "optimal" and row["wall_seconds"] <= 10))
    for size, regime, share, seconds in COVERAGE_TARGETS:
        row = planner.get((size, regime))
        if row:
            ratio = row.get("coverage_ratio")
            lines.append(_line(f"{size} {regime}: ≥ {share:.1%} of the bound within {seconds} s",
                               f"{_pct(ratio)} in {row['wall_seconds']:.1f} s ({row['status']})",
                               ratio is not None and ratio >= share and row["wall_seconds"] <= seconds * 1.05))
    xl = [r for r in planner.values() if r["size"] == "XL"]
    for row in xl:
        lines.append(_line(f"XL {row['regime']}: under 8 GB", f"{row['peak_rss_mb']:.0f} MB",
                           row["peak_rss_mb"] < 8192))
    for row in planner.values():
        for peer, text in (("greedy", "never worse than greedy"), ("cpsat", "at least as good as CP-SAT")):
            value = row.get(f"vs_{peer}")
            lines.append(_line(f"{row['size']} {row['regime']}: {text}", f"ratio {_versus(row, peer)}",
                               (value is not None and value >= 1 - 1e-6)
                               or f"no_plan_{peer}" in row))
    violations = sum(r["violations"] or 0 for r in rows)
    failed = sum(r.get("runs_failed", 0) for r in rows)
    lines.append(_line("no rule violations found by contracts/ (every contestant)",
                       f"{violations} (runs that failed, so were not checked: {failed})", violations == 0))
    for row in planner.values():
        lines.append(_min_hours_line(row))
    lines.append("\n" + MIN_HOURS_METHOD)
    return "\n".join(lines)


MIN_HOURS_TARGET = "minimum-hours shortfall within 10 % of the best possible at that coverage"
MIN_HOURS_METHOD = """\
*Minimum-hours shortfall against the best possible at that coverage* (banenpool/bench/min_hours.py):
after the planner's run, the planner's own whole-horizon model of the instance (every rule) gets the
row Σ priority × hours ≥ the planner's value and the objective "minimise the minimum-hours shortfall";
HiGHS solves it from the planner's plan within the size's time limit, giving the best shortfall found
(never more than the planner's) and a proven lower bound on the best possible: HiGHS's dual bound, or,
when that solve stops before its root LP (M), the LP relaxation of headcounts, weekly hours, conflict
cliques, the coverage floor and the shortfall rows (every valid plan is feasible there), whichever is
higher. Shortfall counts every worker in every ISO week in which a shift starts, as the "min-hours
short" column does; part of it is in worker-weeks where the worker can take no shift at all, the same
in every plan, and is included in all three numbers. Met when the planner's shortfall is at most
1.1 × the proven bound, not met when it exceeds 1.1 × the best found, undecided in between (judged on
the whole shortfall, as the target is written; the part a plan can change is shown beside it and is
the stricter reading). Above
60 000 eligible pairs (L, XL) the whole-horizon model is too large for HiGHS's search: there the best
found is the planner's own plan and the bound is that LP relaxation alone, solved within the size's
time limit (at XL, ~2.8 million pairs, too large whole: week by week without the coverage floor and
without the conflicts across a week edge, each week in a quarter of the time; a week not solved in
its time adds nothing; at L both ways give the same 2 543.5 h above the unchangeable part, the
whole horizon in 99 s, week by week in 23 s); when the LP does not finish, nothing is proven and the
row is undecided.
"""


def min_hours_verdict(planner: float, best: float | None, bound: float | None) -> str:
    """"met" when the planner's shortfall is within 10 % of the proven bound, "**not met**"
    when it is more than 10 % above a plan that was found, else undecided."""
    if bound is not None and planner <= 1.1 * bound + 1e-6:
        return "met"
    if best is not None and planner > 1.1 * best + 1e-6:
        return "**not met**"
    return "undecided (bound too weak)"


def _min_hours_line(row: dict) -> str:
    target = f"{row['size']} {row['regime']}: {MIN_HOURS_TARGET}"
    status = row.get("min_hours_status")
    planner, best, bound = row.get("shortfall_min_hours"), row.get("min_hours_best"), row.get("min_hours_bound")
    if status is None or planner is None or best is None:
        if status is None or planner is None:
            why = "the planner's run gave no plan"
        else:
            why = status.removeprefix("not measured: ")
        return f"| {target} | not measured ({why}) | not measured |"
    measured = (f"planner {planner:.2f} h; best found {best:.2f} h; proven lower bound "
                f"{_num(bound, 2) + ' h' if bound is not None else 'none'}")
    details = []
    if bound is not None and row.get("min_hours_bound_from"):
        details.append(f"bound from the {row['min_hours_bound_from']}")
    offset = row.get("min_hours_offset")
    if offset is not None:
        details.append(f"{offset:.1f} h of each in worker-weeks with no possible shift")
        if bound is not None and bound - offset > 1e-6:
            details.append(f"on the part a plan can change: planner {planner - offset:.2f} h against "
                           f"{bound - offset:.2f} h, +{(planner - bound) / (bound - offset):.0%}")
    if row.get("min_hours_seconds") is not None:
        details.append(f"reference {status} after {row['min_hours_seconds']:.1f} s")
    if details:
        measured += f" ({', '.join(details)})"
    return f"| {target} | {measured} | {min_hours_verdict(planner, best, bound)} |"


def _pct(value) -> str:
    return "—" if value is None else f"{value:.2%}"


def _line(target: str, measured: str, met: bool) -> str:
    return f"| {target} | {measured} | {'met' if met else '**not met**'} |"


METHOD = """\
How it works (scheduling/solver.py): every shift a worker may take is a binary; overlap,
travel time and pairs of shifts that leave no 11 h daily rest are rows of *conflict
cliques* per worker (an early, a late and the night before are one row "at most one"),
and the rest windows of the daily and weekly rest are modelled exactly with rest binaries.
The objective levels are solved in stages (coverage, then minimum hours, then fair target
hours and travel). Up to 16 000 eligible pairs the whole horizon is one model (HiGHS
presolve on); above that each ISO week is solved on its own with the neighbouring weeks'
shifts as fixed context, and a week above 20 000 pairs is split into regions of nearby
employers, unless it has at most 200 000 pairs, cannot fill every shift (transport LP) and
its LP with the conflict cliques uses at most 20 000 pairs: then the week is planned whole
over the pairs that LP uses (1000-worker peak: ~7 500 of ~100 000), and that LP bounds it.
A peak week above 200 000 pairs (3000 workers: ~700 000) is first split into a few large
regions (one per 200 000 pairs), each planned that way over its own LP's pairs. A week
planned whole over its LP's pairs is then *planned again* (from that plan, with HiGHS presolve) over
the LP's pairs and each worker's best week in the week's Lagrangian bound (below), which
the second process sends with the bound: the LP fills a worker's week with fractions of
shifts that no whole week of theirs can hold (daily and weekly rest), the Lagrangian
weeks are whole ones. A 1000-worker peak week: over the LP's 7 511 pairs its optimum is
36 799 priority-weighted hours, over ~10 800 with the workers' weeks 37 116, proven
optimal there in 5 s (bound 37 174). The first plan of such a week then takes half of its
time, and the planning again runs until shortly before the end. A large region is planned
again at once, over its LP's pairs and each worker's best week in a Lagrangian bound at
that LP's prices computed in the planner's own process (the second process is busy with
the weeks' bounds); the regions share a week's time by their pairs (the largest region's
LP can take ~50 s). On the 3000-worker peak pool this took the first plan from 313 508 to
315 131 priority-weighted hours (a largest region's week: 47 102 → 47 363). Each model starts from a greedy plan (every open slot offered to every eligible
worker, the one furthest below their minimum, then their target, first), so HiGHS never
returns less; HiGHS gets every start complete (rest binaries and shortfalls included).
When the model's bound says not every shift can be filled (peak), the coverage stage
first solves the model's LP relaxation and then the MIP over only the pairs that LP uses
(a few thousand of a week's ~14 000), which gives a far better first plan than the whole
week's MIP in the same time; the week's whole MIP is then skipped (its root cuts alone
overran their time limit from so good a start), the whole-horizon model of the small
pools still runs it. The LP optimum is a bound as well. The whole model gets all of the time; week by week and regions get 85 % for
the first plan (the week MIPs also give the bound). Then shifts are handed to workers short
of their weekly minimum hours by co-workers on the same shift who can spare them, or
exchanged for a shorter shift of the short worker's that blocks it, each move checked
like a new assignment and coverage unchanged: a region plans in a few seconds, too few for
the minimum-hours stage (1000-worker normal pool: 14 146 → 12 337 h, LP bound 12 103.5 h).
The rest goes to a large-neighbourhood search: a group of workers who
compete for the same shifts of one week (grown from an open slot, a worker short of their
minimum, or a random shift) is freed and re-planned exactly, keeping everybody else
fixed; a step is kept only when it is no worse and the rules engine accepts it.
The bound: per week the smallest of the week MIP's dual bound, an LP relaxation (the
transport LP of headcounts and weekly hours; when that does not say every shift can be
filled, the LP with the conflict cliques as well) and, for a week that cannot fill every
shift, a *Lagrangian bound*: the headcount rows (the only rule that links workers) priced
with the LP's duals, each worker's own best week under every rule of theirs solved as a
small MIP (shifts at the same times are one column), plus the prices times the
headcounts. It sees what the LP cannot (a worker's week cannot be filled with fractions
of shifts past the daily and weekly rest): a 300-worker peak week 11 468 against 11 651
for the LP, a 1000-worker one 37 174 against 37 826. A week over 200 000 pairs (3000
workers) gets it at zero prices instead of waiting ~127 s for its LP (115 619 against the
transport LP's 135 087, in 41 s). The weeks' bounds are summed. The Lagrangian bounds,
and the LPs of weeks too large to plan whole, run in a second process (one HiGHS thread)
while the first process plans, since HiGHS's MIP search mostly
uses one core; its memory counts in the peak RSS. Each week's looser bound counts until
its tighter one is done; a week with no bound done leaves the planner's bound out.
"""


def _strategies(rows: list[dict]) -> str:
    lines = ["## What the planner does at each size\n", METHOD]
    for r in rows:
        if r["contestant"] != "planner":
            continue
        told = r.get("strategy")
        if told:
            text = told if isinstance(told, str) else "; ".join(f"{k}: {v}" for k, v in dict(told).items())
        else:
            text = (f"(the solver exposes no strategy description) observed: status {r['status']} "
                    f"after {r['wall_seconds']:.1f} s of {r['time_limit']:g} s, "
                    f"peak RSS {r['peak_rss_mb']:.0f} MB, {r['shifts']} shifts"
                    + (f"; {'; '.join(r['errors'])}" if r["errors"] else ""))
        lines.append(f"- **{r['size']} {r['regime']}**: {text}")
    return "\n".join(lines) + "\n"
