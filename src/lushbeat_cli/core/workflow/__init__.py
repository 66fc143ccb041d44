"""The writer's workflow: new articles and projects, imported stories, publishing, tag
edits, finding an article by name.

A package of modules; import what you need from its modules (this file stays empty, so
that the start-up fast path pays nothing for it)."""
