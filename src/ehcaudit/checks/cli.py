"""`ehcaudit check`: hints on weak wording in plan PDFs or in the plans of a database."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from ehcaudit.errors import EhcauditError
from ehcaudit.output.safe import clip

# Control characters (C0, DEL, C1) in a PDF's text must not reach the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: str) -> str:
    return _CONTROL.sub("", text)


@click.command("check")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), help="Check the plans imported into this database instead.")
@click.option("--cohort", help="With --db: only plans in this cohort (copying is looked for within it).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(files: tuple[Path, ...], db_path: Path | None, cohort: str | None, fmt: str) -> None:
    """Point at weak wording: vague provision, outcomes that are not SMART, a missing voice,
    needs without provision and (with --db) text copied between plans. Hints never grade.

    \b
    Examples:
      ehcaudit check plan.pdf other.pdf
      ehcaudit check --db audits.db --cohort 2026-11 --format json
    """
    from ehcaudit.checks.sample import check_db, check_files

    if db_path is None and not files:
        raise EhcauditError("give plan PDFs to check, or --db FILE for the plans imported into a database")
    if db_path is not None and files:
        raise EhcauditError("give either PDF files or --db, not both")
    if db_path is not None:
        if not db_path.exists():
            raise EhcauditError(f"{db_path}: no such database; import plans first with `ehcaudit import DIR --db {db_path}`")
        from ehcaudit.store import open_db

        results = check_db(open_db(db_path), cohort)
    else:
        results = check_files(list(files))
    failed = [r for r in results if r.error]
    for r in failed:
        click.echo(_plain(r.error or ""), err=True)
    good = [r for r in results if not r.error]
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in good], indent=2))
    else:
        for r in good:
            click.echo(_plain(f"{r.file}: {len(r.hints)} hint{'s' if len(r.hints) != 1 else ''}"))
            for h in r.hints:
                click.echo(_plain(f"  {h.section:<3} p{h.page:<3} {h.kind:<23} {clip(h.quote, 90)}"))
                click.echo(_plain(f"      {h.message}"))
    sys.exit(1 if failed else 0)
