"""The hard rules H1–H18 and their violations in the scenario's language.

English is the evaluator's own: the rule titles are `rules.RULES` and a violation's
sentence is its `message`, as the command line prints them. Dutch is written here, per
kind of violation (`Violation.key`) from the values the evaluator records, with names
for ids: people, reviews, partnerships, roles, functions and dates as the coordinator
knows them. The board report and the workbench word violations with `violation_text`,
one rendering for both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ...calendar import Reason
from ...rules import RULES, Violation
from ...scenario.models import Scenario
from . import Language, function_label, long_date, role_label, weekday

RULE_TITLES: dict[str, dict[str, str]] = {
    "nl": {
        "H1": "elke review precies één keer gepland",
        "H2": "datum op een werkdag binnen het venster van de review",
        "H3": "groepsgrootte",
        "H4": "bekende leden met hun eigen rol",
        "H5": "onafhankelijkheid",
        "H6": "samenstelling naar rol",
        "H7": "functies in de groep (voorzitter, ...)",
        "H8": "minimaal aantal partnerschappen",
        "H9": "maximaal aantal leden per partnerschap",
        "H10": "maximaal aantal leden per organisatie",
        "H11": "minimaal aantal onderwijsregio's",
        "H12": "leden van buiten de regio's van het partnerschap",
        "H13": "beschikbaarheid",
        "H14": "belasting per deelnemer",
        "H15": "tijd tussen de reviews van één deelnemer",
        "H16": "mensen die elkaar mijden",
        "H17": "reviews per week",
        "H18": "reviews per partnerschap",
    },
    "en": dict(RULES),  # the evaluator's own titles
}

# One sentence per kind of violation (rules.py, `_v(..., key, **values)`). The values are
# worded by `_named`: `who`/`whom` a person, `people` several, `review`/`other` a review,
# `subject`/`partnership`/`planned` a partnership, `role`/`listed` a role, `function` a
# function, `date`/`day`/`fixed`/`first`/`last`/`start`/`deadline` a date.
VIOLATIONS_NL: dict[str, str] = {
    "H1.missing": "{review} ontbreekt in het plan",
    "H1.repeated": "{review} staat {count} keer in het plan",
    "H1.unknown": "review {review} staat niet in het scenario",
    "H1.subject": "{review} reviewt volgens het scenario {subject}, niet {planned}",
    "H2": "{review} op {date}: {why}",
    "H3": "{review} heeft {count} leden; de groep moet {least} tot {most} leden hebben",
    "H3.open": "{review} heeft {count} leden; de groep moet minstens {least} leden hebben",
    "H4.unknown": "{who} in {review} is geen deelnemer van het scenario",
    "H4.role": "{who} staat in {review} als {listed}, maar is {role}",
    "H4.repeated": "{who} staat {count} keer in {review}",
    "H5.own": "{who} hoort bij {subject} en mag dat partnerschap niet reviewen",
    "H5.conflict": "{who} heeft een belangenconflict met {subject} en mag dat partnerschap niet reviewen",
    "H6.few": "{review} heeft {count} lid/leden met de rol {role}; minstens {least} nodig",
    "H6.many": "{review} heeft {count} leden met de rol {role}; hoogstens {most} toegestaan",
    "H7.several": "{who} heeft {count} functies in {review}; hoogstens één",
    "H7.cannot": "{who} is {function} in {review}, maar kan die functie niet vervullen",
    "H7.count": "{review} heeft {count} keer {function}; precies {exactly} nodig",
    "H8": "{review} heeft leden uit {count} partnerschap(pen); minstens {least} nodig",
    "H9": "{review} heeft {count} leden uit {partnership}; hoogstens {most} toegestaan",
    "H10": "{review} heeft {count} leden van {organisation}; hoogstens {most} toegestaan",
    "H11": "{review} heeft leden uit {count} onderwijsregio('s); minstens {least} nodig",
    "H12": "{review} heeft {count} lid/leden van buiten de regio's van {subject}; minstens {least} nodig",
    "H13": "{who} kan niet bij alle bijeenkomsten van {review} op {date}",
    "H14": "{who} zit in {count} reviews; hoogstens {most} toegestaan",
    "H15": "{people} in {review} en {other}, {days} dagen na elkaar; minstens {least} nodig",
    "H16": "{who} en {whom} mogen niet in dezelfde groep (niet samen met)",
    "H17": "{count} reviews in week {week} van {year} ({reviews}); hoogstens {most} toegestaan",
    "H18": "partnerschap {partnership} heeft leden in {count} review(s); minstens {least} nodig",
}

# Why a date cannot be used (calendar.REASONS in English).
REASONS_NL: dict[str, str] = {
    "before_start": "vóór de eerste datum van de planning ({start})",
    "after_deadline": "na de uiterste datum ({deadline})",
    "weekday": "een {weekday} (geen dag waarop gepland wordt)",
    "public_holiday": "een feestdag ({name})",
    "school_holiday": "in de schoolvakantie van regio {region} ({name})",
    "closed": "in de gesloten periode '{name}'",
    "fixed": "de datum ligt vast op {fixed}",
    "window": "{date} valt buiten het venster van de review ({first} t/m {last})",
    "session": "bijeenkomst '{session}' op {day} valt {why}",
}
_SESSION_NL = {"weekday": "op ", "public_holiday": "op "}  # 'valt op een zaterdag', 'valt in de ...'

_PEOPLE = ("who", "whom")
_REVIEWS = ("review", "other")
_PARTNERSHIPS = ("subject", "partnership", "planned")
_ROLES = ("role", "listed")


def rule_title(lang: Language, rule: str) -> str:
    """A hard rule's short title (H1..H18) in `lang`."""
    return RULE_TITLES[lang].get(rule, "")


def rule_text(lang: Language, rule: str) -> str:
    """What hard rule `rule` asks, in a few words; the rule's id when unknown."""
    return rule_title(lang, rule) or rule


def violation_detail(scenario: Scenario, v: Violation, lang: Language) -> str:
    """What is wrong, in one sentence in `lang` (English: the evaluator's message)."""
    template = VIOLATIONS_NL.get(v.key) if lang == "nl" else None
    if template is None:
        return v.message
    return template.format(**_named(scenario, v.values, lang))


def violation_text(scenario: Scenario, v: Violation, lang: Language) -> str:
    """A broken rule as the report and the workbench list it: 'H5 – onafhankelijkheid: ...'."""
    return f"{v.rule} – {rule_text(lang, v.rule)}: {violation_detail(scenario, v, lang)}"


def reason_text_nl(scenario: Scenario, reason: Reason, lang: Language = "nl") -> str:
    """Why a date cannot be used, in Dutch."""
    values = _named(scenario, reason.values, lang)
    if reason.key == "weekday":
        values["weekday"] = weekday(reason.values["day"], lang)
    text = REASONS_NL[reason.key]
    if reason.key == "session" and isinstance(reason.values.get("why"), Reason):
        inner: Reason = reason.values["why"]
        values["why"] = _SESSION_NL.get(inner.key, "") + reason_text_nl(scenario, inner, lang)
    return text.format(**values)


def _named(scenario: Scenario, values: Mapping[str, Any], lang: Language) -> dict[str, Any]:
    """The values of a violation with names for ids, for the Dutch sentence."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, Reason):
            out[key] = reason_text_nl(scenario, value, lang)
        elif isinstance(value, dt.date):
            out[key] = long_date(value, lang)
        elif key in _PEOPLE:
            out[key] = _person(scenario, value)
        elif key == "people":
            out[key] = ", ".join(_person(scenario, p) for p in value)
        elif key in _REVIEWS:
            out[key] = _review(scenario, value)
        elif key == "reviews":
            out[key] = ", ".join(_review(scenario, r) for r in value)
        elif key in _PARTNERSHIPS:
            p = scenario.partnership.get(value)
            out[key] = (p.name or p.id) if p else value
        elif key in _ROLES:
            out[key] = role_label(scenario, value, lang)
        elif key == "function":
            out[key] = function_label(value, lang)
        elif key == "region":
            r = scenario.region.get(value) if value else None
            out[key] = (r.name or r.id) if r else value
        else:
            out[key] = value
    return out


def _person(scenario: Scenario, pid: str) -> str:
    p = scenario.participant.get(pid)
    return f"{p.name} ({pid})" if p else pid


def _review(scenario: Scenario, rid: str) -> str:
    """A review by its name, else 'de review van <partnership> (<id>)'."""
    r = scenario.review.get(rid)
    if r is None:
        return rid
    return r.name or f"de review van {scenario.review_title(r)} ({rid})"
