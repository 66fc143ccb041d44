"""Files: bounded reads of what lushbeat is given, atomic writes, the creation lock.

A package of modules; import what you need from its modules (this file stays empty, so
that the start-up fast path pays nothing for it)."""
