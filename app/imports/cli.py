"""``flask import KIND FILE [--dry-run]`` and ``flask import KIND --template FILE`` (R-18.1).

For the IT team's scripts: the same run as the screen's (app/imports/run.py), the same
report printed (refused rows named by sheet and row number), exit status 1 when any row is
refused, so a script can stop there.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app import imports
from app.clock import office_today
from app.domain.workdays import load_calendar
from app.extensions import db
from app.imports.run import run_import


def _progress(done: int, total: int) -> None:
    click.echo(f"\r{done}/{total}", nl=False, err=True)


@click.command("import")
@click.argument("kind", type=click.Choice(list(imports.KIND_MODULES)))
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; change nothing.")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the kind's template to this file instead of importing.")
@click.option("--user", default=None,
              help="Account recorded as the importer (audit trail, roster approvals).")
@with_appcontext
def import_command(kind: str, file: Path | None, dry_run: bool, template: Path | None,
                   user: str | None) -> None:
    """Import units, projects, staff, catalogue or commissions from an .xlsx file."""
    spec = imports.kind(kind)
    if template is not None:
        from app.imports.workbooks import write_template  # openpyxl only when used

        write_template(spec, template)
        click.echo(f"template written: {template}")
        return
    if file is None:
        raise click.UsageError("give the FILE to import (or --template FILE)")
    actor = None
    if user:
        actor = current_app.appbuilder.sm.find_user(username=user)
        if actor is None:
            raise click.ClickException(f"no account {user}")
    name = f"{actor.first_name}{actor.last_name}" if actor is not None else "命令行导入"
    report = run_import(db.session, spec, file.read_bytes(), filename=file.name, actor=actor,
                        actor_name=name, today=office_today(), cal=load_calendar(db.session),
                        config=current_app.config, dry_run=dry_run,
                        progress=_progress if sys.stderr.isatty() else None)
    db.session.commit()  # the import (when clean) and its audit row
    print_report(report)
    if not report.ok:
        sys.exit(1)


def print_report(report) -> None:
    """The report as lines: counts, file problems, each refused row by sheet and row."""
    counts = report.counts
    click.echo(f"{report.filename} ({report.sha256[:12]}): "
               f"新增 {counts['create']}，更新 {counts['update']}，无变化 {counts['unchanged']}，"
               f"拒绝 {counts['refuse']}，跳过示例 {counts['skip']}")
    for problem in report.file_problems:
        click.echo(f"文件：{problem}")
    for row in report.refused:
        title = report.titles.get(row.sheet, row.sheet)
        click.echo(f"{title} 第{row.row}行 {row.key}：{'；'.join(row.problems)}")
    if report.committed:
        click.echo("已导入。")
    elif report.dry_run:
        click.echo("试运行：未作任何修改。")
    else:
        click.echo("有被拒绝的行：未导入任何行。")
