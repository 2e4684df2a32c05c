"""Participant-facing words in Dutch and English (SPEC 2: `language: nl | en`).

Calendars, the spreadsheet and the board report are read by participants and boards,
so their fixed words follow the scenario's `language`. Names, session names and
locations come from the scenario and are never translated. Command-line messages
for the coordinator stay in English and do not use this module.

Dates are formatted here rather than with `locale`, which depends on the machine.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ..calendar import holiday_language  # noqa: F401  (holiday names follow the scenario's language)
from ..scenario.columns import FUNCTION_LABELS, ROLE_LABELS
from ..scenario.models import DEFAULT_ROLES, Scenario

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

_MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_MONTHS_SHORT = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
_WEEKDAYS_SHORT = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

# Role and function labels live with the spreadsheet columns, which read them back.
_ROLES_EN = ROLE_LABELS["en"]
_FUNCTIONS = FUNCTION_LABELS

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "review": "review",
        "opr": "OPR",
        "opr_long": "Ontwikkelingsgerichte peer review (OPR) van {subject}",
        "summary": "OPR {subject}: {session}",
        "session_of": "Bijeenkomst {index} van {count}: {session}",
        "sessions": "Bijeenkomsten",
        "session": "Bijeenkomst",
        "group": "Reviewgroep",
        "members": "Leden",
        "chair": "Voorzitter",
        "subject": "Partnerschap onder review",
        "date": "Datum",
        "time": "Tijd",
        "location": "Locatie",
        "name": "Naam",
        "role": "Rol",
        "function": "Functie",
        "function_in_group": "Functie in de groep",
        "partnership": "Partnerschap",
        "region": "Onderwijsregio",
        "organisation": "Organisatie",
        "email": "E-mail",
        "participant": "Deelnemer",
        "review_id": "Review-id",
        "no_partnership": "geen partnerschap",
        "organiser": "Organisator",
        "todo": "Wat te doen",
        "contact": "Vragen, of kunt u niet komen? Neem contact op met {who}.",
        "contact_chair": "Vragen, of kunt u niet komen? Neem contact op met de voorzitter, {who}.",
        "review_name": "Reviewnaam",
        "calendar_all": "OPR-planning: {name}",
        "calendar_person": "OPR-planning voor {person}",
        "report_title": "OPR-planning",
        "timeline": "Tijdlijn",
        "timeline_note": "Per review: het venster waarin de review mag vallen, de bijeenkomsten en de vrije dagen die voor dat partnerschap gelden.",
        "window": "toegestaan venster",
        "visit": "bezoek (reviewdatum)",
        "other_session": "andere bijeenkomst",
        "school_holiday": "schoolvakantie",
        "public_holiday": "feestdag",
        "closed": "gesloten periode",
        "groups": "Reviewgroepen",
        "metrics": "Kengetallen",
        "metric": "Kengetal",
        "value": "Waarde",
        "weight": "Gewicht",
        "contribution": "Bijdrage",
        "meaning": "Betekenis",
        "objective": "Totaalscore (doelfunctie)",
        "network": "Verbindingen",
        "network_note": "Welke partnerschappen, onderwijsregio's en organisaties zonder partnerschap elkaar in deze planning ontmoeten.",
        "legend": "Legenda",
        "meets": "ontmoeten elkaar in een reviewgroep of bij een bezoek",
        "lies_in": "partnerschap ligt in deze regio",
        "regions_meet": "regio's ontmoeten elkaar in een reviewgroep",
        "unaffiliated": "organisatie zonder partnerschap",
        "pair_share": "Paren partnerschappen die elkaar ontmoeten",
        "region_share": "Paren onderwijsregio's die elkaar ontmoeten",
        "components": "Losse groepen in het netwerk (1 = alles verbonden)",
        "isolated": "Partnerschappen die niemand ontmoeten",
        "orgs_taking_part": "Organisaties zonder partnerschap die meedoen",
        "violations": "Deze planning overtreedt harde regels",
        "violations_note": "Controleer met `opr-planner check` voordat u de planning verstuurt.",
        "loads": "Belasting per deelnemer",
        "load_count": "Aantal reviews",
        "people": "Deelnemers",
        "generated": "Gemaakt met opr-planner {version}",
        "status": "Status",
        "window_range": "venster {start} t/m {end}",
        "fixed": "vaste datum",
        "fixed_on": "vaste datum: {date}",
        "verdict_ok": "Deze planning voldoet aan alle regels (H1–H18).",
        "verdict_bad": "Deze planning overtreedt {count} regel(s): {rules}. Pas haar aan voordat u haar verstuurt.",
        "status_optimal": "optimaal (bewezen de beste volgens de gewichten)",
        "status_feasible": "toegestaan, niet bewezen de beste",
        "status_manual": "handmatig gemaakt of aangepast",
        "members_of": "leden",
        "review_label": "Review",
        "sessions_cell": "{name} {date} {start}–{end}",
    },
    "en": {
        "review": "review",
        "opr": "Peer review",
        "opr_long": "Development-oriented peer review (OPR) of {subject}",
        "summary": "Peer review {subject}: {session}",
        "session_of": "Session {index} of {count}: {session}",
        "sessions": "Sessions",
        "session": "Session",
        "group": "Review group",
        "members": "Members",
        "chair": "Chair",
        "subject": "Partnership under review",
        "date": "Date",
        "time": "Time",
        "location": "Location",
        "name": "Name",
        "role": "Role",
        "function": "Function",
        "function_in_group": "Function in the group",
        "partnership": "Partnership",
        "region": "Education region",
        "organisation": "Organisation",
        "email": "Email",
        "participant": "Participant",
        "review_id": "Review id",
        "no_partnership": "no partnership",
        "organiser": "Organiser",
        "todo": "What to do",
        "contact": "Questions, or unable to come? Please contact {who}.",
        "contact_chair": "Questions, or unable to come? Please contact the chair, {who}.",
        "review_name": "Review name",
        "calendar_all": "OPR planning: {name}",
        "calendar_person": "OPR planning for {person}",
        "report_title": "OPR planning",
        "timeline": "Timeline",
        "timeline_note": "Per review: the window the review may fall in, its sessions and the days off that apply to that partnership.",
        "window": "allowed window",
        "visit": "visit (review date)",
        "other_session": "other session",
        "school_holiday": "school holiday",
        "public_holiday": "public holiday",
        "closed": "closed period",
        "groups": "Review groups",
        "metrics": "Metrics",
        "metric": "Metric",
        "value": "Value",
        "weight": "Weight",
        "contribution": "Contribution",
        "meaning": "Meaning",
        "objective": "Total score (objective)",
        "network": "Connections",
        "network_note": "Which partnerships, education regions and organisations without a partnership meet in this plan.",
        "legend": "Legend",
        "meets": "meet in a review group or on a visit",
        "lies_in": "partnership lies in this region",
        "regions_meet": "regions meet in a review group",
        "unaffiliated": "organisation without a partnership",
        "pair_share": "Pairs of partnerships that meet",
        "region_share": "Pairs of education regions that meet",
        "components": "Separate clusters in the network (1 = all connected)",
        "isolated": "Partnerships that meet nobody",
        "orgs_taking_part": "Organisations without a partnership taking part",
        "violations": "This plan breaks hard rules",
        "violations_note": "Check it with `opr-planner check` before sending it out.",
        "loads": "Load per participant",
        "load_count": "Number of reviews",
        "people": "Participants",
        "generated": "Made with opr-planner {version}",
        "status": "Status",
        "window_range": "window {start} to {end}",
        "fixed": "fixed date",
        "fixed_on": "fixed date: {date}",
        "verdict_ok": "This plan meets every rule (H1–H18).",
        "verdict_bad": "This plan breaks {count} rule(s): {rules}. Fix it before sending it out.",
        "status_optimal": "optimal (proven the best under the weights)",
        "status_feasible": "valid, not proven the best",
        "status_manual": "made or edited by hand",
        "members_of": "members",
        "review_label": "Review",
        "sessions_cell": "{name} {date} {start}–{end}",
    },
}

_METRIC_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "partnership_links": "Partnerschappen die elkaar bezoeken",
        "co_member_links": "Partnerschappen samen in een groep",
        "region_links": "Onderwijsregio's samen in een groep",
        "inclusion": "Deelnemers zonder partnerschap",
        "diversity": "Regio's per groep (opgeteld)",
        "preferences": "Gehonoreerde voorkeuren",
        "load_sumsq": "Spreiding van de belasting",
        "max_load": "Meeste reviews van één persoon",
    },
    "en": {
        "partnership_links": "Partnerships visiting each other",
        "co_member_links": "Partnerships together in a group",
        "region_links": "Education regions together in a group",
        "inclusion": "Participants without a partnership",
        "diversity": "Regions per group (added up)",
        "preferences": "Preferences met",
        "load_sumsq": "Spread of the load",
        "max_load": "Most reviews of one person",
    },
}

# What each hard rule (SPEC 3) asks, for violations shown to boards.
_RULES: dict[str, dict[str, str]] = {
    "nl": {
        "H1": "elke review staat precies één keer in de planning",
        "H2": "de datum is een toegestane werkdag binnen het venster van de review",
        "H3": "de groepsgrootte",
        "H4": "leden zijn bekende deelnemers, elk één keer, met hun eigen rol",
        "H5": "onafhankelijkheid: niemand reviewt het eigen partnerschap of een partnerschap uit de conflicten",
        "H6": "de samenstelling per rol",
        "H7": "de functies in de groep (voorzitter, secretaris)",
        "H8": "het minimum aantal partnerschappen in de groep",
        "H9": "het maximum aantal leden uit één partnerschap",
        "H10": "het maximum aantal leden uit één organisatie",
        "H11": "het minimum aantal onderwijsregio's in de groep",
        "H12": "leden van buiten de regio's van het partnerschap onder review",
        "H13": "beschikbaarheid: elk lid kan op alle data van de review",
        "H14": "het maximum aantal reviews per deelnemer",
        "H15": "de tijd tussen twee reviews van één deelnemer",
        "H16": "deelnemers die niet samen in een groep willen",
        "H17": "het maximum aantal reviews per week",
        "H18": "het minimum aantal reviews per partnerschap",
    },
    "en": {
        "H1": "every review appears exactly once in the plan",
        "H2": "the date is an allowed working day inside the review's window",
        "H3": "the group size",
        "H4": "members are known participants, each once, with their own role",
        "H5": "independence: nobody reviews their own partnership or one they declared a conflict with",
        "H6": "the composition per role",
        "H7": "the functions in the group (chair, secretary)",
        "H8": "the minimum number of partnerships in the group",
        "H9": "the maximum number of members from one partnership",
        "H10": "the maximum number of members from one organisation",
        "H11": "the minimum number of education regions in the group",
        "H12": "members from outside the regions of the partnership under review",
        "H13": "availability: every member can attend every date of the review",
        "H14": "the maximum number of reviews per participant",
        "H15": "the time between two reviews of one participant",
        "H16": "participants who do not want to be in one group",
        "H17": "the maximum number of reviews per week",
        "H18": "the minimum number of reviews per partnership",
    },
}

_METRIC_MEANINGS: dict[str, dict[str, str]] = {
    "nl": {
        "partnership_links": "Hoeveel (bezoekend partnerschap, bezocht partnerschap)-paren er zijn: wie leert van wie.",
        "co_member_links": "Hoeveel paren partnerschappen samen in een reviewgroep zitten.",
        "region_links": "Hoeveel paren onderwijsregio's samen in een reviewgroep zitten.",
        "inclusion": "Hoeveel deelnemers zonder partnerschap meedoen (besturen en scholen die nog niet aangesloten zijn).",
        "diversity": "Aantal verschillende onderwijsregio's per reviewgroep, opgeteld over alle reviews.",
        "preferences": "Hoe vaak iemand een partnerschap reviewt dat hij of zij graag wilde reviewen.",
        "load_sumsq": "Som van de kwadraten van het aantal reviews per persoon: lager = eerlijker verdeeld (telt negatief).",
        "max_load": "Het grootste aantal reviews van één persoon (ter informatie, telt niet mee).",
    },
    "en": {
        "partnership_links": "How many (visiting partnership, visited partnership) pairs there are: who learns from whom.",
        "co_member_links": "How many pairs of partnerships sit together in a review group.",
        "region_links": "How many pairs of education regions sit together in a review group.",
        "inclusion": "How many participants without a partnership take part (boards and schools not yet affiliated).",
        "diversity": "Number of distinct education regions per review group, summed over all reviews.",
        "preferences": "How often someone reviews a partnership they asked to review.",
        "load_sumsq": "Sum of squares of the number of reviews per person: lower = fairer spread (counts negatively).",
        "max_load": "The largest number of reviews of one person (for information, not weighted).",
    },
}


def lang_of(scenario: Scenario) -> Language:
    """The participant-facing language of a scenario (nl when unknown)."""
    return "en" if scenario.language == "en" else "nl"


def word(lang: Language, key: str, **values: object) -> str:
    """A fixed word or phrase in `lang`, with `{placeholders}` filled in."""
    text = _WORDS[lang][key]
    return text.format(**values) if values else text


def words(lang: Language) -> dict[str, str]:
    """Every fixed word of `lang` (for templates)."""
    return dict(_WORDS[lang])


def metric_name(lang: Language, metric: str) -> str:
    """A metric of SPEC 4 in words ('Partnerschappen die elkaar bezoeken'), not its id."""
    return _METRIC_NAMES[lang].get(metric, metric)


def rule_text(lang: Language, rule: str) -> str:
    """What hard rule `rule` (H1..H18) asks, in a few words."""
    return _RULES[lang].get(rule, rule)


def metric_meaning(lang: Language, metric: str) -> str:
    """One line saying what a metric of SPEC 4 measures."""
    return _METRIC_MEANINGS[lang].get(metric, "")


def role_label(scenario: Scenario, role: str, lang: Language) -> str:
    """The role's label: the scenario's own label when it declares roles, else the default in `lang`."""
    if scenario.roles is not None:
        return scenario.role_labels.get(role, role)
    if lang == "en":
        return _ROLES_EN.get(role, role)
    return dict(DEFAULT_ROLES).get(role, role)


def function_label(function: str, lang: Language) -> str:
    """A group function (chair, secretary) in `lang`; unknown functions as written."""
    return _FUNCTIONS[lang].get(function, function)


def long_date(day: dt.date, lang: Language) -> str:
    """'do 29 juni 2028' / 'Thu 29 June 2028'."""
    return f"{_WEEKDAYS_SHORT[lang][day.weekday()]} {day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def short_month(month: int, lang: Language) -> str:
    """Abbreviated month name (1 = January)."""
    return _MONTHS_SHORT[lang][month - 1]


def short_date(day: dt.date, lang: Language) -> str:
    """'29 jun' / '29 Jun'."""
    return f"{day.day} {short_month(day.month, lang)}"
