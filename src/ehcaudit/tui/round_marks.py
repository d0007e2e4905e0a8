"""How the plan list shows this reviewer's round assignments: theirs first, due dates, OVERDUE.

Apart from the round forms (round_forms.py), which the plan list opens only when asked: these run at
every start of the app.
"""

from __future__ import annotations

from rich.text import Text

from ehcaudit.rounds.dates import is_overdue


def mine_first(plans: list, assigned: dict[int, tuple], statuses: dict[int, str]) -> list:
    """This reviewer's unfinished assignments first (soonest due first), then the rest in their order."""
    def key(p):
        if p.id in assigned and statuses.get(p.id) != "submitted":
            return (0, assigned[p.id][1] or "9999", p.label)
        return (1, "", "")

    return sorted(plans, key=key)


def _day(iso: str | None) -> str:
    from datetime import date

    return date.fromisoformat(iso).strftime("%-d %b") if iso else ""


def status_cell(text: Text, plan_id: int, assigned: dict[int, tuple], status: str | None) -> Text:
    """The plan list's status for a plan assigned to this reviewer: its due date, or OVERDUE (fits 80 columns)."""
    if plan_id not in assigned or status == "submitted":
        return text
    due = assigned[plan_id][1]
    if is_overdue(due):
        return Text("OVERDUE", style="bold red")
    if status is None:
        return Text(f"due {_day(due)}" if due else "assigned", style="bold cyan")
    return text


def assignment_header(assigned: dict[int, tuple], statuses: dict[int, str]) -> str:
    todo = [pid for pid in assigned if statuses.get(pid) != "submitted"]
    if not assigned:
        return ""
    late = sum(1 for pid in todo if is_overdue(assigned[pid][1]))
    dues = sorted({assigned[pid][1] for pid in todo if assigned[pid][1]})
    # Short: the header already names the reviewer, and must fit 80 columns.
    if late:
        return f" · {len(todo)} yours, {late} LATE"
    return f" · {len(todo)} yours" + (f" by {_day(dues[0])}" if dues else "")
