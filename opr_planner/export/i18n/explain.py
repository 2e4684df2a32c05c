"""Why no plan is possible, and why a confirmed item gave way, in the scenario's language.

The solver words its explanations in English for the command line (`wording.Said`: the
English text with a key and values). The workbench words the same key and values here:
Dutch on Dutch pages, English (the same sentence the command line prints) on English
ones. Settings of the scenario file (`rules.min_regions`, `group_size.min`) keep their
names, as the coordinator finds them in the file. A text without a key stays as the
command line words it. tests/test_i18n_explain.py builds every kind and holds both tables
to the command line's English.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...calendar import Reason, reason_text
from ...rules import Violation
from ...scenario.models import Scenario
from ...wording import Said
from . import Language, function_label, role_label
from .rules import reason_text_nl, violation_text

_RULES_EN: dict[str, str] = {
    "rule_H2": "{rule}: review {review} must fall on a possible date in its window",
    "rule_H3": "{rule}: review {review} needs {size} members (group_size)",
    "rule_H6": "{rule}: review {review} needs its {detail} members within rules.composition.{detail}",
    "rule_H7": "{rule}: review {review} needs exactly {count} {detail} (rules.functions.{detail})",
    "rule_H8": "{rule}: review {review} needs members from {partnerships} partnerships (rules.min_partnerships)",
    "rule_H9": "{rule}: review {review} may have at most {per_partnership} members per partnership (rules.max_per_partnership)",
    "rule_H10": "{rule}: review {review} may have at most {per_organisation} members per organisation (rules.max_per_organisation)",
    "rule_H11": "{rule}: review {review} needs members from {regions} regions (rules.min_regions)",
    "rule_H12": "{rule}: review {review} needs {outside} member(s) from outside its subject's regions (rules.min_outside_subject_regions)",
    "rule_H13": "{rule}: members of review {review} must be available on its date (participants' unavailable / weekdays)",
    "rule_H14": "{rule}: nobody may be in more reviews than their max_reviews (rules.max_reviews_per_participant)",
    "rule_H15": "{rule}: reviews {pair} may share a member only {days} days apart (rules.min_days_between_reviews)",
    "rule_H16": "{rule}: members of review {review} who avoid each other may not meet (avoid)",
    "rule_H17": "{rule}: at most {per_week} reviews per ISO week (rules.max_reviews_per_week)",
    "rule_H18": "{rule}: partnership {detail} must have members in {reviews} reviews (rules.min_reviews_per_partnership)",
    "tip_H2": "widen the window of {review}",
    "tip_H3": "lower group_size.min",
    "tip_H6": "relax rules.composition.{detail}",
    "tip_H7": "add people who can be {detail} or lower rules.functions.{detail}",
    "tip_H8": "lower rules.min_partnerships",
    "tip_H9": "raise rules.max_per_partnership",
    "tip_H10": "raise rules.max_per_organisation",
    "tip_H11": "lower rules.min_regions",
    "tip_H12": "lower rules.min_outside_subject_regions",
    "tip_H13": "ask more participants to free dates in the window of {review}",
    "tip_H14": "raise rules.max_reviews_per_participant",
    "tip_H15": "lower rules.min_days_between_reviews or widen the windows",
    "tip_H16": "remove an avoid pair",
    "tip_H17": "raise rules.max_reviews_per_week or widen review windows",
    "tip_H18": "lower rules.min_reviews_per_partnership",
}

_RULES_NL: dict[str, str] = {
    "rule_H2": "{rule}: review {review} moet op een mogelijke datum in zijn venster vallen",
    "rule_H3": "{rule}: review {review} moet {size} leden hebben (group_size)",
    "rule_H6": "{rule}: review {review} moet zijn leden met rol {role_label} binnen rules.composition.{detail} hebben",
    "rule_H7": "{rule}: review {review} heeft precies {count} {function_label} nodig (rules.functions.{detail})",
    "rule_H8": "{rule}: review {review} heeft leden uit {partnerships} partnerschappen nodig (rules.min_partnerships)",
    "rule_H9": "{rule}: review {review} mag hoogstens {per_partnership} leden per partnerschap hebben (rules.max_per_partnership)",
    "rule_H10": "{rule}: review {review} mag hoogstens {per_organisation} leden per organisatie hebben (rules.max_per_organisation)",
    "rule_H11": "{rule}: review {review} heeft leden uit {regions} onderwijsregio's nodig (rules.min_regions)",
    "rule_H12": "{rule}: review {review} heeft {outside} lid/leden van buiten de regio's van het gereviewde partnerschap nodig (rules.min_outside_subject_regions)",
    "rule_H13": "{rule}: de leden van review {review} moeten op de datum beschikbaar zijn (unavailable / weekdays van de deelnemers)",
    "rule_H14": "{rule}: niemand mag in meer reviews zitten dan zijn of haar max_reviews (rules.max_reviews_per_participant)",
    "rule_H15": "{rule}: reviews {pair} mogen alleen een lid delen als ze {days} dagen uit elkaar liggen (rules.min_days_between_reviews)",
    "rule_H16": "{rule}: leden van review {review} die elkaar mijden, mogen elkaar niet treffen (avoid)",
    "rule_H17": "{rule}: hoogstens {per_week} reviews per ISO-week (rules.max_reviews_per_week)",
    "rule_H18": "{rule}: partnerschap {detail} moet leden hebben in {reviews} reviews (rules.min_reviews_per_partnership)",
    "tip_H2": "verruim het venster van {review}",
    "tip_H3": "verlaag group_size.min",
    "tip_H6": "versoepel rules.composition.{detail}",
    "tip_H7": "voeg mensen toe die {function_label} kunnen zijn, of verlaag rules.functions.{detail}",
    "tip_H8": "verlaag rules.min_partnerships",
    "tip_H9": "verhoog rules.max_per_partnership",
    "tip_H10": "verhoog rules.max_per_organisation",
    "tip_H11": "verlaag rules.min_regions",
    "tip_H12": "verlaag rules.min_outside_subject_regions",
    "tip_H13": "vraag meer deelnemers om data in het venster van {review} vrij te maken",
    "tip_H14": "verhoog rules.max_reviews_per_participant",
    "tip_H15": "verlaag rules.min_days_between_reviews of verruim de vensters",
    "tip_H16": "haal een avoid-paar weg",
    "tip_H17": "verhoog rules.max_reviews_per_week of verruim de vensters van de reviews",
    "tip_H18": "verlaag rules.min_reviews_per_partnership",
}

EXPLAIN: dict[str, dict[str, str]] = {
    "nl": {
        **_RULES_NL,
        "intro_core": "Deze regels kunnen niet allemaal tegelijk gelden:",
        "no_core": "de regels samen laten geen planning toe, maar binnen de tijd is geen klein stel oorzaken gevonden",
        "tip_no_core": "versoepel één regel tegelijk met `opr-planner sweep`",
        "unknown": "?",
        "size_exact": "precies {n}",
        "size_range": "{lo} tot {hi}",
        "list": "{items}",
        "and_list": "{items}",
        "or_list": "{items}",
        "comma_list": "{items}",
        "excluded_own": "{n} horen bij {subject}",
        "excluded_conflict": "{n} hebben een belangenconflict ermee opgegeven",
        "excluded_unavailable": "{n} kunnen op geen enkele mogelijke datum",
        "excluded_max0": "{n} hebben max_reviews 0",
        "fixed_impossible": "review {review} staat vast op {date}, maar dat kan niet: {why}",
        "no_working_day": "review {review} heeft geen werkdag in zijn venster {first} tot {last} (weekdagen, feestdagen en gesloten periodes sluiten elke dag uit)",
        "no_session_fit": "review {review} heeft {working} werkdagen in zijn venster {first} tot {last}, maar op geen daarvan vallen alle sessies (na {offsets} dagen) op werkdagen",
        "tip_no_date": "verruim het venster van {review} (earliest/latest), verkort de afstand tussen de sessies, of kijk naar calendar.closed",
        "tip_move_fixed": "verplaats de fixed_date van {review} naar een mogelijke datum (dichtstbij: {dates}), of haal fixed_date weg",
        "tip_remove_fixed": "haal de fixed_date van {review} weg: ook geen andere datum in zijn venster kan",
        "size_short": "review {review} heeft minstens {min} leden nodig (group_size.min), maar slechts {have} deelnemers zijn onafhankelijk van {subject} en beschikbaar in zijn venster",
        "tip_size_short": "verlaag group_size.min voor {review} of voeg deelnemers uit andere partnerschappen toe",
        "role_short": "review {review} heeft minstens {lo} {role_label} nodig (rules.composition.{role}.min: {lo}), maar slechts {have} deelnemer(s) met die rol zijn onafhankelijk van {subject} en beschikbaar in zijn venster",
        "role_short_detail": "review {review} heeft minstens {lo} {role_label} nodig (rules.composition.{role}.min: {lo}), maar slechts {have} deelnemer(s) met die rol zijn onafhankelijk van {subject} en beschikbaar in zijn venster (van de anderen: {detail})",
        "tip_role_short": "verlaag rules.composition.{role}.min, verruim het venster van {review}, of voeg deelnemers met rol {role_label} uit andere partnerschappen toe",
        "one_function": "een {function_label}",
        "functions": "{k} keer {function_label}",
        "function_nobody": "review {review} heeft {what} nodig (rules.functions.{function}: {k}), maar geen deelnemer heeft {function} onder functions",
        "function_excluded": "review {review} heeft {what} nodig (rules.functions.{function}: {k}), maar iedereen die {function_label} kan zijn, hoort bij {subject}, heeft een belangenconflict ermee of is niet beschikbaar in het venster ({detail})",
        "function_short": "review {review} heeft {what} nodig (rules.functions.{function}: {k}), maar slechts {have} geschikte deelnemer(s) kunnen {function_label} zijn",
        "tip_function_short": "zet `functions: [{function}]` bij meer deelnemers buiten {subject}, of verlaag rules.functions.{function}",
        "partnerships_short": "review {review} heeft leden uit {need} partnerschappen nodig (rules.min_partnerships), maar de geschikte deelnemers komen uit maar {have}",
        "regions_short": "review {review} heeft leden uit {need} onderwijsregio's nodig (rules.min_regions), maar de geschikte deelnemers komen uit maar {have}",
        "outside_short": "review {review} heeft {need} lid/leden van buiten de regio's van {subject} nodig (rules.min_outside_subject_regions), maar slechts {have} geschikte deelnemer(s) komen daarvandaan",
        "tip_lower": "verlaag {setting}",
        "partnership_reviews_short": "partnerschap {partnership} moet leden hebben in minstens {k} reviews (rules.min_reviews_per_partnership), maar zijn deelnemers kunnen er maar aan {have} meedoen",
        "tip_partnership_reviews": "verlaag rules.min_reviews_per_partnership of voeg reviews of beschikbare deelnemers van {partnership} toe",
        "nobody_role": "die zijn er niet",
        "nobody_function": "niemand heeft het onder functions",
        "limit_each": "elk hoogstens {n} review{s}",
        "limit_part": "{n} review{s} ({k})",
        "limits": "hoogstens {items}",
        "role_seats": "er zijn {need} plaatsen voor {role_label} nodig ({reviews} reviews x {lo}, rules.composition.{role}.min), maar de {people} deelnemers met die rol kunnen er hoogstens {supply} vullen ({limits})",
        "tip_role_seats": "verlaag rules.composition.{role}.min, verhoog max_reviews van de deelnemers met rol {role_label}, of voeg zulke deelnemers toe",
        "function_seats": "er zijn {need} plaatsen als {function_label} nodig ({reviews} reviews x {k}, rules.functions.{function}), maar de {people} deelnemers die {function_label} kunnen zijn, kunnen er hoogstens {supply} vullen ({limits})",
        "tip_function_seats": "zet `{function}` bij de functions van meer deelnemers, of verhoog hun max_reviews",
        "all_function_seats": "er zijn {need} plaatsen met een functie ({names}) nodig, maar de {people} deelnemers die er een kunnen hebben, kunnen er hoogstens {supply} vullen (elk lid heeft hoogstens één functie)",
        "tip_all_function_seats": "geef meer deelnemers een functie, of verhoog hun max_reviews",
        "seats": "er zijn {need} plaatsen nodig (de group_size.min van alle reviews opgeteld), maar de {people} deelnemers kunnen er hoogstens {supply} vullen (elk hoogstens max_reviews, en alleen in reviews waar ze aan mogen meedoen)",
        "tip_seats": "verhoog rules.max_reviews_per_participant, verlaag group_size.min, of voeg deelnemers toe",
        "weeks": "{reviews} reviews moeten elk een week in hun venster krijgen, hoogstens {cap} per week (rules.max_reviews_per_week), maar de vensters bieden maar plaats aan {placed}",
        "tip_weeks": "verhoog rules.max_reviews_per_week, verruim de vensters van de reviews (earliest/latest), of plan minder reviews",
        "every_review": "elke review",
        "groups_too_small": "de samenstelling vraagt minstens {need} leden per groep ({parts}), maar group_size.max is {max} voor {which}",
        "tip_groups_too_small": "verhoog group_size.max of verlaag een minimum in rules.composition",
        "groups_too_small_functions": "rules.functions vraagt {functions} functiehouders per groep, elk een ander lid, maar group_size.max is {max}",
        "tip_groups_too_small_functions": "verhoog group_size.max of verlaag rules.functions",
        "intro": "Dit zijn de oorzaken:",
        "no_plan_in_time": "binnen {seconds} s is geen planning gevonden; probeer een langere rekentijd (bijvoorbeeld {longer} s)",
        "no_repair_in_time": "binnen de rekentijd is geen herstelde planning gevonden (stap {stage}); probeer een langere rekentijd",
        "interrupted_early": "onderbroken voordat er een planning was gevonden; er is niets opgeslagen",
        "alternatives_proven": "{n} van de {k} gevraagde plannen gevonden: geen ander plan verschilt in ten minste {m} lidmaatschappen van elk gevonden plan (bewezen door de solver); met een kleiner minimaal verschil kunnen er meer zijn",
        "alternatives_interrupted": "onderbroken na {n} van de {k} gevraagde plannen (het laatste is misschien niet het best mogelijke)",
        "alternatives_in_time": "{n} van de {k} gevraagde plannen gevonden: binnen de rekentijd is geen volgend plan gevonden dat in ten minste {m} lidmaatschappen verschilt (misschien bestaan er meer; probeer een langere rekentijd)",
        "stopped_early": "gestopt voordat er een planning was gevonden",
        "no_longer_possible": "het is geen mogelijke datum meer",
        "review_gone": "review {review} staat niet meer in het scenario",
        "date_gone": "{date} kan niet meer voor {review}: {why}",
        "participant_gone": "{participant} is geen deelnemer van het scenario meer",
        "member_excluded": "{participant} ({name}) {why}",
        "excluded:belongs to the subject": "hoort bij het gereviewde partnerschap",
        "excluded:declared a conflict with the subject": "heeft een belangenconflict met het gereviewde partnerschap opgegeven",
        "excluded:unavailable on every possible date": "kan op geen enkele mogelijke datum",
        "excluded:max_reviews is 0": "heeft max_reviews 0",
        "excluded:is not eligible": "kan niet aan deze review meedoen",
        "violation": "{violation}",
        "breaks_now": "het plan zoals het was, overtreedt nu {items}",
        "no_plan_with_it": "als ook dit blijft staan, is er geen plan dat samen met de andere bevestigde onderdelen aan elke regel voldoet",
    },
    "en": {
        **_RULES_EN,
        "intro_core": "No plan is possible: these rules cannot all hold at once:",
        "no_core": "the rules together leave no plan, but no small set of causes was found in time",
        "tip_no_core": "relax one rule at a time with `opr-planner sweep`",
        "unknown": "?",
        "size_exact": "exactly {n}",
        "size_range": "{lo} to {hi}",
        "list": "{items}",
        "and_list": "{items}",
        "or_list": "{items}",
        "comma_list": "{items}",
        "excluded_own": "{n} belong to {subject}",
        "excluded_conflict": "{n} declared a conflict with it",
        "excluded_unavailable": "{n} are unavailable on every possible date",
        "excluded_max0": "{n} have max_reviews 0",
        "fixed_impossible": "review {review} is fixed on {date}, which is not possible: {why}",
        "no_working_day": "review {review} has no working day in its window {first} to {last} (weekdays, holidays and closed periods exclude every day)",
        "no_session_fit": "review {review} has {working} working days in its window {first} to {last}, but on none of them do all its sessions (offsets {offsets} days) fall on working days",
        "tip_no_date": "widen the window of {review} (earliest/latest), shorten its session offsets, or check calendar.closed",
        "tip_move_fixed": "move fixed_date of {review} to a possible date (nearest: {dates}), or remove fixed_date",
        "tip_remove_fixed": "remove fixed_date of {review}: no date in its window is possible either",
        "size_short": "review {review} needs at least {min} members (group_size.min) but only {have} participants are independent of {subject} and available in its window",
        "tip_size_short": "lower group_size.min for {review} or add participants from other partnerships",
        "role_short": "review {review} needs at least {lo} {role} (rules.composition.{role}.min: {lo}) but only {have} {role} participant(s) are independent of {subject} and available in its window",
        "role_short_detail": "review {review} needs at least {lo} {role} (rules.composition.{role}.min: {lo}) but only {have} {role} participant(s) are independent of {subject} and available in its window (of the others: {detail})",
        "tip_role_short": "lower rules.composition.{role}.min, widen the window of {review}, or add {role} participants from other partnerships",
        "one_function": "a {function}",
        "functions": "{k} {function}s",
        "function_nobody": "review {review} needs {what} (rules.functions.{function}: {k}) but no participant lists {function} under functions",
        "function_excluded": "review {review} needs {what} (rules.functions.{function}: {k}) but every participant who can {function} belongs to {subject}, declared a conflict with it, or is unavailable in its window ({detail})",
        "function_short": "review {review} needs {what} (rules.functions.{function}: {k}) but only {have} eligible participant(s) can {function}",
        "tip_function_short": "add `functions: [{function}]` to more participants outside {subject}, or lower rules.functions.{function}",
        "partnerships_short": "review {review} needs members from {need} partnerships (rules.min_partnerships) but eligible participants come from only {have}",
        "regions_short": "review {review} needs members from {need} regions (rules.min_regions) but eligible participants come from only {have}",
        "outside_short": "review {review} needs {need} member(s) from outside {subject}'s regions (rules.min_outside_subject_regions) but only {have} eligible participant(s) are",
        "tip_lower": "lower {setting}",
        "partnership_reviews_short": "partnership {partnership} must have members in at least {k} reviews (rules.min_reviews_per_partnership) but its participants can join only {have}",
        "tip_partnership_reviews": "lower rules.min_reviews_per_partnership or add reviews / available participants of {partnership}",
        "nobody_role": "there are none",
        "nobody_function": "nobody lists it under functions",
        "limit_each": "each at most {n} review{s}",
        "limit_part": "{n} review{s} ({k})",
        "limits": "at most {items}",
        "role_seats": "{need} {role} seats are needed ({reviews} reviews x {lo}, rules.composition.{role}.min), but the {people} {role} participants can fill at most {supply} ({limits})",
        "tip_role_seats": "lower rules.composition.{role}.min, raise max_reviews of {role} participants, or add {role} participants",
        "function_seats": "{need} {function} seats are needed ({reviews} reviews x {k}, rules.functions.{function}), but the {people} participants who can be {function} can fill at most {supply} ({limits})",
        "tip_function_seats": "add `{function}` to the functions of more participants, or raise their max_reviews",
        "all_function_seats": "{need} function seats ({names}) are needed, but the {people} participants who can hold one can fill at most {supply} (each member holds one function at most)",
        "tip_all_function_seats": "add functions to more participants, or raise their max_reviews",
        "seats": "{need} seats are needed (the group_size.min of every review added up), but the {people} participants can fill at most {supply} (each at most max_reviews, and only reviews they may join)",
        "tip_seats": "raise rules.max_reviews_per_participant, lower group_size.min, or add participants",
        "weeks": "{reviews} reviews must each take a week of their window, at most {cap} a week (rules.max_reviews_per_week), but the windows have room for only {placed}",
        "tip_weeks": "raise rules.max_reviews_per_week, widen review windows (earliest/latest), or plan fewer reviews",
        "every_review": "every review",
        "groups_too_small": "the composition asks for at least {need} members per group ({parts}), but group_size.max is {max} for {which}",
        "tip_groups_too_small": "raise group_size.max or lower a rules.composition min",
        "groups_too_small_functions": "rules.functions asks for {functions} function holders per group, each a different member, but group_size.max is {max}",
        "tip_groups_too_small_functions": "raise group_size.max or lower rules.functions",
        "intro": "No plan is possible:",
        "no_plan_in_time": "no plan found within {seconds} s; try a longer --time-limit (e.g. {longer})",
        "no_repair_in_time": "no repaired plan found within the time limit (stage {stage}); try a longer --time-limit",
        "interrupted_early": "interrupted before any plan was found; nothing was written",
        "alternatives_proven": "only {n} plan{s} of the {k} requested: no other plan differs from {these} in at least {m} memberships (proven by the solver); a smaller --min-difference allows more",
        "alternatives_interrupted": "interrupted after {n} plan{s} of the {k} requested (the last one may not be the best possible)",
        "alternatives_in_time": "only {n} plan{s} of the {k} requested: no further plan differing in at least {m} memberships was found within the time limit (more may exist; try a longer --time-limit)",
        "stopped_early": "stopped before any plan was found",
        "no_longer_possible": "it is no longer a possible date",
        "review_gone": "review {review} is no longer in the scenario",
        "date_gone": "{date} is no longer possible for {review}: {why}",
        "participant_gone": "{participant} is no longer a participant of the scenario",
        "member_excluded": "{participant} ({name}) {why}",
        "excluded:belongs to the subject": "belongs to the subject",
        "excluded:declared a conflict with the subject": "declared a conflict with the subject",
        "excluded:unavailable on every possible date": "unavailable on every possible date",
        "excluded:max_reviews is 0": "max_reviews is 0",
        "excluded:is not eligible": "is not eligible",
        "violation": "{violation}",
        "breaks_now": "the plan as it was now breaks {items}",
        "no_plan_with_it": "keeping it as well leaves no plan that obeys every rule together with the other confirmed items",
    },
}

# How the items of a list are joined; "; " unless named here.
_JOIN: dict[str, dict[str, str]] = {
    "nl": {"and_list": " en ", "or_list": " of ", "comma_list": ", ", "limits": ", "},
    "en": {"and_list": " and ", "or_list": " or ", "comma_list": ", ", "limits": ", "},
}


def explain_text(text: str, lang: Language, scenario: Scenario | None = None) -> str:
    """A solver explanation in `lang`: worded from its key and values when it has them
    (`wording.Said`), else as the command line words it."""
    if not isinstance(text, Said) or text.key not in EXPLAIN[lang]:
        return str(text)
    values = {name: _value(value, text.key, lang, scenario) for name, value in text.values.items()}
    if "role" in text.values:
        values["role_label"] = (
            role_label(scenario, text.values["role"], lang) if scenario else text.values["role"]
        )
    if "detail" in text.values and text.key == "rule_H6":
        values["role_label"] = (
            role_label(scenario, text.values["detail"], lang) if scenario else text.values["detail"]
        )
    for name in ("function", "detail"):
        if name in text.values and "function_label" not in values:
            values["function_label"] = function_label(str(text.values[name]), lang)
    if "n" in text.values:
        values["s"] = "" if text.values["n"] == 1 else "s"
    return EXPLAIN[lang][text.key].format(**values)


def _value(value: Any, key: str, lang: Language, scenario: Scenario | None) -> Any:
    if isinstance(value, Said):
        return explain_text(value, lang, scenario)
    if isinstance(value, Reason):  # a NamedTuple: before the lists
        return reason_text_nl(scenario, value, lang) if lang == "nl" and scenario else reason_text(value)
    if isinstance(value, list | tuple):
        return _JOIN[lang].get(key, "; ").join(str(_value(v, key, lang, scenario)) for v in value)
    if isinstance(value, Violation):
        return violation_text(scenario, value, lang) if scenario else f"{value.rule}: {value.message}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
