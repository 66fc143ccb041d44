"""`lushbeat publish` and `lushbeat unpublish`: flip an article's status (and Hugo's `draft`),
set its date, optionally move it to the path its date gives. Only those keys change.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from lushbeat_cli.cli._article import ARTICLE, find_article
from lushbeat_cli.cli._state import State, emit_path
from lushbeat_cli.cli.params import DIFF, DRY_RUN, NO_INDEX, NULL_PATHS, Option, Values
from lushbeat_cli.core.article import Status
from lushbeat_cli.errors import UsageError
from lushbeat_cli.render.machine import display_path

if TYPE_CHECKING:
    from lushbeat_cli.core.workflow.publishing import PublishPlan

PARAMS = (
    ARTICLE,
    Option("date", "--date", metavar="DATE", help="Set the date, e.g. 2024-07-29T10:00."),
    Option("now", "--now", default=False, help="Set the date to now."),
    Option(
        "move",
        "--move",
        default=False,
        help="Move the file to the path path_pattern gives for its date.",
    ),
    DRY_RUN,
    DIFF,
    NULL_PATHS,
    NO_INDEX,
)


def run(values: Values, state: State) -> int:
    """Publish an article: status published (and Hugo's draft: false), optionally a new date.

    Without --date or --now the article keeps its date; an undated one is dated now.
    A date in the future schedules the article.
    Only the status, draft and date keys change; --move also renames the file.
    Prints the article's path (with --diff: the diff).

    \b
    Examples:
      lushbeat publish pbsi-rombak-tim-pelatih-pelatnas-jelang-musim-2025 --now
      lushbeat publish "bauran energi" --date 2030-01-15T07:00 --diff
      lushbeat publish pbsi-rombak-tim-pelatih-pelatnas-jelang-musim-2025 --date 2025-02-03 --move
    """
    from lushbeat_cli.core.workflow.publishing import parse_when, plan_publish

    if values.date is not None and values.now:
        raise UsageError("--date and --now cannot be used together")
    found, corpus = find_article(values.article, no_index=values.no_index)
    config = state.config
    when: datetime | None = None
    date_only = False
    if values.date is not None:
        when, date_only = parse_when(values.date, config)
    elif values.now:
        when = datetime.now(config.tz).replace(microsecond=0)
    plan = plan_publish(
        found, config, when=when, date_only=date_only, move=values.move, articles=corpus.articles
    )
    return carry_out(state, plan, dry_run=values.dry_run, diff=values.diff, null=values.null)


def carry_out(
    state: State, plan: PublishPlan, *, dry_run: bool, diff: bool, null: bool = False
) -> int:
    """Write (or show) a publish or unpublish plan; print the path (or the diff)."""
    out = state.output
    edit = plan.edit
    where = display_path(edit.path)
    for line, message in plan.unfinished(state.config):
        out.warning(f"{where}:{line}: {message} (LB312; publishing it anyway)")
    if not edit.changed:
        out.info(f"{where}: already {_state_words(plan)}; nothing to change")
        if not diff:
            emit_path(edit.path, null=null)
        return 0
    if diff:
        from lushbeat_cli.render.diff import print_diff

        print_diff(out, edit)
    if diff or dry_run:
        if not diff:
            emit_path(edit.destination, null=null)
        out.info(f"would {_verb(plan)} {where}{_details(plan)} (dry run: nothing written)")
        return 0
    from lushbeat_cli.core.edit import commit_edit

    path = commit_edit(edit)
    emit_path(path, null=null)
    out.success(f"{_verb(plan, past=True)} {where}{_details(plan)}")
    if plan.linked_from:
        names = ", ".join(display_path(article.path) for article in plan.linked_from)
        out.warning(
            f"{len(plan.linked_from)} article(s) link to the old path and were not changed: {names}"
        )
    return 0


def _verb(plan: PublishPlan, *, past: bool = False) -> str:
    verb = {Status.DRAFT: "unpublish", Status.SCHEDULED: "schedule"}.get(plan.status, "publish")
    return verb + ("d" if past and verb.endswith("e") else "ed" if past else "")


def _details(plan: PublishPlan) -> str:
    parts = []
    if plan.status is Status.SCHEDULED and plan.date is not None:
        parts.append(f"for {plan.date.isoformat()} (a date in the future)")
    elif plan.status is Status.PUBLISHED and plan.date is not None:
        parts.append(f"dated {plan.date.isoformat()}")
    if plan.edit.moves:
        parts.append(f"moved to {display_path(plan.edit.destination)}")
    return (" " + ", ".join(parts)) if parts else ""


def _state_words(plan: PublishPlan) -> str:
    if plan.status is Status.SCHEDULED and plan.date is not None:
        return f"scheduled for {plan.date.isoformat()}"
    return "a draft" if plan.status is Status.DRAFT else "published"
