"""Reading a collection: which files are articles (the one walker), bytes to Article,
the corpus loaded with or without the index.

A package of modules; import what you need from its modules (this file stays empty, so
that the start-up fast path pays nothing for it)."""
