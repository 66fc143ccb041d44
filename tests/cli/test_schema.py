"""`lushbeat schema --format json-schema`: the effective front-matter schema as JSON Schema,
checked by the `jsonschema` library against the example articles and against broken ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lushbeat_cli.core.reading.frontmatter import parse_bytes
from lushbeat_cli.render.machine import jsonable
from tests.conftest import EXAMPLES, Project, Run

jsonschema = pytest.importorskip("jsonschema", reason="pip install -e '.[test]'")


def front_matter(path: Path) -> dict[str, Any]:
    """The front matter as an editor's JSON view has it (dates as ISO text)."""
    return jsonable(parse_bytes(path.read_bytes(), path).metadata)


def validator(document: dict[str, Any]) -> Any:
    cls = jsonschema.validators.validator_for(document)
    cls.check_schema(document)
    return cls(document)


def errors(schema: dict[str, Any], metadata: dict[str, Any]) -> list[str]:
    return [error.message for error in validator(schema).iter_errors(metadata)]


def test_every_example_article_is_valid(cli: Callable[..., Run], examples_copy: Path) -> None:
    run = cli("schema", "--format", "json-schema")
    assert run.exit_code == 0, run.stderr
    schema = run.json()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["properties"]["category"]["enum"][:2] == ["politik", "internasional"]
    articles = sorted((EXAMPLES / "content").rglob("*.md"))
    assert len(articles) > 30
    for path in articles:
        assert errors(schema, front_matter(path)) == [], path


def test_what_validate_rejects_the_schema_rejects(
    cli: Callable[..., Run], examples_copy: Path
) -> None:
    schema = cli("schema").json()
    good = front_matter(next((EXAMPLES / "content").rglob("*.md")))
    assert errors(schema, {k: v for k, v in good.items() if k != "title"})  # no title
    assert errors(schema, {**good, "title": ""})  # an empty title is a missing one
    assert errors(schema, {**good, "category": "ekonomy"})
    assert errors(schema, {**good, "status": "live"})
    assert errors(schema, {**good, "tags": "a, b"})  # tags are a list
    assert errors(schema, {**good, "tags": [1, 2]})
    undated = {k: v for k, v in good.items() if k != "date"}
    assert errors(schema, {**undated, "status": "published"})  # a live article needs a date
    assert errors(schema, {**undated, "status": "draft"}) == []  # a draft does not
    assert errors(schema, {**undated, "draft": True}) == []


def test_the_config_schema_is_included(cli: Callable[..., Run], project: Project) -> None:
    project.config(
        'content_dir = "content"\n'
        "[schema]\nclosed = true\n"
        "[schema.fields.source]\n"
        'type = "string"\nrequired = true\nchoices = ["Reuters", "Antara"]\n'
        "[schema.fields.tags]\nmin_length = 1\nmax_length = 2\n"
        'items = { type = "string", pattern = "[a-z-]+" }\n'
        "[schema.fields.slug]\nrequired = true\n"
    )
    project.article("a.md", title="A", date="2024-07-29", source="Reuters", slug="a", tags=["x"])
    assert cli("validate").exit_code == 0
    schema = cli("schema", "--format", "json-schema").json()
    ok = {"title": "A", "date": "2024-07-29", "source": "Reuters", "slug": "a", "tags": ["x"]}
    assert errors(schema, ok) == []
    assert errors(schema, {**ok, "source": "AP"})
    assert errors(schema, {k: v for k, v in ok.items() if k != "source"})
    assert errors(schema, {k: v for k, v in ok.items() if k != "slug"})
    assert errors(schema, {**ok, "slug": 3})  # the built-in type stays
    assert errors(schema, {**ok, "tags": []})
    assert errors(schema, {**ok, "tags": ["a", "b", "c"]})
    assert errors(schema, {**ok, "tags": ["Not Lower"]})  # the pattern matches the whole item
    assert errors(schema, {**ok, "tags": ["ok-", "x1"]})
    assert errors(schema, {**ok, "kicker": "closed schema"})  # closed: no undeclared keys


def test_a_bad_config_is_a_config_error(cli: Callable[..., Run], project: Project) -> None:
    project.config('content_dir = "content"\n[schema.fields.x]\ntype = "text"\n')
    run = cli("schema")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "did you mean 'string'" in run.stderr
