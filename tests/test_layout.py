"""The core knows nothing of the terminal, and only the store talks SQL."""

import ast
import subprocess
import sys
from pathlib import Path

import ehcaudit

PACKAGE = Path(ehcaudit.__file__).parent


def _modules() -> list[tuple[str, Path]]:
    """Every module of the package as (dotted name, file), found by walking its folders."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out.append((".".join(parts), path))
    return out


def _in(name: str, subpackage: str) -> bool:
    return name == f"ehcaudit.{subpackage}" or name.startswith(f"ehcaudit.{subpackage}.")


CORE = [name for name, _ in _modules() if not _in(name, "tui")]


def test_the_walk_finds_the_whole_core():
    assert {"ehcaudit.cli", "ehcaudit.store.db", "ehcaudit.summary.compute", "ehcaudit.ingest.scores_csv",
            "ehcaudit.training.session_pack", "ehcaudit.rounds.cli", "ehcaudit.output.safe"} <= set(CORE)
    assert not any(_in(name, "tui") for name in CORE)


def test_core_imports_without_textual():
    code = "import sys; sys.modules['textual'] = None\n" + "\n".join(f"import {m}" for m in CORE)
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# Methods that only a cursor, connection or sqlite-utils Database has; and those that need a database to be SQL
# (Textual's self.query("Input") and a list's insert are not).
SQL_METHODS = {"execute", "executemany", "executescript", "rows_where", "insert_all", "upsert_all", "delete_where",
               "count_where", "create_table"}
DB_METHODS = {"query", "table", "insert", "upsert"}
DB_NAMES = {"db", "conn", "connection", "cursor", "cur", "database"}
TABLE_NAMES = {"plans", "pages", "sections", "audits", "judgements", "evidence", "events", "rubrics", "moderations",
               "calibration_sessions", "plan_warnings", "plan_hints", "actions", "rounds", "drafts", "feedback"}
SQLITE3_ERRORS = {"Error", "OperationalError", "DatabaseError", "IntegrityError"}  # catching these is not running SQL


def _tail(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def sql_uses(source: str) -> list[str]:
    """Where a module's source runs SQL itself: cursor and sqlite-utils calls, sqlite3 beyond its error classes,
    a Database made, a table taken by name."""
    tree = ast.parse(source)
    found = []
    sqlite3_used = {n.attr for n in ast.walk(tree)
                    if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "sqlite3"}
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            if any(a.name == "sqlite3" for a in node.names) and sqlite3_used - SQLITE3_ERRORS:
                found.append(f"{line}: import sqlite3")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("sqlite3", "sqlite_utils"):
            found.append(f"{line}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name)):
            func, name = node.func, _tail(node.func)
            if isinstance(func, ast.Attribute) and (name in SQL_METHODS or name in DB_METHODS and _tail(func.value) in DB_NAMES):
                found.append(f"{line}: .{name}(")
            elif name in ("Database", "connect") and (isinstance(func, ast.Name) or _tail(func.value) in ("sqlite3", "sqlite_utils")):
                found.append(f"{line}: {name}(")
        elif (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value in TABLE_NAMES
              and _tail(node.value) in DB_NAMES):
            found.append(f"{line}: db[{node.slice.value!r}]")
    return found


def test_no_module_outside_store_runs_sql():
    offenders = {name: uses for name, path in _modules() if not _in(name, "store")
                 if (uses := sql_uses(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_the_sql_check_catches_sql_outside_the_store():
    source = '''
import sqlite3
from sqlite_utils import Database

def cohorts(db):
    db.execute("SELECT cohort FROM plans")
    db.conn.executemany("INSERT INTO events VALUES (?)", [])
    list(db.query("SELECT 1"))
    return db["plans"].rows_where("cohort = ?", ["x"])

def other(self, path):
    sqlite3.connect(path)
    Database(path)
    self.db.table("audits")
    self.query("Input")          # a Textual query, not SQL
    [].insert(0, 1)              # a list, not a table
'''
    found = [u.split(": ", 1)[1] for u in sql_uses(source)]
    assert sorted(found) == sorted([
        "import sqlite3", "from sqlite_utils import ...", ".execute(", ".executemany(", ".query(", "db['plans']",
        ".rows_where(", "connect(", "Database(", ".table(",
    ])
    # Catching a damaged database's error is not running SQL.
    assert sql_uses("import sqlite3\ntry:\n    pass\nexcept sqlite3.Error:\n    pass\n") == []


def test_bundled_rubric_and_sample_plans_are_found(sample_plans_dir):
    from ehcaudit import locations

    assert locations.default_rubric_file().is_file()
    assert len(list(sample_plans_dir.glob("*.pdf"))) >= 12


# What the plan list does not need to start: each loads when first used (issue 12: cold start to the plan
# list <= 0.5 s). A module here that loads at start again costs every reviewer its import at every launch.
# (sqlite-utils, the store's database, and click, which it imports, load at start: the plan list reads the store.)
NOT_AT_START = [
    "rapidfuzz", "numpy", "pypdf", "xlsxwriter", "tomllib",
    "ehcaudit.rubric", "ehcaudit.checks.run", "ehcaudit.sections.find", "ehcaudit.sections.clean", "ehcaudit.pdf",
    "ehcaudit.ingest", "ehcaudit.summary", "ehcaudit.training", "ehcaudit.rounds.round", "ehcaudit.cli",
    "ehcaudit.tui.modals", "ehcaudit.tui.help_screen", "ehcaudit.tui.round_forms", "ehcaudit.tui.audit_screen",
    "ehcaudit.tui.summary_screen", "ehcaudit.tui.moderation_screen", "ehcaudit.tui.calibration_screen",
    "ehcaudit.tui.replay_screen", "ehcaudit.tui.import_screen", "ehcaudit.tui.progress_screen",
]

_LOADED = """
import sys
def loaded(stage):
    found = [n for n in NOT_AT_START if any(m == n or m.startswith(n + ".") for m in sys.modules)]
    print(stage, " ".join(found) or "-")
"""


def _loaded_at_start(script: str) -> dict[str, str]:
    code = f"NOT_AT_START = {NOT_AT_START!r}\n{_LOADED}\n{script}"
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_importing_the_app_loads_nothing_the_plan_list_does_not_show():
    stages = _loaded_at_start("import ehcaudit.store, ehcaudit.tui.app\nloaded('imported')")
    assert stages == {"imported": "-"}


def test_starting_the_app_to_the_plan_list_loads_nothing_it_does_not_show(plans_db_path):
    script = f"""
import asyncio
from ehcaudit.store import open_db
from ehcaudit.tui.app import EhcauditApp

async def main():
    app = EhcauditApp(db=open_db({str(plans_db_path)!r}), reviewer="Alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#plan-table").row_count
        loaded("started")

asyncio.run(main())
"""
    assert _loaded_at_start(script) == {"started": "-"}


def test_cli_help_loads_neither_the_app_nor_the_checks():
    for args in (["--help"], ["summary", "--help"], ["check", "--help"]):
        script = f"""
import sys
sys.argv = ["ehcaudit", *{args!r}]
from ehcaudit.cli import main
try:
    main()
except SystemExit:
    pass
found = [n for n in ("textual", "numpy", "sqlite_utils", "rapidfuzz", "pypdf", "xlsxwriter", "ehcaudit.store",
                     "ehcaudit.checks.run", "ehcaudit.summary") if any(m == n or m.startswith(n + ".") for m in sys.modules)]
print("loaded", " ".join(found) or "-", file=sys.stderr)
"""
        result = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True)
        assert result.returncode == 0 and result.stderr.strip().splitlines()[-1] == "loaded -", (args, result.stderr)
