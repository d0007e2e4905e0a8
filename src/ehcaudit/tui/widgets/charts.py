"""Bar charts drawn with block characters (Rich renderables), readable in any theme."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from ehcaudit.output.safe import one_line
from ehcaudit.output.words import plural
from ehcaudit.summary.shape import ScaleEntry

GRADE_STYLES = ["green", "bright_green", "yellow", "red", "magenta", "cyan", "white", "blue", "bright_black"]


def distribution_chart(rows: list[tuple[str, dict[str, int]]], scale: list[ScaleEntry], width: int = 40) -> Table:
    """One stacked bar per row: how many plans got each grade."""
    table = Table.grid(padding=(0, 1))
    table.add_column(max_width=24)  # a long area name wraps; it is never cut
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    values = [str(s["value"]) for s in scale]
    for name, dist in rows:
        total = sum(dist.values())
        bar = Text()
        used = 0
        for i, v in enumerate(values):
            cells = round(width * dist.get(v, 0) / total) if total else 0
            cells = min(cells, width - used)
            used += cells
            bar.append("█" * cells, style=GRADE_STYLES[i % len(GRADE_STYLES)])
        bar.append("·" * (width - used), style="dim")
        table.add_row(Text(one_line(name)), bar, f"n={total}")
    return table


def grade_key(scale: list[ScaleEntry]) -> Text:
    """The colours of the grades, as one line that wraps between entries."""
    key = Text()
    for i, s in enumerate(scale):
        key.append("█ ", style=GRADE_STYLES[i % len(GRADE_STYLES)])
        key.append(one_line(f"{s['value']} {s['label']}"))
        key.append("   ")
    return key


def alpha_chart(rows: list[tuple[str, float | None, int]], width: int = 40) -> Table:
    """Krippendorff's alpha per row, with the 0.800 reliability mark."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    mark = round(0.8 * width)
    for name, alpha, pairs in rows:
        if alpha is None:
            table.add_row(Text(one_line(name)), Text("not enough double-scored plans", style="dim"), "")
            continue
        cells = max(0, min(width, round(alpha * width)))
        style = "green" if alpha >= 0.8 else "yellow" if alpha >= 0.667 else "red"
        bar = Text("█" * cells, style=style) + Text("·" * (width - cells), style="dim")
        if mark < width:
            bar = bar[:mark] + Text("│", style="bold") + bar[mark + 1 :]
        table.add_row(Text(one_line(name)), bar, f"{alpha:.3f} ({plural(pairs, 'pair')})")
    table.add_row("", Text(" " * mark + "└ 0.800 reliable", style="dim"), "")
    return table
