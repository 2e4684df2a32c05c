"""The words of spreadsheets, in one place: column headers and value labels in Dutch and
English, as opr-planner writes them and as it reads them back.

A participants spreadsheet (SPEC 2.2) names its columns after the participant keys;
coordinators' own sheets say `Naam`, `Rol`, `Partnerschap`, and opr-planner's exports
write headers and role names in the scenario's language. Every header and label the
exports write is accepted when read, so that every spreadsheet opr-planner writes can
be read back as a participants file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# Header of each participant key as the exports write it.
PARTICIPANT_HEADERS: dict[str, dict[str, str]] = {
    "nl": {
        "id": "Deelnemer",
        "name": "Naam",
        "email": "E-mail",
        "role": "Rol",
        "partnership": "Partnerschap",
        "region": "Onderwijsregio",
        "organisation": "Organisatie",
        "functions": "Functies",
        "max_reviews": "Max. reviews",
        "unavailable": "Niet beschikbaar",
        "weekdays": "Weekdagen",
        "conflicts": "Conflicten",
        "avoid": "Niet samen met",
        "prefer_subjects": "Voorkeur",
    },
    "en": {
        "id": "Participant",
        "name": "Name",
        "email": "Email",
        "role": "Role",
        "partnership": "Partnership",
        "region": "Education region",
        "organisation": "Organisation",
        "functions": "Functions",
        "max_reviews": "Max reviews",
        "unavailable": "Unavailable",
        "weekdays": "Weekdays",
        "conflicts": "Conflicts",
        "avoid": "Avoid",
        "prefer_subjects": "Prefers",
    },
}

# Further names people give these columns (compared without case, accents, spaces or punctuation).
_MORE_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("deelnemer id", "participant id", "code"),
    "name": ("volledige naam", "full name"),
    "email": ("e-mailadres", "emailadres", "mail", "email address"),
    "region": ("regio", "region"),
    "organisation": ("organization", "bestuur", "schoolbestuur", "instelling"),
    "functions": ("groepsfuncties", "group functions"),
    "max_reviews": ("maximum reviews", "max aantal reviews", "maximaal aantal reviews"),
    "unavailable": ("onbeschikbaar", "afwezig", "niet beschikbaar op"),
    "weekdays": ("werkdagen", "dagen", "beschikbare dagen"),
    "conflicts": ("belangenconflicten", "niet reviewen"),
    "avoid": ("vermijden",),
    "prefer_subjects": ("voorkeuren", "voorkeur partnerschappen", "prefer"),
}

# Columns of the plan exports that describe the review, not the participant: skipped when
# such a spreadsheet is read back as a participants file.
PLAN_HEADERS: dict[str, dict[str, str]] = {
    "nl": {
        "review_id": "Review-id",
        "review_name": "Reviewnaam",
        "date": "Datum",
        "sessions": "Bijeenkomsten",
        "subject": "Partnerschap onder review",
        "function_in_group": "Functie in de groep",
        "reviews": "Reviews",
        "dates": "Data",
        "load": "Aantal reviews",
    },
    "en": {
        "review_id": "Review id",
        "review_name": "Review name",
        "date": "Date",
        "sessions": "Sessions",
        "subject": "Partnership under review",
        "function_in_group": "Function in the group",
        "reviews": "Reviews",
        "dates": "Dates",
        "load": "Number of reviews",
    },
}

# Role labels (SPEC 2.1). The Dutch ones are the spec's; "a / b" names two words for one role.
ROLE_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "student": "student / zij-instromer",
        "school_educator": "schoolopleider / werkplekbegeleider",
        "institute_educator": "instituutsopleider",
        "board": "bestuurder",
        "programme_lead": "programmaleider",
        "other": "overig",
    },
    "en": {
        "student": "student / career switcher",
        "school_educator": "school-based teacher educator",
        "institute_educator": "institute-based teacher educator",
        "board": "board member",
        "programme_lead": "programme lead",
        "other": "other",
    },
}
FUNCTION_LABELS: dict[str, dict[str, str]] = {
    "nl": {"chair": "voorzitter", "secretary": "secretaris"},
    "en": {"chair": "chair", "secretary": "secretary"},
}
NO_PARTNERSHIP = {"nl": "geen partnerschap", "en": "no partnership"}

LIST_KEYS = ("functions", "weekdays", "conflicts", "avoid", "prefer_subjects", "unavailable")


def fold(text: str) -> str:
    """A header or label as compared: lower case, no accents, letters and digits only."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for key in PARTICIPANT_HEADERS["nl"]:
        names = [key, *(h[key] for h in PARTICIPANT_HEADERS.values()), *_MORE_HEADERS.get(key, ())]
        for name in names:
            table.setdefault(fold(name), key)
    return table


HEADER_KEYS = _header_table()
PLAN_COLUMNS = frozenset(fold(h) for table in PLAN_HEADERS.values() for h in table.values())


def participant_key(header: str) -> str | None:
    """The participant key a column header names (any language, any case), or None."""
    return HEADER_KEYS.get(fold(header))


def is_plan_column(header: str) -> bool:
    """A column an export writes about the review (date, sessions, ...), not about the person."""
    return fold(header) in PLAN_COLUMNS


class Vocabulary:
    """Names that stand for ids in spreadsheet cells: role and function labels, and the
    names of the scenario's partnerships and regions ("Partnerschap PO Utrecht" for
    `po-utrecht`). Ids always win over names; a name two entities share is not resolved."""

    def __init__(
        self,
        partnerships: Mapping[str, str | None] = {},
        regions: Mapping[str, str | None] = {},
        roles: Mapping[str, str | None] | None = None,
    ):
        self.partnerships = self._names(partnerships)
        self.regions = self._names(regions)
        if roles is None:
            labels: dict[str, list[str]] = {}
            for table in ROLE_LABELS.values():
                for role, label in table.items():
                    labels.setdefault(role, []).extend([label, *label.split(" / ")])
            self.roles = self._names({}, labels)
        else:
            self.roles = self._names(roles)
        self.roles.update(
            {fold(r): r for r in (roles if roles is not None else ROLE_LABELS["nl"])}
        )  # ids as written, any case
        functions: dict[str, list[str]] = {}
        for table in FUNCTION_LABELS.values():
            for f, label in table.items():
                functions.setdefault(f, []).append(label)
        self.functions = self._names({}, functions)
        self.none = {fold(v) for v in (*NO_PARTNERSHIP.values(), "geen", "none", "-")}
        self._ids = {"partnership": set(partnerships), "region": set(regions)}

    @staticmethod
    def _names(
        named: Mapping[str, str | None], more: Mapping[str, Iterable[str]] | None = None
    ) -> dict[str, str]:
        seen: dict[str, set[str]] = {}
        for ident, name in named.items():
            if name:
                seen.setdefault(fold(name), set()).add(ident)
        for ident, names in (more or {}).items():
            for name in names:
                seen.setdefault(fold(name), set()).add(ident)
        return {key: next(iter(ids)) for key, ids in seen.items() if len(ids) == 1 and key}

    @classmethod
    def of(cls, data: Any) -> Vocabulary:
        """The vocabulary of raw scenario data (as read from YAML, possibly invalid)."""

        def named(key: str) -> dict[str, str | None]:
            items = data.get(key) if isinstance(data, dict) else None
            out: dict[str, str | None] = {}
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    label = item.get("name", item.get("label"))
                    out[item["id"]] = label if isinstance(label, str) else None
            return out

        roles = named("roles") if isinstance(data, dict) and data.get("roles") is not None else None
        return cls(named("partnerships"), named("regions"), roles)

    def _lookup(self, value: Any, names: dict[str, str], ids: set[str] | None = None) -> Any:
        if not isinstance(value, str) or (ids is not None and value in ids):
            return value
        return names.get(fold(value), value)

    def value(self, key: str, value: Any) -> Any:
        """`value` of column `key` with a name replaced by the id it stands for."""
        if key == "role":
            return self._lookup(value, self.roles)
        if key == "partnership":
            if isinstance(value, list):  # two partnerships in one cell: refused with a hint
                return [self._lookup(v, self.partnerships, self._ids["partnership"]) for v in value]
            if isinstance(value, str) and fold(value) in self.none:
                return None
            return self._lookup(value, self.partnerships, self._ids["partnership"])
        if key == "region":
            return self._lookup(value, self.regions, self._ids["region"])
        if key in ("conflicts", "prefer_subjects"):
            return [self._lookup(v, self.partnerships, self._ids["partnership"]) for v in value]
        if key == "functions":
            return [self._lookup(v, self.functions) for v in value]
        return value
