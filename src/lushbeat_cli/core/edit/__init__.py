"""The in-place front-matter editor and the commit of its edits.

``set_field`` / ``remove_field`` / ``apply_edits`` change one top-level key of an article's text
and keep every other byte (``fields``; one editor per syntax: ``yaml_editor``, ``toml_editor``,
``json_editor``, sharing ``document`` and ``lists``). ``plan_edit`` turns them into a
``FileEdit`` (the text before and after) and ``commit_edit`` writes it safely (``commit``).
Imported by the core modules and commands that change existing articles.
"""

from lushbeat_cli.core.edit.commit import (
    FileEdit,
    commit_edit,
    metadata_of,
    plan_edit,
    read_article_text,
)
from lushbeat_cli.core.edit.document import (
    REMOVE,
    FieldValue,
    FrontMatterFormat,
    ListItem,
    Remove,
)
from lushbeat_cli.core.edit.fields import (
    apply_edits,
    detect_format,
    get_field_span,
    remove_field,
    set_field,
)

__all__ = [
    "REMOVE",
    "FieldValue",
    "FileEdit",
    "FrontMatterFormat",
    "ListItem",
    "Remove",
    "apply_edits",
    "commit_edit",
    "detect_format",
    "get_field_span",
    "metadata_of",
    "plan_edit",
    "read_article_text",
    "remove_field",
    "set_field",
]
