"""The config file's [keys] remaps are checked: a bad entry is a line at start, its action keeps its key, and help
shows what is really bound."""

import pytest

from conftest import shown_text
from ehcaudit import locations
from ehcaudit.tui.app import EhcauditApp
from ehcaudit.tui.audit_screen import AuditScreen
from ehcaudit.tui.help_screen import HelpScreen
from ehcaudit.tui.keys import check_remaps, is_known_key

BAD_KEYS = """[keys]
"audit.next" = "ctrl+zz"
"audit.nope" = "j"
"""


def write_config(text: str) -> None:
    path = locations.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.mark.parametrize("key", ["j", "J", "?", "f5", "ctrl+j", "shift+tab", "question_mark", "ctrl+shift+up", "enter",
                                 "space", "right", "pagedown", "slash", "ctrl+f"])
def test_keys_textual_sends_are_known(key):
    assert is_known_key(key)


@pytest.mark.parametrize("key", ["ctrl+zz", "zz", "", "ctrl+", "cntrl+j", "ctrl+ctrl+j", " ", "Ctrl+J", "f99"])
def test_keys_textual_never_sends_are_not(key):
    assert not is_known_key(key)


def test_each_bad_entry_is_one_line_naming_the_key_and_what_is_wrong():
    good, problems = check_remaps({"audit.next": "ctrl+zz", "audit.nope": "j", "audit.previous": "b", "nothing.here": "x"})
    assert good == {"audit.previous": "b"}
    assert len(problems) == 3
    nope = next(p for p in problems if "audit.nope" in p)
    assert nope.startswith("keys: audit.nope is not an action (did you mean audit.note? known: ") and "audit.next" in nope
    assert any(p.startswith("keys: audit.next = 'ctrl+zz' is not a key Textual knows") for p in problems)
    assert any("nothing.here is not an action" in p and "audit." in p for p in problems)


def test_a_key_another_action_has_is_said_and_the_remap_keeps_its_default():
    good, problems = check_remaps({"audit.next": "g"})
    assert good == {} and problems == ["keys: audit.next = 'g' is already the key of audit.goto; audit.next keeps its default key"]
    # Two remaps onto one key: the later one in the file gives way, and every action keeps a key.
    good, problems = check_remaps({"plans.search": "ctrl+f", "plans.filter": "ctrl+f"})
    assert good == {"plans.search": "ctrl+f"}
    assert problems == ["keys: plans.filter = 'ctrl+f' is already the key of plans.search; plans.filter keeps its default key"]
    # A swap is no clash: keys are compared once every remap is applied.
    assert check_remaps({"audit.next": "p", "audit.previous": "n"}) == ({"audit.next": "p", "audit.previous": "n"}, [])
    _, problems = check_remaps({"audit.next": "j"})  # the plan text's own j (down) wins while it has the focus
    assert problems == ["keys: audit.next = 'j' is also the key of plan.down, which wins while its pane has the focus; "
                        "choose another key, or remap plan.down too"]
    assert check_remaps({"audit.next": "j", "plan.down": "ctrl+j"})[1] == []


def test_the_cli_says_so_at_start_and_in_config(cli):
    write_config(BAD_KEYS)
    shown = cli("config")
    assert shown.returncode == 0
    assert "warning: keys: audit.nope is not an action (did you mean audit.note? known: " in shown.stderr
    assert "warning: keys: audit.next = 'ctrl+zz' is not a key Textual knows" in shown.stderr
    assert "keys      (defaults)" in shown.stdout
    write_config('[keys]\n"audit.next" = "t"\n')
    assert "keys      audit.next = t" in cli("config").stdout


async def test_the_app_keeps_the_default_for_a_bad_key_and_says_why(plans_db):
    write_config(BAD_KEYS)
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = [str(n.message) for n in app._notifications]
        assert any(m.startswith("keys: audit.nope is not an action") for m in shown)
        assert any(m.startswith("keys: audit.next = 'ctrl+zz' is not a key Textual knows") for m in shown)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        first = screen.criterion.id
        assert "^zz" not in shown_text(screen.query_one("Footer"))
        await pilot.press("n")
        await pilot.pause()
        assert screen.criterion.id != first  # n still moves on
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "n, →" in help_text(app.screen)


async def test_help_shows_the_keys_really_bound(plans_db):
    write_config('[keys]\n"audit.next" = "t"\n')
    app = EhcauditApp(db=plans_db, reviewer="Ann")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        first = screen.criterion.id
        await pilot.press("t")
        await pilot.pause()
        assert screen.criterion.id != first
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app.screen)
        line = next(x for x in text.splitlines() if "Next criterion" in x)
        assert line.split()[0] == "t" and "→" not in line


def help_text(screen) -> str:
    import io

    from rich.console import Console

    from ehcaudit.tui.help_screen import bindings_table

    console = Console(width=200, record=True, file=io.StringIO())
    for title, bindings in screen.sections:
        console.print(bindings_table(title, bindings))
    return console.export_text()
