"""Similar posts: text analysis and the engine that suggests related articles.

A package of modules; import what you need from its modules (this file stays empty, so
that the start-up fast path pays nothing for it)."""
