"""List panes (an OptionList, or a DataTable with a row cursor): the item under the cursor, and refilling
a list without losing the reader's place. Shared by the calibration, evidence, actions, progress and
moderation lists."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList
from textual.widgets.option_list import Option


def cursor_key(pane: OptionList | DataTable) -> str | None:
    """The id of the option (or the key of the row) under the cursor; None when the list is empty."""
    if isinstance(pane, DataTable):
        if not pane.row_count:
            return None
        return pane.coordinate_to_cell_key(pane.cursor_coordinate).row_key.value
    if pane.highlighted is None or not pane.option_count:
        return None
    return pane.get_option_at_index(pane.highlighted).id


def refill_options(pane: OptionList, options: list[Option], keep: str | None = None) -> None:
    """Replace the options: the cursor moves to the option whose id is keep, else stays where it was."""
    was = pane.highlighted
    pane.set_options(options)
    if options:
        ids = [o.id for o in options]
        pane.highlighted = ids.index(keep) if keep in ids else min(was or 0, len(options) - 1)
