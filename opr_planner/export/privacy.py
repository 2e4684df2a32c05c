"""Pseudonyms for sharing a plan outside the region (`--anonymise`).

A participant becomes "Deelnemer 3f9a1c (student)" (English: "Participant 3f9a1c
(student)"), their e-mail address deelnemer-3f9a1c@example.invalid, their id
deelnemer-3f9a1c and their organisation "Organisatie 7b20e4". The code is a keyed hash
(HMAC-SHA256) of the participant id, so it is

- stable: the same participant gets the same pseudonym in every run, export and
  comparison made with the same key, whatever else changed in the scenario;
- not reversible without the key: someone who only has the shared file cannot
  compute the code of a guessed id (ids are often guessable, like p001 or a name).

The key comes from the environment variable OPR_PLANNER_PSEUDONYM_KEY when it is set
(share it within a team that must produce matching pseudonyms), else from a random
key file created on first use in the user's configuration folder (see `key_path`).

This is pseudonymisation in the sense of the AVG/GDPR, not anonymisation: roles,
partnerships, regions and dates stay in the output, and in a small group they can
point to one person. docs/privacy.md says what each output holds.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..io.fileio import write_new
from ..io.reader import InputFileError, read_bytes
from ..plan import Plan
from ..scenario.models import Participant, Scenario
from .i18n import Language, lang_of, role_label

KEY_ENV = "OPR_PLANNER_PSEUDONYM_KEY"
KEY_FILE_ENV = "OPR_PLANNER_PSEUDONYM_KEY_FILE"
CODE_LENGTH = 6  # hex digits; lengthened for the few ids whose codes would clash
EMAIL_DOMAIN = "example.invalid"  # RFC 2606: can never deliver mail
MAX_KEY_BYTES = 64 * 1024  # a key is 64 hex digits; a shared passphrase may be longer

_WORDS = {
    "nl": {"participant": "Deelnemer", "organisation": "Organisatie", "unknown": "onbekend"},
    "en": {"participant": "Participant", "organisation": "Organisation", "unknown": "unknown"},
}


def key_path() -> Path:
    """Where the pseudonym key is kept: $OPR_PLANNER_PSEUDONYM_KEY_FILE, else
    $XDG_CONFIG_HOME/opr-planner/pseudonym.key (default ~/.config/opr-planner/pseudonym.key)."""
    explicit = os.environ.get(KEY_FILE_ENV, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME", "").strip()
    base = Path(config) if config else Path.home() / ".config"
    return base / "opr-planner" / "pseudonym.key"


def pseudonym_key() -> bytes:
    """The secret key of the pseudonyms (see the module docstring); created on first use.

    Raises InputFileError (exit 2) when the key file is not a readable regular file or is
    empty: a fresh key in its place would silently change every pseudonym.
    """
    env = os.environ.get(KEY_ENV, "")
    if env.strip():
        return env.strip().encode("utf-8")
    path = key_path()
    if not os.path.lexists(path):
        new = secrets.token_hex(32).encode("ascii")
        # Whole or not at all (never an empty key after a crash), nothing in its place
        # replaced or followed, two runs at once agree on one key; 0600: this user only.
        if write_new(path, new + b"\n", mode=0o600):
            return new
        # another run made it a moment ago: read that one
    key = read_bytes(path, limit=MAX_KEY_BYTES).strip()
    if not key:
        raise InputFileError(
            [
                Problem(
                    str(path),
                    None,
                    "",
                    "the pseudonym key file is empty",
                    "delete it to have a new key made (pseudonyms then change), "
                    "or put the key your team shares in it",
                )
            ]
        )
    return key


def _code(key: bytes, kind: str, value: str, length: int) -> str:
    digest = hmac.new(key, f"{kind}\x1f{value}".encode(), hashlib.sha256).hexdigest()
    return digest[:length]


def _codes(key: bytes, kind: str, values: Iterable[str]) -> dict[str, str]:
    """A short code per value, unique among `values`: clashing codes are lengthened."""
    values = sorted(set(values))
    length = CODE_LENGTH
    codes = {v: _code(key, kind, v, length) for v in values}
    while length < 64:
        seen: dict[str, int] = {}
        for c in codes.values():
            seen[c] = seen.get(c, 0) + 1
        clashing = [v for v, c in codes.items() if seen[c] > 1]
        if not clashing:
            break
        length += 2
        for v in clashing:
            codes[v] = _code(key, kind, v, length)
    return codes


def _short_role(scenario: Scenario, role: str, lang: Language) -> str:
    """'schoolopleider' from 'schoolopleider / werkplekbegeleider': short enough for a name."""
    return role_label(scenario, role, lang).split(" / ")[0].strip() or role


@dataclass(frozen=True)
class Pseudonyms:
    """The replacement of every participant id and organisation name of one scenario."""

    ids: dict[str, str]  # participant id -> pseudonymous id
    names: dict[str, str]  # participant id -> pseudonymous name
    organisations: dict[str, str]  # organisation name -> pseudonymous name
    unknown_prefix: str
    key: bytes

    def participant_id(self, pid: str) -> str:
        """The pseudonymous id; ids the scenario does not know (in a hand-made plan) too."""
        return self.ids.get(pid) or f"{self.unknown_prefix}-{_code(self.key, 'participant', pid, 12)}"


def pseudonyms(scenario: Scenario, key: bytes | None = None) -> Pseudonyms:
    """Pseudonyms for every participant and organisation of `scenario`."""
    key = pseudonym_key() if key is None else key
    lang = lang_of(scenario)
    words = _WORDS[lang]
    codes = _codes(key, "participant", (p.id for p in scenario.participants))
    ids = {pid: f"{words['participant'].lower()}-{code}" for pid, code in codes.items()}
    names = {
        p.id: f"{words['participant']} {codes[p.id]} ({_short_role(scenario, p.role, lang)})"
        for p in scenario.participants
    }
    orgs = {
        p.organisation.strip() for p in scenario.participants if p.organisation and p.organisation.strip()
    }
    org_codes = _codes(key, "organisation", (o.casefold() for o in orgs))
    organisations = {o: f"{words['organisation']} {org_codes[o.casefold()]}" for o in orgs}
    return Pseudonyms(ids, names, organisations, words["unknown"], key)


def _participant(p: Participant, ps: Pseudonyms) -> dict[str, Any]:
    data = p.model_dump(by_alias=True)
    org = p.organisation.strip() if p.organisation else None
    data.update(
        id=ps.ids[p.id],
        name=ps.names[p.id],
        email=f"{ps.ids[p.id]}@{EMAIL_DOMAIN}" if p.email else None,
        organisation=ps.organisations[org] if org else None,
        avoid=[ps.participant_id(a) for a in p.avoid],
    )
    return data


def anonymise_scenario(scenario: Scenario, ps: Pseudonyms) -> Scenario:
    """The scenario with every participant pseudonymised (path and fingerprints kept, so that the
    export's check that the plan belongs to this scenario still holds)."""
    data = scenario.model_dump(by_alias=True)
    data["participants"] = [_participant(p, ps) for p in scenario.participants]
    data["participants_file"] = None  # the participants are all in `participants` now
    out = Scenario.model_validate(data)  # fresh: no look-up cached under the old ids
    out._path, out._sha256, out._data_sha256 = scenario.path, scenario.sha256, scenario.data_sha256
    return out


def anonymise_plan(plan: Plan, ps: Pseudonyms) -> Plan:
    """The plan with every member and stand-in replaced by their pseudonymous id."""
    reviews = []
    for r in plan.reviews:
        members = [m.model_copy(update={"participant": ps.participant_id(m.participant)}) for m in r.members]
        backups = [b.model_copy(update={"participant": ps.participant_id(b.participant)}) for b in r.backups]
        reviews.append(r.model_copy(update={"members": members, "backups": backups}))
    return plan.model_copy(update={"reviews": reviews})


def anonymise(scenario: Scenario, plans: list[Plan], key: bytes | None = None) -> tuple[Scenario, list[Plan]]:
    """The scenario and plans with participants and organisations replaced by pseudonyms."""
    ps = pseudonyms(scenario, key)
    return anonymise_scenario(scenario, ps), [anonymise_plan(p, ps) for p in plans]


__all__ = [
    "EMAIL_DOMAIN",
    "KEY_ENV",
    "KEY_FILE_ENV",
    "Pseudonyms",
    "anonymise",
    "anonymise_plan",
    "anonymise_scenario",
    "key_path",
    "pseudonym_key",
    "pseudonyms",
]
