"""``Slotted``: the base of the few mutable value classes that every command loads (articles,
corpora, search results). Each declares ``__slots__`` and an ``__init__``; ``Slotted`` compares
and shows them by their public slots, as ``@dataclass`` did.

Why not dataclasses: generating a class costs ``dataclasses`` about half a millisecond at
import, and importing it (with the ``inspect`` it needs) some 7 ms; together a sixth of a warm
``lushbeat search`` on 10,000 articles. The frozen value classes are ``typing.NamedTuple``.
"""

from __future__ import annotations


class Slotted:
    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable: not a dict key

    @classmethod
    def _public(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.__slots__ if not name.startswith("_"))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._public())

    def __repr__(self) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._public())
        return f"{type(self).__name__}({values})"
