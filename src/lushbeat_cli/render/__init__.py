"""Output: ``human`` (rich, for people) and ``machine`` (JSON/CSV/TSV/paths, for scripts).

Imported by ``cli`` only; never imports ``cli``.
"""
