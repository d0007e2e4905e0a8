"""The ehcaudit command line: parse arguments, call the core, print."""

from __future__ import annotations

from typing import Any

import re
import shutil
import sqlite3
import signal
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from ehcaudit.output.words import plural
from ehcaudit import __version__, locations
from ehcaudit.errors import EhcauditError, RubricError
from ehcaudit.output.safe import clip, json_dumps, printable

DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="EHCAUDIT_DB",
    help="Database file (default: EHCAUDIT_DB, else the user data folder).",
)


def _db_path(db_path: Path | None) -> Path:
    """The database the user chose: --db before or after the command (given twice, they must agree),
    else EHCAUDIT_DB, else the default."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return db_path or locations.default_db()
    root = ctx.find_root().obj or {}
    top: Path | None = root.get("db_path") if root.get("db_given") else None
    here = db_path if ctx is not ctx.find_root() and ctx.get_parameter_source("db_path") == ParameterSource.COMMANDLINE else None
    if top and here and top.expanduser().resolve() != here.expanduser().resolve():
        raise EhcauditError(f"--db is given twice ({top} and {here}); give it once")
    chosen = here or top or db_path or locations.default_db()
    root["opened"] = chosen
    return chosen


def echo(text: object = "", err: bool = False, nl: bool = True) -> None:
    """Everything the CLI prints goes through here: untrusted text (plan text, file names,
    reviewer names, notes) is made printable first, so no escape sequence reaches the terminal."""
    click.echo(printable(text), err=err, nl=nl)


def _open(db_path: Path | None, *, create: bool = False):
    """Open the chosen database; only commands that store something (create=True) make a new one."""
    from ehcaudit.store import open_db

    path = _db_path(db_path)
    if not create and path == locations.default_db() and not path.exists():
        raise EhcauditError(f"no database yet at {path}; import plans first (ehcaudit import FOLDER) or choose one with --db")
    db = open_db(path, create=create)
    for warning in getattr(db, "warnings", []):
        echo(f"warning: {warning}", err=True)
    return db


def _emit(text: str, output: Path | None, what: str, printable_already: bool = False) -> None:
    """Print text, or write it to --output (all or nothing, mode 0600) and say so on stderr.

    printable_already: the text's writer left no control character in it (JSON: output.safe.json_dumps)."""
    from ehcaudit.output.files import export_file

    if output is None:
        echo(text, nl=False)
        return
    echo(export_file(output, text if printable_already else printable(text), what), err=True)


def _fail(message: str, code: int = 1) -> None:
    echo(f"error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns every user error into one line on stderr and a non-zero exit."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RubricError as exc:
            # Every problem of a bad rubric on its line, as `ehcaudit rubric check` lists them, never just a count.
            listed = [line for line in exc.problems if line != str(exc)]
            for line in listed:
                echo(line, err=True)
            _fail(f"{exc} (listed above)" if listed else str(exc))
        except EhcauditError as exc:
            _fail(str(exc))
        except sqlite3.Error as exc:  # a damaged database found part-way through reading it
            from ehcaudit.store.db import explain

            _fail(str(explain(exc, (ctx.obj or {}).get("opened") or "the database")))
        except KeyboardInterrupt:
            echo("interrupted; everything saved so far is kept", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@DB_OPTION
@click.option("--reviewer", help="Your name as a reviewer, for this run only (`ehcaudit config reviewer NAME` remembers one).")
@click.version_option(__version__, prog_name="ehcaudit")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, reviewer: str | None) -> None:
    """Quality-assure EHC plans at the keyboard.

    With no command, opens the app on the default database.

    \b
    Examples:
      ehcaudit demo                         # try it on the bundled sample plans
      ehcaudit import plans/ --cohort 2026-11
      ehcaudit --reviewer "A. Officer"      # open the app
    """
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path
    ctx.obj["db_given"] = ctx.get_parameter_source("db_path") == ParameterSource.COMMANDLINE
    ctx.obj["reviewer"] = _reviewer_option(reviewer) if reviewer is not None else None
    if ctx.invoked_subcommand is None:
        _run_app(_db_path(db_path), _reviewer_option(reviewer))


def _reviewer_option(name: str | None) -> str | None:
    """A --reviewer name (after the command, else before it), checked; never remembered."""
    from ehcaudit.config import check_reviewer_name

    if name is None:
        ctx = click.get_current_context(silent=True)
        name = (ctx.find_root().obj or {}).get("reviewer") if ctx else None
    return check_reviewer_name(name) if name is not None else None


def _known_trainer(trainer: str | None) -> str | None:
    """--trainer, else --reviewer, else the saved reviewer name, else None."""
    from ehcaudit.config import check_reviewer_name, saved_reviewer

    return (check_reviewer_name(trainer) if trainer is not None else None) or _reviewer_option(None) or saved_reviewer()


def _trainer(trainer: str | None) -> str:
    """The trainer's name, asked for plainly when none is known (a session signed by a stand-in word, as
    'trainer' once was, could never be revealed by anyone)."""
    name = _known_trainer(trainer)
    if name is None:
        raise EhcauditError("who is the trainer? give --trainer NAME, or save your name once: ehcaudit config reviewer NAME")
    return name


def _run_app(db_path: Path, reviewer: str | None, remember_reviewer: bool = True) -> None:
    from ehcaudit.store import open_db
    from ehcaudit.store.plans import list_plans
    from ehcaudit.tui.app import EhcauditApp

    db = open_db(db_path)
    list_plans(db)  # a damaged database is one line here, before the screen is drawn
    _say_key_problems()
    EhcauditApp(db=db, reviewer=reviewer, remember_reviewer=remember_reviewer).run()


def _say_key_problems() -> None:
    """A line on stderr per [keys] entry of the config file that cannot work (the app shows them too)."""
    from ehcaudit.tui.keys import config_remaps

    for problem in config_remaps()[1]:
        echo(f"warning: {problem}", err=True)


@cli.command()
@click.option("--reviewer", default=None, help="Reviewer name to use in the demo (never remembered).")
@click.option("--no-app", is_flag=True, help="Build the demo database and print its path without opening the app.")
def demo(reviewer: str | None, no_app: bool) -> None:
    """Open the app on a fresh database holding the bundled sample plans.

    The demo database is rebuilt each time, in the user data folder; your own
    database is never touched.

    \b
    Example:
      ehcaudit demo
    """
    from ehcaudit.demo import build_demo_db

    if (click.get_current_context().find_root().obj or {}).get("db_given"):
        raise EhcauditError(f"the demo always uses its own database ({locations.demo_db()}), rebuilt each time; drop --db")
    path = build_demo_db(locations.demo_db())
    if no_app:
        echo(str(path))
        return
    # The demo's name is for the demo only: it is never remembered.
    _run_app(path, _reviewer_option(reviewer) or "Demo reviewer", remember_reviewer=False)


@cli.group("config", invoke_without_command=True)
@click.pass_context
def config_cmd(ctx: click.Context) -> None:
    """Show your settings, or remember your reviewer name.

    Your config.toml (theme, [keys] remaps, a default reviewer) is yours to edit
    and is never rewritten; names and themes set from ehcaudit go to state.json.

    \b
    Examples:
      ehcaudit config                       # where each setting comes from
      ehcaudit config reviewer "A. Officer" # sign audits with this name from now on
    """
    if ctx.invoked_subcommand is not None:
        return
    from ehcaudit import config

    config.load_config()  # a TOML error is one line naming the file and line
    echo(f"reviewer  {config.saved_reviewer() or '(not set; the app asks on first run)'}")
    echo(f"theme     {config.saved_theme() or '(default)'}")
    echo(f"config    {locations.config_file()}{'' if locations.config_file().exists() else ' (none yet)'}")
    echo(f"state     {locations.state_file()}")
    echo(f"database  {_db_path(None)}")
    from ehcaudit.tui.keys import config_remaps

    remaps, problems = config_remaps()
    echo(f"keys      {', '.join(f'{k} = {v}' for k, v in remaps.items()) or '(defaults)'}")
    for problem in problems:
        echo(f"warning: {problem}", err=True)


@config_cmd.command("reviewer")
@click.argument("name", required=False)
def config_reviewer(name: str | None) -> None:
    """Print the remembered reviewer name, or remember NAME for every later audit.

    \b
    Example:
      ehcaudit config reviewer "A. Officer"
    """
    from ehcaudit import config

    if name is None:
        saved = config.saved_reviewer()
        if not saved:
            raise EhcauditError("no reviewer name remembered yet; set one with: ehcaudit config reviewer NAME")
        echo(saved)
        return
    echo(f"audits will be signed by {config.remember_reviewer(name)}")


# ------------------------------------------------------------------ import / inspect


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--cohort", help="Audit round these plans belong to, e.g. 2026-11.")
@click.option("--meta", "meta_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV keyed by file name with phase, primary_need, setting, team.")
@click.option("--jobs", type=click.IntRange(1, 32), default=1, show_default=True, help="Processes reading PDFs at once.")
@click.option("--refuse-unredacted", is_flag=True, help="Fail plans that look unredacted instead of warning.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds allowed to read one PDF; a file taking longer is stopped and reported (0: no limit).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def import_cmd(paths, db_path, cohort, meta_file, jobs, refuse_unredacted, timeout, quiet) -> None:
    """Import plan PDFs (files or folders, searched recursively).

    Each plan is stored with its pages, sections, warnings and sha256; a file
    already imported is reported as a duplicate. Files are read in worker
    processes and stored as they finish; one that takes longer than --timeout
    is stopped and gets one line. A label another plan already has becomes
    FOLDER/NAME (then FOLDER/NAME-2, ...). The last line reads
    `imported N, duplicates D, failed F`; the exit code is 1 if anything failed.

    \b
    Example:
      ehcaudit import ~/audits/2026-11 --cohort 2026-11 --meta sample.csv --jobs 2
    """
    from ehcaudit.ingest.importer import collect_pdfs, import_files, read_metadata

    metadata = read_metadata(meta_file) if meta_file else None
    db = _open(db_path, create=True)
    files, skipped = collect_pdfs(list(paths))
    done: list[Path] = []
    interrupted = _StopOnCtrlC()
    options = dict(cohort=cohort, metadata=metadata, jobs=jobs, refuse_unredacted=refuse_unredacted, timeout=timeout,
                   stop=interrupted.is_set)
    with interrupted:
        if quiet or not sys.stderr.isatty():
            report = import_files(db, files, skipped, progress=done.append, **options)
        else:
            def shown_item(p: Path | None) -> str:
                return printable(p.name, newlines=False) if p else ""

            def step(p: Path) -> None:
                done.append(p)
                bar.update(1, p)

            with click.progressbar(
                length=len(files), label="Importing", file=sys.stderr, show_pos=True, item_show_func=shown_item,
            ) as bar:
                report = import_files(db, files, skipped, progress=step, **options)
    for line in report.lines:
        echo(line, err=True)
    if interrupted.is_set():
        # Ctrl-C: every file finished is stored and reported; the rest were not read.
        left = max(0, len(files) - len(done))
        echo(f"interrupted: {left} file{'s' if left != 1 else ''} not read; run the same import again to add them "
             "(plans already imported are skipped as duplicates)", err=True)
        echo(report.summary + f", not read {left}")
        sys.exit(130)
    echo(report.summary)
    sys.exit(1 if report.failed else 0)


class _StopOnCtrlC:
    """While in use, the first Ctrl-C asks the import to stop after what is in hand; a second one ends it at once."""

    def __init__(self) -> None:
        self._set = False
        self._old: Any = None

    def is_set(self) -> bool:
        return self._set

    def _handle(self, signum: int, frame: object) -> None:
        self._set = True
        signal.signal(signal.SIGINT, self._old or signal.default_int_handler)

    def __enter__(self):
        try:
            self._old = signal.signal(signal.SIGINT, self._handle)
        except ValueError:  # not the main thread (tests calling the command in a thread): no handler
            self._old = None
        return self

    def __exit__(self, *exc) -> None:
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """Text from a PDF, safe to print on a terminal (no control or direction characters)."""
    return _CONTROL.sub(" ", text)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--timeout", type=click.FloatRange(min=0), default=60, show_default=True,
              help="Seconds allowed to read the PDF (0: no limit).")
@click.option("--show-set-aside", is_flag=True, help="List every line set aside (headers, footers, contents ...).")
def inspect(file: Path, fmt: str, timeout: float, show_set_aside: bool) -> None:
    """Show the sections found in one PDF, touching no database.

    \b
    Example:
      ehcaudit inspect plan.pdf --format json | jq '.sections[].code'
      ehcaudit inspect plan.pdf --show-set-aside
    """
    from ehcaudit.errors import PdfError
    from ehcaudit.ingest.importer import not_a_file
    from ehcaudit.ingest.pool import analyse_one

    problem = not_a_file(file)
    if problem or file.is_dir():
        raise PdfError(problem or f"{file}: is a folder; give one PDF file (ehcaudit import reads folders)")
    plan = analyse_one(file, timeout=timeout)
    if isinstance(plan, str):
        raise PdfError(plan)
    if fmt == "json":
        echo(json_dumps(plan.to_dict()))
        return
    echo(f"{plan.path}  {len(plan.pages)} pages  sha256 {plan.sha256[:12]}")
    for s in plan.sections:
        words = len(s.text.split())
        says = "  (says none)" if s.states_none else ""
        echo(f"  {s.code:<3} p{s.page_start}-{s.page_end:<4} {s.score:>3}%  {words:>5} words  {_printable(clip(s.heading, 70))}{says}")
    for w in plan.warnings:
        echo(f"  warning: {_printable(w.message)}")
    echo(f"  {plural(len(plan.set_aside), 'line')} set aside (headers, footers, page numbers, contents, cover, sign-off)"
               + ("" if show_set_aside or not plan.set_aside else "; --show-set-aside lists them"))
    if show_set_aside:
        for a in plan.set_aside:
            echo(f"    p{a.page:<4} {a.why:<18} {_printable(clip(a.text, 90))}")


@cli.command("plans")
@DB_OPTION
@click.option("--cohort", help="Only plans in this cohort.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def plans_cmd(db_path, cohort, fmt) -> None:
    """List the plans in the database.

    \b
    Example:
      ehcaudit plans --cohort 2026-11 --format json
    """
    from ehcaudit.store.plans import list_plans
    from ehcaudit.store.summary_rows import check_cohorts

    db = _open(db_path)
    if cohort:
        check_cohorts(db, [cohort])
    plans = list_plans(db, cohort=cohort)
    if fmt == "json":
        echo(json_dumps([{**p.__dict__, "warnings": [w.message for w in p.warnings]} for p in plans]))
        return
    for p in plans:
        echo(f"{p.id:>5}  {p.label:<24} {p.cohort or '-':<10} {p.page_count:>3}p  {' '.join(p.section_codes)}")


# ------------------------------------------------------------------ rubrics


@cli.group()
def rubric() -> None:
    """Check and show rubrics (TOML files).

    \b
    Examples:
      ehcaudit rubric check my-rubric.toml
      ehcaudit rubric show --format json
    """


@rubric.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def rubric_check(file: Path) -> None:
    """Validate a rubric file; print every problem, one per line.

    \b
    Example:
      ehcaudit rubric check rubrics/ehcp-quality.toml
    """
    from ehcaudit.rubric import check_rubric_file, load_rubric

    problems = check_rubric_file(file)
    if problems:
        for line in problems:
            echo(line, err=True)
        sys.exit(1)
    r = load_rubric(file)
    echo(f"{file}: ok: {r.id} {r.version}, {len(r.areas)} areas, {len(r.criteria)} criteria, scale {'/'.join(str(v) for v in r.scale_values)}")


@rubric.command("show")
@click.argument("rubric_ref", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rubric_show(rubric_ref: str | None, fmt: str) -> None:
    """Print a rubric (a bundled id or a file; default: the default rubric).

    \b
    Example:
      ehcaudit rubric show ehcp-quality --format json
    """
    from ehcaudit.rubric import resolve_rubric

    r = resolve_rubric(rubric_ref)
    if fmt == "json":
        echo(json_dumps(r.to_dict()))
        return
    width = min(100, shutil.get_terminal_size((100, 20)).columns)
    echo(f"{r.title}  ({r.id} {r.version})")
    echo("Scale: " + ", ".join(f"{s.value} {s.label}" for s in r.scale))
    for area in r.areas:
        echo(f"\n{area.title} (weight {area.weight:g})")
        for c in r.criteria_in(area.id):
            na = ", N/A allowed" if c.allow_na else ""
            echo(f"  {c.id:<4} [{' '.join(c.sections)}{na}] {c.question}"[: width * 3])


# ------------------------------------------------------------------ scores


@cli.group()
def scores() -> None:
    """Export (and import) audit scores as CSV or JSON.

    \b
    Example:
      ehcaudit scores export --format csv > scores.csv
    """


SCORE_COLUMNS = ["plan", "reviewer", "criterion", "score", "note", "cohort", "status"]


@scores.command("export")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file instead of stdout.")
def scores_export(db_path, fmt, output) -> None:
    """Every grade: plan, reviewer, criterion, score, note, cohort, status.

    N/A is written as NA. Training audits and references written for training
    are left out; a real review that is the reference of a calibration session
    still blind is held back until the session is revealed, and a line on
    stderr says so.

    \b
    Example:
      ehcaudit scores export --db audits.db --format json
    """
    import csv
    import io

    from ehcaudit.output.safe import cell
    from ehcaudit.store.audits import export_scores

    db = _open(db_path)
    rows = export_scores(db)
    _say_held_back(db)
    if fmt == "json":
        text = json_dumps(rows) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=SCORE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        # Safe to open in a spreadsheet: no cell runs as a formula (scores import undoes the quote).
        writer.writerows({k: cell(v) for k, v in row.items()} for row in rows)
        text = buffer.getvalue()
    _emit(text, output, f"{len(rows)} scores")


def _say_held_back(db) -> None:
    """One line on stderr when a blind calibration session holds back reviews from what is being written."""
    from ehcaudit.store.blind import held_back_references
    from ehcaudit.summary.tables import held_back_text

    held = held_back_references(db)
    if held.audits:
        echo(held_back_text(len(held.audits), sorted(held.sessions)), err=True)


@scores.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@DB_OPTION
@click.option("--rubric", "rubric_ref", help="Rubric id or file the scores were given against (default: the default rubric).")
def scores_import(file, db_path, rubric_ref) -> None:
    """Load past audits from a spreadsheet saved as CSV.

    Columns plan, reviewer, criterion, score, and optionally note, cohort and
    status. Each plan and reviewer becomes a submitted audit; plans not in the
    database are created as label-only plans with no PDF. If any row is bad,
    every bad row is listed with its line number and nothing is imported.

    \b
    Example:
      ehcaudit scores import audits-2025.csv --db audits.db
    """
    from ehcaudit.rubric import resolve_rubric
    from ehcaudit.ingest.scores_csv import ScoresFileError, read_scores
    from ehcaudit.store.scores import import_scores

    rubric = resolve_rubric(rubric_ref)
    try:
        rows = read_scores(file, rubric)
        report = import_scores(_open(db_path, create=True), rows, rubric, str(file))
    except ScoresFileError as exc:
        for line in exc.problems[:200]:
            echo(line, err=True)
        if len(exc.problems) > 200:
            echo(f"... and {len(exc.problems) - 200} more", err=True)
        _fail(str(exc))
    echo(report.summary)


# ------------------------------------------------------------------ summary


@cli.command()
@DB_OPTION
@click.option("--cohort", "cohorts", multiple=True, help="Only these cohorts (repeatable). Default: all.")
@click.option("--rubric", "rubric_ref", help="Rubric id or file (default: the default rubric).")
@click.option("--by", "by", multiple=True, type=click.Choice(["phase", "need", "setting", "team", "reviewer", "cohort"]),
              help="Break the overall grades down by plan metadata or reviewer (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "html", "xlsx"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (needed for xlsx).")
@click.option("--unmoderated", "rule", type=click.Choice(["mean", "first", "lead"]), default="mean", show_default=True,
              help="Grade for a double-scored plan's criterion nobody has moderated: the mean of the reviews "
                   "(halves rounded down), the first submitted review, or the lead reviewer's (--lead).")
@click.option("--lead", help="The lead reviewer, for --unmoderated lead.")
@click.option("--table", "table_name", default=None, metavar="NAME",
              help="With --format csv: one tidy table (a row per row, a column per column); 'list' names them.")
def summary(db_path, cohorts, rubric_ref, by, fmt, output, rule, lead, table_name) -> None:
    """Quality and consistency across the sample, for managers and board papers.

    Per plan and criterion, uses the moderated grade, else the only review's,
    else the --unmoderated rule's, and says which (table 'Grades used per
    plan'). Consistency (percent exact and adjacent agreement, Krippendorff's
    alpha, ordinal, with a 95% bootstrap interval) comes from plans scored by
    two or more reviewers; N/A against a grade is a disagreement, and alpha
    leaves N/A out.

    \b
    Examples:
      ehcaudit summary --cohort 2026-11 --by phase
      ehcaudit summary --format html -o board-paper.html
      ehcaudit summary --format xlsx -o summary.xlsx
      ehcaudit summary --format csv --table criteria > criteria.csv
      ehcaudit summary --format csv --table list
    """
    from ehcaudit.rubric import resolve_rubric
    from ehcaudit.summary.compute import build_summary
    from ehcaudit.summary.data import load_sample
    from ehcaudit.summary.render import render, write_xlsx

    rubric = resolve_rubric(rubric_ref)
    data = load_sample(_open(db_path), rubric.id, list(cohorts) or None)
    if lead and rule != "lead":
        raise EhcauditError("--lead is only used with --unmoderated lead")
    result = build_summary(rubric, data, list(by), list(cohorts) or None, rule=rule, lead=lead)
    if table_name is not None:
        from ehcaudit.summary.render import table_csv, table_names

        if table_name == "list":
            echo("\n".join(table_names(result)))
            return
        if fmt != "csv":
            raise EhcauditError("--table goes with --format csv (the long form, one row per cell, is --format csv alone)")
        _emit(table_csv(result, table_name), output, f"the {table_name} table")
        return
    if fmt == "xlsx":
        if not output:
            raise EhcauditError("xlsx needs a file: add --output summary.xlsx")
        from ehcaudit.output.files import wrote

        _write_xlsx(write_xlsx, result, output)
        echo(wrote("the summary", output), err=True)
        return
    _emit(render(result, fmt), output, "the summary", printable_already=fmt == "json")


def _write_xlsx(write, result, output: Path) -> None:
    """write(result, output), with a failed write (full disk, no permission) as one line and no traceback."""
    import gc

    import xlsxwriter.exceptions

    failure = None
    hook = sys.unraisablehook
    # A zip file that failed to close tries again when it is freed, and would print a traceback then.
    sys.unraisablehook = lambda _: None
    try:
        try:
            write(result, output)
        except OSError as exc:
            failure = exc.strerror or str(exc)
        except xlsxwriter.exceptions.XlsxWriterException as exc:
            failure = str(exc)
        gc.collect()
    finally:
        sys.unraisablehook = hook
    if failure:
        raise EhcauditError(f"{output}: cannot write ({failure})")


# ------------------------------------------------------------------ replay and calibration


@cli.command()
@click.argument("audit_id", required=False, type=int)
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None,
              help="Print the event log instead of opening the replay screen.")
@click.option("--reviewer", default=None, help="Your name (for the app, this run only).")
@click.option("--hide-grades", is_flag=True, help="Hide every grade and note (the room predicts them): screen, text and JSON.")
def replay(audit_id, db_path, fmt, reviewer, hide_grades) -> None:
    """Replay a submitted audit step by step (or print its event log).

    With no AUDIT, lists the submitted audits (text/json) or opens the app's
    replay chooser. A calibration session's reference and trainees' audits
    are not replayed until its trainer reveals the session.

    \b
    Examples:
      ehcaudit replay                    # choose an audit in the app
      ehcaudit replay 12 --format json   # the audit's events in order, with timestamps
      ehcaudit replay 12 --hide-grades   # for a room predicting each grade
    """
    from ehcaudit.config import saved_reviewer
    from ehcaudit.errors import NotFound
    from ehcaudit.training.replay import HIDDEN, without_grades
    from ehcaudit.store.audits import audit_events, load_audit
    from ehcaudit.store.audits import submitted_audits
    from ehcaudit.store.calibration import check_visible
    from ehcaudit.store.plans import get_plan

    db = _open(db_path)
    viewer = _reviewer_option(reviewer) or saved_reviewer()  # --reviewer before the command counts too
    if fmt is None and not sys.stdout.isatty():
        fmt = "text"  # piped or redirected: print rather than draw a screen nobody sees
    if fmt is None:
        from ehcaudit.tui.app import EhcauditApp

        _say_key_problems()
        EhcauditApp(db=db, reviewer=_reviewer_option(reviewer), start="replay", start_audit=audit_id, hide_grades=hide_grades).run()
        return
    if audit_id is None:
        audits = submitted_audits(db, viewer)
        if hide_grades:
            audits = [{**a, "overall_grade": HIDDEN} for a in audits]
        if fmt == "json":
            echo(json_dumps(audits))
        for a in audits if fmt == "text" else []:
            echo(f"{a['id']:>5}  {a['plan']:<20} {a['reviewer']:<20} {a['kind']:<9} {a['submitted_at']}")
        return
    check_visible(db, audit_id, viewer)
    audit = load_audit(db, audit_id)
    if not audit.submitted:
        raise NotFound(f"audit {audit_id} is not submitted yet; only submitted audits are replayed")
    events = audit_events(db, audit_id)
    plan = get_plan(db, audit.plan_id)
    if fmt == "json":
        shown = without_grades(events) if hide_grades else events
        echo(json_dumps({"audit": {"id": audit.id, "plan": plan.label, "reviewer": audit.reviewer, "kind": audit.kind,
                                   "grades_hidden": hide_grades}, "events": shown}))
        return
    from ehcaudit.training.replay import replay_states

    for state in replay_states(events):
        echo(f"{state.event['at']}  {state.describe(hide_grades)}")


@cli.group()
def calibrate() -> None:
    """Calibration sessions: a reference audit, trainees grading blind, and how they compare.

    \b
    Examples:
      ehcaudit calibrate start "November induction" --reference 12
      ehcaudit calibrate report 1 --format html -o session-pack.html
    """


@calibrate.command("list")
@DB_OPTION
def calibrate_list(db_path) -> None:
    """List calibration sessions.

    \b
    Example:
      ehcaudit calibrate list
    """
    from ehcaudit.store.calibration import list_sessions

    for s in list_sessions(_open(db_path)):
        echo(f"{s.id:>4}  {s.name:<30} plan {s.plan_label:<16} reference audit {s.reference_audit_id}  trainer {s.trainer}")


FOR_TRAINING_OPTION = click.option(
    "--written-for-training/--real-review", "for_training", default=None,
    help="Written for training: an answer key, never counted as a review of the sample. A real review (the default) "
         "is held back from the summary, moderation and scores export only while a session using it is blind.")


@calibrate.command("reference")
@click.argument("audit_id", type=int)
@click.option("--trainer", default=None, help="Trainer's name (default: the saved reviewer name).")
@FOR_TRAINING_OPTION
@DB_OPTION
def calibrate_reference(audit_id, trainer, for_training, db_path) -> None:
    """Mark a submitted audit as the reference for its plan.

    \b
    Examples:
      ehcaudit calibrate reference 12                          # a real review, lent to sessions
      ehcaudit calibrate reference 12 --written-for-training   # an answer key
    """
    from ehcaudit.store.calibration import mark_reference, reference_words

    db = _open(db_path)
    mark_reference(db, audit_id, _trainer(trainer), for_training)
    echo(f"audit {audit_id} is now the reference for its plan; {reference_words(db, audit_id)}")


@calibrate.command("start")
@click.argument("name")
@click.option("--reference", "reference", type=int, required=True, help="The submitted audit trainees are compared with.")
@click.option("--trainer", default=None, help="Trainer's name (default: the saved reviewer name).")
@FOR_TRAINING_OPTION
@DB_OPTION
def calibrate_start(name, reference, trainer, for_training, db_path) -> None:
    """Start a session on the reference audit's plan (marks it as the reference).

    \b
    Example:
      ehcaudit calibrate start "Health colleagues, Nov" --reference 12 --trainer "S. Jones"
    """
    from ehcaudit.store.calibration import reference_words, start_session

    db = _open(db_path)
    sid = start_session(db, name, reference, _trainer(trainer), for_training)
    echo(f"session {sid} started; trainees open it from the app's calibration screen (key C); {reference_words(db, reference)}")
@calibrate.command("reveal")
@click.argument("session_id", type=int)
@click.option("--trainer", default=None, help="The session's trainer (default: the saved reviewer name).")
@DB_OPTION
def calibrate_reveal(session_id, trainer, db_path) -> None:
    """Show a session's grades (reference and trainees) to everyone; until then trainees grade blind.

    \b
    Example:
      ehcaudit calibrate reveal 1 --trainer "S. Jones"
    """
    from ehcaudit.store.calibration import reveal_session

    reveal_session(_open(db_path), session_id, _trainer(trainer))
    echo(f"session {session_id}: grades revealed")


@calibrate.command("report")
@click.argument("session_id", type=int)
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--trainer", default=None, help="The session's trainer, to see it before it is revealed (default: the saved name).")
def calibrate_report(session_id, db_path, fmt, output, trainer) -> None:
    """The session's figures, or its pack (md, html) for slides and handouts.

    Blind until the trainer reveals the session (`calibrate reveal`); the trainer
    can see it before.

    \b
    Example:
      ehcaudit calibrate report 1 --format html -o pack.html
    """
    from ehcaudit.training.session_pack import build_pack, calibration_text, pack_html, pack_markdown
    from ehcaudit.rubric import resolve_rubric
    from ehcaudit.store.calibration import get_session, session_rubric

    db = _open(db_path)
    session = get_session(db, session_id)
    if not session.visible_to(_known_trainer(trainer)):
        raise EhcauditError(f"session {session_id} is still blind: its trainer ({session.trainer}) reveals it with "
                            f"`ehcaudit calibrate reveal {session_id}` (or r on the app's calibration screen)")
    pack = build_pack(db, session_id, session_rubric(db, session_id) or resolve_rubric(None))
    if fmt == "json":
        text = json_dumps(pack) + "\n"
    elif fmt == "md":
        text = pack_markdown(pack)
    elif fmt == "html":
        text = pack_html(pack)
    else:
        text = calibration_text(pack)
    _emit(text, output, "the session report")


# ------------------------------------------------------------------ audit rounds (ehcaudit.rounds.cli)

from ehcaudit.rounds.cli import COMMANDS as _ROUND_COMMANDS  # noqa: E402

for _command in _ROUND_COMMANDS:
    cli.add_command(_command)

# ------------------------------------------------------------------ pre-checks

from ehcaudit.checks.cli import check as _check_cmd  # noqa: E402

cli.add_command(_check_cmd)


def main() -> None:
    """Console entry point."""
    cli(obj={})


if __name__ == "__main__":
    main()
