"""The messages of `opr-planner validate` in Dutch, for the workbench's Dutch pages.

The command line words a problem in English (`errors.Problem`: message and hint). The
workbench shows the same problems at the field they concern; on a Dutch page each part of
a message or hint (parts are joined by '; ') that matches a pattern below is worded in
Dutch with the values the English quotes ('studnet', 2028-01-15). A part without a
pattern stays as the command line words it: never a wrong translation, at worst English.
tests/test_i18n_problems.py runs the bad-input corpus and holds how much it covers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...errors import Problem
from . import Language

_Q = r"(?P<v>'[^']*'|\"[^\"]*\")"  # a quoted value

MESSAGES_NL: tuple[tuple[str, str], ...] = (
    (r"is required", "is verplicht"),
    (rf"{_Q} is not a role", "{v} is geen rol"),
    (rf"{_Q} is not a partnership", "{v} is geen partnerschap"),
    (rf"{_Q} is not a region", "{v} is geen onderwijsregio"),
    (rf"{_Q} is not a participant", "{v} is geen deelnemer"),
    (rf"{_Q} is not a review", "{v} is geen review"),
    (rf"{_Q} is not a date", "{v} is geen datum"),
    (
        r"(?P<n>\d+) dates are plain numbers, e\.g\. (?P<v>.+) \(rows (?P<r>[^)]*)\)",
        "{n} datums zijn gewone getallen, bijv. {v} (rijen {r})",
    ),
    (
        r"(?P<n>\d+) dates are written in (a form|(?P<k>\d+) forms) that is not read, e\.g\. (?P<v>.+) "
        r"\(rows (?P<r>[^)]*)\)",
        "{n} datums staan in een schrijfwijze die niet gelezen wordt, bijv. {v} (rijen {r})",
    ),
    (rf"{_Q} is not a weekday", "{v} is geen weekdag"),
    (rf"{_Q} is not a time of day", "{v} is geen tijdstip"),
    (rf"{_Q} is not an e-mail address", "{v} is geen e-mailadres"),
    (rf"{_Q} is not a known time zone", "{v} is geen bekende tijdzone"),
    (rf"{_Q} is not a supported country code", "{v} is geen ondersteunde landcode"),
    (r"(?P<v>.+) is not a whole number", "{v} is geen geheel getal"),
    (r"(?P<v>.+) is far too large a number", "{v} is een veel te groot getal"),
    (rf"id {_Q} is used twice", "id {v} komt twee keer voor"),
    (rf"unknown key {_Q}", "onbekende sleutel {v}"),
    (rf"{_Q} is not allowed", "{v} is niet toegestaan"),
    (
        r"range ends \((?P<a>[^)]*)\) before it starts \((?P<b>[^)]*)\)",
        "de periode eindigt ({a}) voordat ze begint ({b})",
    ),
    (r"min (?P<a>-?\d+) is larger than max (?P<b>-?\d+)", "min. {a} is groter dan max. {b}"),
    (
        r"deadline (?P<a>\S+) is before start (?P<b>\S+)",
        "de uiterste datum {a} ligt vóór de eerste datum {b}",
    ),
    (
        r"(?P<a>\S+) lies outside the calendar \((?P<b>\S+) to (?P<c>\S+)\)",
        "{a} valt buiten de kalender ({b} t/m {c})",
    ),
    (r"(?P<a>\S+) lies outside the years (?P<b>\S+)", "{a} valt buiten de jaren {b}"),
    (r"(?P<a>'[^']*') (?P<d>\S+) is before (?P<b>'[^']*') (?P<e>\S+)", "{a} {d} ligt vóór {b} {e}"),
    (r"there are no participants", "er zijn geen deelnemers"),
    (r"there are no reviews to plan", "er zijn geen reviews om te plannen"),
    (r"it may not be empty", "dit mag niet leeg zijn"),
    (r"no weekday is allowed", "er is geen enkele weekdag toegestaan"),
    (
        r"no session has offset_days: 0 \(the review date is that session's date\)",
        "geen bijeenkomst heeft offset_days: 0 (de datum van de review is die van die bijeenkomst)",
    ),
    (r"(?P<v>.+): input should be a valid integer.*", "{v}: hier hoort een geheel getal"),
    (r"(?P<v>.+): input should be greater than or equal to (?P<n>\S+)", "{v}: moet minstens {n} zijn"),
    (r"(?P<v>.+): input should be a valid list", "{v}: hier hoort een lijst"),
    (r"the participants file is empty", "het deelnemersbestand is leeg"),
    (
        r"the participants file has a header but no participants",
        "het deelnemersbestand heeft kopjes maar geen deelnemers",
    ),
    (r"missing column\(s\): (?P<v>.+)", "ontbrekende kolom(men): {v}"),
    (r"and (?P<n>\d+) more like it \(lines (?P<l>[^)]*)\)", "en nog {n} zo (regels {l})"),
    (
        r"contains the control character (?P<v>'.*') at position (?P<n>\d+)",
        "bevat het stuurteken {v} op positie {n}",
    ),
    (
        r"has (?P<a>\d+) cells but the header has (?P<b>\d+) columns",
        "heeft {a} cellen, maar de kopregel {b} kolommen",
    ),
    (r"is not a participant key", "is geen kolom van een deelnemer"),
    (rf"key {_Q} appears twice in one mapping", "sleutel {v} staat twee keer in hetzelfde blok"),
    (
        rf"names the key {_Q} again \(also column (?P<c>\w+)\)",
        "noemt de sleutel {v} nog eens (ook kolom {c})",
    ),
    (rf"tag {_Q} is not allowed", "tag {v} is niet toegestaan"),
    (
        r"the calendar spans (?P<n>\d+) years \((?P<a>\S+) to (?P<b>\S+)\)",
        "de kalender beslaat {n} jaar ({a} t/m {b})",
    ),
    (r"at most (?P<m>\d+) are supported", "hoogstens {m} kan"),
    (
        r"the columns are separated by tabs, not by (?P<a>'.') or (?P<b>'.')",
        "de kolommen zijn gescheiden door tabs, niet door {a} of {b}",
    ),
)

# How a spreadsheet may write dates (scenario.spreadsheet.SHEET_DATE_HINT), as a pattern and in Dutch.
_SHEET_DATES = r"dd-mm-jjjj \(15-01-2028\) or jjjj-mm-dd \(2028-01-15\), a range as 15-01-2028\.\.19-01-2028"
_SHEET_DATES_NL = "dd-mm-jjjj (15-01-2028) of jjjj-mm-dd (2028-01-15), een periode als 15-01-2028..19-01-2028"

HINTS_NL: tuple[tuple[str, str], ...] = (
    (rf"did you mean {_Q}\?", "bedoelt u {v}?"),
    (r"add it", "vul het in"),
    (r"known: (?P<v>.+)", "bekend: {v}"),
    (r"use one of (?P<v>.+)", "kies uit {v}"),
    (r"every id must be unique", "elk id moet uniek zijn"),
    (r"write it as YYYY-MM-DD, e\.g\. (?P<v>\S+)", "schrijf de datum als JJJJ-MM-DD, bijv. {v}"),
    (rf"write dates as {_SHEET_DATES}", f"schrijf datums als {_SHEET_DATES_NL}"),
    (rf"or write dates as {_SHEET_DATES}", f"of schrijf datums als {_SHEET_DATES_NL}"),
    (r"format these cells as dates in Excel", "maak van deze cellen datums in Excel"),
    (r"write it as HH:MM, e\.g\. (?P<v>\S+)", "schrijf de tijd als UU:MM, bijv. {v}"),
    (r"write a whole number", "schrijf een geheel getal"),
    (r"write a list, e\.g\. (?P<v>.+)", "schrijf een lijst, bijv. {v}"),
    (r"use mon, tue, wed, thu, fri, sat or sun", "gebruik ma, di, wo, do, vr, za of zo"),
    (
        r"write one address like name@example\.org, or leave it out",
        "schrijf één adres zoals naam@example.org, of laat het leeg",
    ),
    (r"swap them", "verwissel ze"),
    (r"swap from and to", "verwissel begin en einde"),
    (r"make min <= max", "maak min. kleiner dan of gelijk aan max."),
    (r"move it inside calendar\.start\.\.deadline", "kies een datum van de eerste tot de uiterste datum"),
    (r"is the year mistyped\?", "is het jaar verkeerd getypt?"),
    (r"keep one of them", "houd er één van over"),
    (r"remove it", "haal het weg"),
    (r"use an IANA name such as Europe/Amsterdam", "gebruik een IANA-naam zoals Europe/Amsterdam"),
    (r"give the visit offset_days: 0", "geef het bezoek offset_days: 0"),
    (r"add one row per participant", "voeg een regel per deelnemer toe"),
    (r"use (?P<n>-?\d+) or more", "gebruik {n} of meer"),
    (r"and (?P<n>\d+) more like it \(lines (?P<l>[^)]*)\)", "en nog {n} zo (regels {l})"),
    (
        r"check for an unquoted separator inside a cell",
        "staat er een scheidingsteken zonder aanhalingstekens in een cel?",
    ),
    (
        rf"start the header with {_Q} to keep a column of notes",
        "begin het kopje met {v} om een kolom met notities te houden",
    ),
    (r"keep one of the two columns", "houd één van de twee kolommen over"),
    (
        r"is the file separated by (?P<a>'.') or (?P<b>'.')\? the header row must name these columns",
        "is het bestand gescheiden door {a} of {b}? De kopregel moet deze kolommen noemen",
    ),
    (r"only plain YAML data is read", "alleen gewone YAML-gegevens worden gelezen"),
    (r"remove the tag", "haal de tag weg"),
    (
        r"is a year mistyped\? plan one review cycle at a time",
        "is een jaar verkeerd getypt? Plan één reviewronde tegelijk",
    ),
    (
        rf"save the sheet as CSV \(in Excel: {_Q}\), or use the workbook \(\.xlsx\) itself",
        "sla het blad op als CSV (in Excel: {v}), of gebruik de werkmap (.xlsx) zelf",
    ),
)

_TABLES = {
    "message": [(re.compile(p), t) for p, t in MESSAGES_NL],
    "hint": [(re.compile(p), t) for p, t in HINTS_NL],
}


def _worded(text: str, kind: str, lang: Language) -> str:
    if lang != "nl" or not text:
        return text
    out = []
    for part in text.split("; "):
        for pattern, template in _TABLES[kind]:
            match = pattern.fullmatch(part)
            if match:
                part = template.format(**match.groupdict())
                break
        out.append(part)
    return "; ".join(out)


def _dutch(p: Problem, lang: Language) -> Problem:
    return replace(p, message=_worded(p.message, "message", lang), hint=_worded(p.hint, "hint", lang))


def problem_text(p: Problem, lang: Language) -> str:
    """What is wrong and the hint, as shown at a field: "'studnet' is geen rol; bedoelt u 'student'?"."""
    worded = _dutch(p, lang)
    return f"{worded.message}; {worded.hint}" if worded.hint else worded.message


def problem_line(p: Problem, lang: Language) -> str:
    """The problem with its place (file, line, field), as `validate` lists it."""
    return str(_dutch(p, lang))


def covered(text: str, kind: str) -> bool:
    """Whether every part of an English message (kind 'message') or hint ('hint') has a Dutch wording."""
    return all(any(p.fullmatch(part) for p, _ in _TABLES[kind]) for part in text.split("; ") if part)
