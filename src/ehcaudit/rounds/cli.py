"""CLI commands for audit rounds: sample, rounds, assign, progress, feedback, actions. Registered in ehcaudit.cli."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from ehcaudit.output.words import plural
from ehcaudit.errors import EhcauditError
from ehcaudit.rounds.text import plain


def _db(ctx: click.Context, db_path: Path | None):
    from ehcaudit import locations
    from ehcaudit.store import open_db

    return open_db(db_path or (ctx.obj or {}).get("db_path") or locations.default_db())


def _actor(name: str | None) -> str:
    from ehcaudit.config import saved_reviewer

    return (name or "").strip() or saved_reviewer() or "QA lead"


def _emit(text: str, output: Path | None, what: str) -> None:
    """Print text, or write it to --output (all or nothing, readable by its owner only) and say so on stderr."""
    from ehcaudit.output.files import export_file

    if output is None:
        click.echo(text, nl=False)
        return
    click.echo(export_file(output, text, what), err=True)


DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), envvar="EHCAUDIT_DB",
                         help="Database file (default: EHCAUDIT_DB, else the user data folder).")
ROUND_OPTION = click.option("--round", "round_ref", help="Round id or name (default: the newest round).")
BY_OPTION = click.option("--by", "actor", help="Your name, for the log (default: the saved reviewer name).")


class _OneLine(click.Command):
    """A mistyped option is one line, like every other error (not click's usage block)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise EhcauditError(f"{exc.format_message()} (ehcaudit {ctx.command_path.split(' ', 1)[-1]} --help shows every option)") from None


class _OneLineGroup(click.Group):
    command_class = _OneLine

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise EhcauditError(f"{exc.format_message()} (ehcaudit {ctx.command_path.split(' ', 1)[-1]} --help shows every option)") from None


AS_OF_OPTION = click.option("--as-of", "as_of_day", metavar="DATE",
                            help="Judge what is overdue as on this date (YYYY-MM-DD; default today).")


def _as_of(text: str | None):
    from ehcaudit.rounds.dates import as_of, parse_date

    return as_of(parse_date(text, "--as-of date") if text else None)


class _Share(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click (the range allows 8.1)
    name = "share"

    def convert(self, value, param, ctx):
        text = str(value).strip().rstrip("%")
        try:
            share = float(text)
        except ValueError:
            self.fail(f"'{value}' is not a share; give e.g. 0.25 or 25%", param, ctx)
        if str(value).strip().endswith("%") or share > 1:
            share /= 100
        if not 0 <= share <= 1:
            self.fail(f"'{value}' is not a share from 0 to 1 (or 0% to 100%)", param, ctx)
        return share


@click.command("sample", cls=_OneLine)
@DB_OPTION
@click.option("--cohort", help="Draw from this cohort's plans (default: every imported plan).")
@click.option("--size", type=int, required=True, help="How many plans to choose.")
@click.option("--stratify", help="Allocate proportionally within strata of: phase, need, setting, team (comma-separated).")
@click.option("--double", "double_share", type=_Share(), default=0.2, show_default=True,
              help="Share of the sample marked for a second, independent review (0.25 or 25%).")
@click.option("--seed", type=click.IntRange(0), help="Seed for the random draw (default: a fresh one, recorded).")
@click.option("--rubric", "rubric_ref", help="Rubric the round is scored against (a bundled id or a file; default ehcp-quality).")
@click.option("--name", help="A name for the round (default: from the cohort and size).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@BY_OPTION
@click.pass_context
def sample_cmd(ctx, db_path, cohort, size, stratify, double_share, seed, rubric_ref, name, fmt, actor) -> None:
    """Draw a random sample of plans as a new audit round, recording the seed.

    With --stratify, the sample is shared among the strata in proportion to
    their size (largest remainder), with at least one plan from every stratum
    when the size allows. The same plans, options and --seed always draw the
    same sample.

    \b
    Examples:
      ehcaudit sample --cohort 2026-11 --size 12 --stratify phase,need --double 25%
      ehcaudit sample --size 5 --seed 41 --rubric annual-review
    """
    from ehcaudit.rounds.round import draw_round
    from ehcaudit.rounds.sampling import parse_stratify
    from ehcaudit.rubric import resolve_rubric

    rubric = resolve_rubric(rubric_ref)
    fields = parse_stratify(stratify)
    db = _db(ctx, db_path)
    rnd, sample = draw_round(db, size=size, cohort=cohort, stratify=fields, double_share=double_share, seed=seed,
                             rubric=rubric, name=name, actor=_actor(actor))
    from ehcaudit.rounds.sampling_report import sample_report

    click.echo(sample_report(db, rnd, sample, fmt), nl=False)


@click.command("rounds", cls=_OneLine)
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def rounds_cmd(ctx, db_path, fmt) -> None:
    """List audit rounds, newest first.

    \b
    Example:
      ehcaudit rounds --format json
    """
    from ehcaudit.store.rounds import list_rounds

    rounds = list_rounds(_db(ctx, db_path))
    if fmt == "json":
        click.echo(json.dumps([r.__dict__ for r in rounds], indent=2, ensure_ascii=False))
        return
    if not rounds:
        click.echo("No rounds yet: ehcaudit sample --size 5")
    for r in rounds:
        click.echo(f"{r.id:>3}  {plain(r.name)[:20]:<20} {r.size:>3} plans  {r.rubric_id[:12]:<12} "
                   f"due {r.due or '-':<10} seed {r.seed}")


@click.command("assign", cls=_OneLine)
@DB_OPTION
@ROUND_OPTION
@click.option("--reviewer", "reviewers", multiple=True, help="A reviewer (repeatable, or comma-separated).")
@click.option("--due", help="The round's due date: YYYY-MM-DD, DD/MM/YYYY or +14d (not in the past).")
@click.option("--replace", is_flag=True, help="Share out a round that is already assigned again.")
@click.option("--move", "move", nargs=3, metavar="PLAN FROM TO", help="Give FROM's review of PLAN to TO instead.")
@BY_OPTION
@click.pass_context
def assign_cmd(ctx, db_path, round_ref, reviewers, due, replace, move, actor) -> None:
    """Share a round's plans among reviewers, balanced by count, with a due date.

    Each plan marked for double review gets two different reviewers.

    \b
    Examples:
      ehcaudit assign --reviewer "A. Khan" --reviewer "B. Lewis" --reviewer "C. Osei" --due 2026-12-18
      ehcaudit assign --reviewer "A. Khan,B. Lewis" --due +14d --round 3
      ehcaudit assign --move plan-04 "B. Lewis" "C. Osei"
    """
    from ehcaudit.rounds.assignment import AssignError, parse_reviewers
    from ehcaudit.rounds.round import assign_round, move_review
    from ehcaudit.store.rounds import get_round

    db = _db(ctx, db_path)
    if move:
        move_review(db, round_ref, move[0], move[1], move[2], _actor(actor))
        click.echo(plain(f"{move[0]}: {move[1]}'s review now goes to {move[2]}"))
        return
    names = parse_reviewers(list(reviewers))
    if not names:
        raise AssignError("name the reviewers: --reviewer NAME (repeatable, or comma-separated)")
    if not due:
        raise AssignError("give the round a due date: --due YYYY-MM-DD (or +14d)")
    shared = assign_round(db, round_ref, names, due, _actor(actor), replace=replace)
    rnd = get_round(db, round_ref)
    counts = {n: sum(1 for _, _, r in shared if r == n) for n in names}
    click.echo(f"round {rnd.id} '{plain(rnd.name)}': {plural(len(shared), 'review')} assigned, due {rnd.due}")
    for n, k in counts.items():
        click.echo(f"  {plain(n)}: {k}")


@click.command("progress", cls=_OneLine)
@DB_OPTION
@ROUND_OPTION
@click.option("--reviewer", help="Only this reviewer's line.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@AS_OF_OPTION
@click.pass_context
def progress_cmd(ctx, db_path, round_ref, reviewer, fmt, output, as_of_day) -> None:
    """Who has done what in a round: assigned, in progress, submitted, overdue.

    Also how many plans still need a second review or moderation.

    \b
    Examples:
      ehcaudit progress
      ehcaudit progress --round 3 --format json
    """
    from ehcaudit.rounds.progress import render_progress, round_progress

    with _as_of(as_of_day):
        _emit(render_progress(round_progress(_db(ctx, db_path), round_ref, reviewer), fmt), output, "the progress report")


@click.command("feedback", cls=_OneLine)
@click.argument("ref", metavar="AUDIT|PLAN")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file (default: print).")
@click.option("--to", "to", help="Who the report is addressed to (default: the case officer who wrote the plan).")
@click.pass_context
def feedback_cmd(ctx, ref, db_path, fmt, output, to) -> None:
    """Feedback for the case officer who wrote a plan, from a submitted audit.

    AUDIT is an audit number; anything else is a plan label. A moderated plan
    uses the agreed grades and says so. Printable to A4 (html).

    \b
    Examples:
      ehcaudit feedback plan-03 -o feedback-plan-03.html
      ehcaudit feedback 12 --format md --to "J. Smith, SEN case officer"
    """
    from ehcaudit.rounds.feedback import build_feedback, render_feedback

    f = build_feedback(_db(ctx, db_path), ref, to)
    _emit(render_feedback(f, fmt), output, f"feedback on {plain(f['plan'])}")


@click.group("actions", cls=_OneLineGroup, invoke_without_command=True)
@DB_OPTION
@click.option("--open", "open_only", is_flag=True, help="Only open actions.")
@click.option("--overdue", is_flag=True, help="Only open actions past their due date.")
@click.option("--team", help="Only actions owned by (or on plans of) this team.")
@click.option("--plan", "plan_ref", help="Only this plan's actions.")
@click.option("--cohort", "cohorts", multiple=True, help="Only plans in these cohorts (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
@AS_OF_OPTION
@click.pass_context
def actions_cmd(ctx, db_path, open_only, overdue, team, plan_ref, cohorts, fmt, output, as_of_day) -> None:
    """Actions agreed after audits; list them, or add, complete and reopen one.

    \b
    Examples:
      ehcaudit actions --overdue
      ehcaudit actions --open --team North --format csv -o open.csv
      ehcaudit actions --overdue --as-of 2027-01-20      # as it will stand at the board meeting
      ehcaudit actions add plan-03 "Amend section F to quantify speech and language therapy" --section F --team North --due +28d
      ehcaudit actions done 4 --note "Section F amended and reissued"
      ehcaudit actions reopen 4 --reason "Amendment did not give the hours"
    """
    ctx.ensure_object(dict)
    ctx.obj["actions_db"] = db_path
    if ctx.invoked_subcommand is not None:
        return
    from ehcaudit.rounds.actions import filter_actions, render_actions
    from ehcaudit.store.actions import list_actions
    from ehcaudit.store.plans import get_plan

    db = _db(ctx, db_path)
    plan_id = get_plan(db, plan_ref).id if plan_ref else None
    if team and not any(t.casefold() == team.casefold() for t in _teams(db)):
        raise EhcauditError(f"unknown team '{team}'; teams are: {', '.join(_teams(db)) or 'none recorded'}")
    with _as_of(as_of_day):
        rows = filter_actions(list_actions(db, plan_id=plan_id, cohorts=list(cohorts) or None),
                              open_only=open_only, overdue=overdue, team=team)
        width = shutil.get_terminal_size((120, 24)).columns if output is None and sys.stdout.isatty() else None
        _emit(render_actions(rows, fmt, width), output, f"{len(rows)} actions")


def _teams(db) -> list[str]:
    from ehcaudit.rounds.actions import team_of
    from ehcaudit.store.actions import list_actions
    from ehcaudit.store.plans import list_plans

    teams = {p.metadata.get("team") for p in list_plans(db)} | {team_of(a) for a in list_actions(db)}
    return sorted(t for t in teams if t)


@actions_cmd.command("add")
@click.argument("plan_ref", metavar="PLAN")
@click.argument("what")
@click.option("--section", help="The plan section that must change (A to K).")
@click.option("--criterion", help="The rubric criterion the action answers (e.g. P1).")
@click.option("--team", help="The team that owns the action.")
@click.option("--person", help="The person who owns the action.")
@click.option("--due", required=True, help="Due date: YYYY-MM-DD, DD/MM/YYYY or +28d (not in the past).")
@click.option("--rubric", "rubric_ref", help="Rubric the criterion belongs to (default: the default rubric).")
@DB_OPTION
@BY_OPTION
@click.pass_context
def actions_add(ctx, plan_ref, what, section, criterion, team, person, due, rubric_ref, db_path, actor) -> None:
    """Record an action on a plan.

    \b
    Example:
      ehcaudit actions add plan-03 "Re-audit after the annual review" --person "A. Khan" --due 2027-03-31
    """
    from ehcaudit.rounds.actions import record_action
    from ehcaudit.rubric import resolve_rubric
    from ehcaudit.store.plans import get_plan

    db = _db(ctx, db_path or ctx.obj.get("actions_db"))
    plan = get_plan(db, plan_ref)
    action_id = record_action(db, plan_id=plan.id, what=what, due=due, actor=_actor(actor), team=team, person=person,
                              section=section, criterion_id=criterion, rubric=resolve_rubric(rubric_ref))
    click.echo(f"action {action_id} recorded on {plain(plan.label)}")


@actions_cmd.command("done")
@click.argument("action_id", type=int)
@click.option("--note", default="", help="What was done.")
@click.option("--on", "on", help="The date it was done (default today).")
@DB_OPTION
@BY_OPTION
@click.pass_context
def actions_done(ctx, action_id, note, on, db_path, actor) -> None:
    """Mark an action done, with a note.

    \b
    Example:
      ehcaudit actions done 4 --note "Section F reissued with hours" --on 2026-12-10
    """
    from ehcaudit.rounds.actions import mark_done

    mark_done(_db(ctx, db_path or ctx.obj.get("actions_db")), action_id, note, _actor(actor), on)
    click.echo(f"action {action_id} done")


@actions_cmd.command("reopen")
@click.argument("action_id", type=int)
@click.option("--reason", required=True, help="Why it is open again (logged).")
@DB_OPTION
@BY_OPTION
@click.pass_context
def actions_reopen(ctx, action_id, reason, db_path, actor) -> None:
    """Reopen a done action, with a reason.

    \b
    Example:
      ehcaudit actions reopen 4 --reason "The amendment did not give the hours"
    """
    from ehcaudit.store.actions import reopen_action

    if not reason.strip():
        raise EhcauditError("give a reason to reopen an action")
    reopen_action(_db(ctx, db_path or ctx.obj.get("actions_db")), action_id, reason, _actor(actor))
    click.echo(f"action {action_id} reopened")


COMMANDS = [sample_cmd, rounds_cmd, assign_cmd, progress_cmd, feedback_cmd, actions_cmd]
