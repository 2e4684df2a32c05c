"""A text in the command line's English that also carries its key and values.

The solver's explanations (why no plan is possible, why a confirmed item gave way) are
printed by the command line in English and shown by the workbench in the scenario's
language. `Said` is the English text itself (a `str`: the command line prints it byte for
byte as before) with the key and values that `export/i18n/reasons.py` words in Dutch or
English. Values may be Said themselves, lists of them, or calendar Reasons.
"""

from __future__ import annotations

from typing import Any


class Said(str):
    """English text with a key of export/i18n/reasons.py and the values it names."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, text: str, **values: Any) -> Said:
        said = super().__new__(cls, text)
        said.key = key
        said.values = values
        return said

    def __reduce__(self) -> tuple[Any, ...]:  # pickled between the workbench's processes
        return (_said, (self.key, str(self), self.values))


INTERRUPTED = Said("interrupted_early", "interrupted before any plan was found; nothing was written")


def _said(key: str, text: str, values: dict[str, Any]) -> Said:
    return Said(key, text, **values)
