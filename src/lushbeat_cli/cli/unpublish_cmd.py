"""`lushbeat unpublish`: make an article a draft again (and Hugo's `draft: true`)."""

from __future__ import annotations

from lushbeat_cli.cli._article import ARTICLE, find_article
from lushbeat_cli.cli._state import State
from lushbeat_cli.cli.params import DIFF, DRY_RUN, NO_INDEX, NULL_PATHS, Values
from lushbeat_cli.cli.publish_cmd import carry_out

PARAMS = (ARTICLE, DRY_RUN, DIFF, NULL_PATHS, NO_INDEX)


def run(values: Values, state: State) -> int:
    """Make an article a draft again: status draft (and Hugo's draft: true). The date stays.

    Prints the article's path (with --diff: the diff).

    \b
    Examples:
      lushbeat unpublish pilpres-venezuela-menghadirkan-pemimpin-baru-nicholas-maduro
      lushbeat unpublish "gregoria mariska perunggu" --diff
    """
    from lushbeat_cli.core.workflow.publishing import plan_unpublish

    found, _ = find_article(values.article, no_index=values.no_index)
    plan = plan_unpublish(found, state.config)
    return carry_out(state, plan, dry_run=values.dry_run, diff=values.diff, null=values.null)
