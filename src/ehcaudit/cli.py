"""The ehcaudit command line: parse arguments, call the core, print."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from ehcaudit import __version__, locations
from ehcaudit.errors import EhcauditError

DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="EHCAUDIT_DB",
    help="Database file (default: EHCAUDIT_DB, else the user data folder).",
)


def _db_path(db_path: Path | None) -> Path:
    return db_path or locations.default_db()


def _open(db_path: Path | None):
    from ehcaudit.store import open_db

    return open_db(_db_path(db_path))


def _emit(text: str, output: Path | None, what: str) -> None:
    """Print text, or write it to --output and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise EhcauditError(f"{output}: cannot write ({exc.strerror}); nothing else was changed") from None
    click.echo(f"wrote {what} to {output}", err=True)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns every user error into one line on stderr and a non-zero exit."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except EhcauditError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            click.echo("interrupted; everything saved so far is kept", err=True)
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@DB_OPTION
@click.option("--reviewer", help="Your name as a reviewer (remembered for next time).")
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
    if ctx.invoked_subcommand is None:
        _run_app(_db_path(db_path), reviewer)


def _run_app(db_path: Path, reviewer: str | None) -> None:
    from ehcaudit.store import open_db
    from ehcaudit.tui.app import EhcauditApp

    db = open_db(db_path)
    EhcauditApp(db=db, reviewer=reviewer).run()


@cli.command()
@click.option("--reviewer", default=None, help="Reviewer name to use in the demo.")
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

    path = build_demo_db(locations.demo_db())
    if no_app:
        click.echo(str(path))
        return
    _run_app(path, reviewer or "Demo reviewer")


# ------------------------------------------------------------------ import / inspect


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--cohort", help="Audit round these plans belong to, e.g. 2026-11.")
@click.option("--meta", "meta_file", type=click.Path(dir_okay=False, path_type=Path),
              help="CSV keyed by file name with phase, primary_need, setting, team.")
@click.option("--jobs", type=click.IntRange(1, 32), default=1, show_default=True, help="Processes reading PDFs at once.")
@click.option("--refuse-unredacted", is_flag=True, help="Fail plans that look unredacted instead of warning.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def import_cmd(paths, db_path, cohort, meta_file, jobs, refuse_unredacted, quiet) -> None:
    """Import plan PDFs (files or folders, searched recursively).

    Each plan is stored with its pages, sections, warnings and sha256; a file
    already imported is reported as a duplicate. The last line reads
    `imported N, duplicates D, failed F`; the exit code is 1 if anything failed.

    \b
    Example:
      ehcaudit import ~/audits/2026-11 --cohort 2026-11 --meta sample.csv --jobs 2
    """
    from ehcaudit.importer import collect_pdfs, import_plans, read_metadata

    metadata = read_metadata(meta_file) if meta_file else None
    db = _open(db_path)
    files, _ = collect_pdfs(list(paths))
    if quiet or not sys.stderr.isatty():
        report = import_plans(db, list(paths), cohort=cohort, metadata=metadata, jobs=jobs, refuse_unredacted=refuse_unredacted)
    else:
        with click.progressbar(
            length=len(files), label="Importing", file=sys.stderr, show_pos=True,
            item_show_func=lambda p: p.name if p else "",
        ) as bar:
            report = import_plans(
                db, list(paths), cohort=cohort, metadata=metadata, jobs=jobs,
                refuse_unredacted=refuse_unredacted, progress=lambda p: bar.update(1, p),
            )
    for line in report.lines:
        click.echo(line, err=True)
    click.echo(report.summary)
    sys.exit(1 if report.failed else 0)


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def inspect(file: Path, fmt: str) -> None:
    """Show the sections found in one PDF, touching no database.

    \b
    Example:
      ehcaudit inspect plan.pdf --format json | jq '.sections[].code'
    """
    from ehcaudit.analyse import analyse_pdf

    plan = analyse_pdf(file)
    if fmt == "json":
        click.echo(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"{plan.path}  {len(plan.pages)} pages  sha256 {plan.sha256[:12]}")
    for s in plan.sections:
        words = len(s.text.split())
        click.echo(f"  {s.code:<3} p{s.page_start}-{s.page_end:<4} {s.score:>3}%  {words:>5} words  {s.heading[:70]}")
    for w in plan.warnings:
        click.echo(f"  warning: {w}")


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
    from ehcaudit.summary.data import check_cohorts

    db = _open(db_path)
    if cohort:
        check_cohorts(db, [cohort])
    plans = list_plans(db, cohort=cohort)
    if fmt == "json":
        click.echo(json.dumps([p.__dict__ for p in plans], indent=2))
        return
    for p in plans:
        click.echo(f"{p.id:>5}  {p.label:<24} {p.cohort or '-':<10} {p.page_count:>3}p  {' '.join(p.section_codes)}")


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
            click.echo(line, err=True)
        sys.exit(1)
    r = load_rubric(file)
    click.echo(f"{file}: ok: {r.id} {r.version}, {len(r.areas)} areas, {len(r.criteria)} criteria, scale {'/'.join(str(v) for v in r.scale_values)}")


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
        click.echo(json.dumps(r.to_dict(), indent=2, ensure_ascii=False))
        return
    width = min(100, shutil.get_terminal_size((100, 20)).columns)
    click.echo(f"{r.title}  ({r.id} {r.version})")
    click.echo("Scale: " + ", ".join(f"{s.value} {s.label}" for s in r.scale))
    for area in r.areas:
        click.echo(f"\n{area.title} (weight {area.weight:g})")
        for c in r.criteria_in(area.id):
            na = ", N/A allowed" if c.allow_na else ""
            click.echo(f"  {c.id:<4} [{' '.join(c.sections)}{na}] {c.question}"[: width * 3])


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

    N/A is written as NA. Training audits are left out.

    \b
    Example:
      ehcaudit scores export --db audits.db --format json
    """
    import csv
    import io

    from ehcaudit.store.audits import export_scores

    rows = export_scores(_open(db_path))
    if fmt == "json":
        text = json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=SCORE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    _emit(text, output, f"{len(rows)} scores")


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
    from ehcaudit.scores_csv import ScoresFileError, import_scores, read_scores

    rubric = resolve_rubric(rubric_ref)
    try:
        rows = read_scores(file, rubric)
    except ScoresFileError as exc:
        for line in exc.problems[:200]:
            click.echo(line, err=True)
        if len(exc.problems) > 200:
            click.echo(f"... and {len(exc.problems) - 200} more", err=True)
        _fail(str(exc))
    report = import_scores(_open(db_path), rows, rubric, str(file))
    click.echo(report.summary)


# ------------------------------------------------------------------ summary


@cli.command()
@DB_OPTION
@click.option("--cohort", "cohorts", multiple=True, help="Only these cohorts (repeatable). Default: all.")
@click.option("--rubric", "rubric_ref", help="Rubric id or file (default: the default rubric).")
@click.option("--by", "by", multiple=True, type=click.Choice(["phase", "need", "setting", "team", "reviewer", "cohort"]),
              help="Break the overall grades down by plan metadata or reviewer (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "html", "xlsx"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (needed for xlsx).")
@click.option("--table", "table_name", default=None, metavar="NAME",
              help="With --format csv: one tidy table (a row per row, a column per column); 'list' names them.")
def summary(db_path, cohorts, rubric_ref, by, fmt, output, table_name) -> None:
    """Quality and consistency across the sample, for managers and board papers.

    Uses each plan's moderated grades where there are any, else its submitted
    audit, and says which. Consistency (percent exact and adjacent agreement,
    Krippendorff's alpha, ordinal) comes from plans scored by two or more
    reviewers.

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
    result = build_summary(rubric, data, list(by), list(cohorts) or None)
    if table_name is not None:
        from ehcaudit.summary.render import table_csv, table_names

        if table_name == "list":
            click.echo("\n".join(table_names(result)))
            return
        if fmt != "csv":
            raise EhcauditError("--table goes with --format csv (the long form, one row per cell, is --format csv alone)")
        _emit(table_csv(result, table_name), output, f"the {table_name} table")
        return
    if fmt == "xlsx":
        if not output:
            raise EhcauditError("xlsx needs a file: add --output summary.xlsx")
        try:
            write_xlsx(result, output)
        except OSError as exc:
            raise EhcauditError(f"{output}: cannot write ({exc.strerror})") from None
        click.echo(f"wrote {output}", err=True)
        return
    _emit(render(result, fmt), output, "the summary")


# ------------------------------------------------------------------ replay and calibration


@cli.command()
@click.argument("audit_id", required=False, type=int)
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default=None,
              help="Print the event log instead of opening the replay screen.")
@click.option("--reviewer", default=None, help="Your name (for the app).")
def replay(audit_id, db_path, fmt, reviewer) -> None:
    """Replay a submitted audit step by step (or print its event log).

    With no AUDIT, lists the submitted audits (text/json) or opens the app's
    replay chooser.

    \b
    Examples:
      ehcaudit replay                    # choose an audit in the app
      ehcaudit replay 12 --format json   # the audit's events in order, with timestamps
    """
    from ehcaudit.errors import NotFound
    from ehcaudit.store.audits import audit_events, load_audit
    from ehcaudit.store.calibration import submitted_audits
    from ehcaudit.store.plans import get_plan

    db = _open(db_path)
    if fmt is None and not sys.stdout.isatty():
        fmt = "text"  # piped or redirected: print rather than draw a screen nobody sees
    if fmt is None:
        from ehcaudit.tui.app import EhcauditApp

        EhcauditApp(db=db, reviewer=reviewer, start="replay", start_audit=audit_id).run()
        return
    if audit_id is None:
        audits = submitted_audits(db)
        if fmt == "json":
            click.echo(json.dumps(audits, indent=2))
        for a in audits if fmt == "text" else []:
            click.echo(f"{a['id']:>5}  {a['plan']:<20} {a['reviewer']:<20} {a['kind']:<9} {a['submitted_at']}")
        return
    audit = load_audit(db, audit_id)
    if not audit.submitted:
        raise NotFound(f"audit {audit_id} is not submitted yet; only submitted audits are replayed")
    events = audit_events(db, audit_id)
    plan = get_plan(db, audit.plan_id)
    if fmt == "json":
        click.echo(json.dumps({"audit": {"id": audit.id, "plan": plan.label, "reviewer": audit.reviewer, "kind": audit.kind},
                               "events": events}, indent=2, ensure_ascii=False))
        return
    from ehcaudit.replay import replay_states

    for state in replay_states(events):
        click.echo(f"{state.event['at']}  {state.change}")


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
        click.echo(f"{s.id:>4}  {s.name:<30} plan {s.plan_label:<16} reference audit {s.reference_audit_id}  trainer {s.trainer}")


@calibrate.command("reference")
@click.argument("audit_id", type=int)
@click.option("--trainer", default=None, help="Trainer's name (default: the saved reviewer name).")
@DB_OPTION
def calibrate_reference(audit_id, trainer, db_path) -> None:
    """Mark a submitted audit as the reference for its plan.

    \b
    Example:
      ehcaudit calibrate reference 12
    """
    from ehcaudit.config import saved_reviewer
    from ehcaudit.store.calibration import mark_reference

    mark_reference(_open(db_path), audit_id, trainer or saved_reviewer() or "trainer")
    click.echo(f"audit {audit_id} is now the reference for its plan")


@calibrate.command("start")
@click.argument("name")
@click.option("--reference", "reference", type=int, required=True, help="The submitted audit trainees are compared with.")
@click.option("--trainer", default=None, help="Trainer's name (default: the saved reviewer name).")
@DB_OPTION
def calibrate_start(name, reference, trainer, db_path) -> None:
    """Start a session on the reference audit's plan (marks it as the reference).

    \b
    Example:
      ehcaudit calibrate start "Health colleagues, Nov" --reference 12 --trainer "S. Jones"
    """
    from ehcaudit.config import saved_reviewer
    from ehcaudit.store.calibration import start_session

    sid = start_session(_open(db_path), name, reference, trainer or saved_reviewer() or "trainer")
    click.echo(f"session {sid} started; trainees open it from the app's calibration screen (key C)")


@calibrate.command("report")
@click.argument("session_id", type=int)
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
def calibrate_report(session_id, db_path, fmt, output) -> None:
    """The session's figures, or its pack (md, html) for slides and handouts.

    \b
    Example:
      ehcaudit calibrate report 1 --format html -o pack.html
    """
    from ehcaudit.calibration_pack import build_pack, calibration_text, pack_html, pack_markdown
    from ehcaudit.rubric import resolve_rubric

    db = _open(db_path)
    pack = build_pack(db, session_id, _session_rubric(db, session_id) or resolve_rubric(None))
    if fmt == "json":
        text = json.dumps(pack, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        text = pack_markdown(pack)
    elif fmt == "html":
        text = pack_html(pack)
    else:
        text = calibration_text(pack)
    _emit(text, output, "the session report")


def _session_rubric(db, session_id: int):
    """The rubric the session's reference audit was scored against, from the stored text."""
    from ehcaudit.rubric import load_rubric_text

    row = db.execute(
        """SELECT r.source FROM calibration_sessions s JOIN audits a ON a.id = s.reference_audit_id
           JOIN rubrics r ON r.sha256 = a.rubric_sha256 WHERE s.id = ?""", [session_id]).fetchone()
    return load_rubric_text(row[0], "stored rubric") if row else None


def main() -> None:
    """Console entry point."""
    cli(obj={})


if __name__ == "__main__":
    main()
