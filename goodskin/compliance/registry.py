"""Which checks verify which clause: the table a privacy lawyer reviews beside the law table.

Every clause key of the Privacy Policy and the State Privacy Notice is either tied to one or more
checks (CLAUSES) or listed as unverified with the reason (UNVERIFIED); `verify_policy` refuses
to run if a key of the version in force is in neither, or if a key here is in no published
version, so a clause can be neither silently unchecked nor checked under a name that no longer
exists. A check reads the live system and answers with counts and references, never a person's
values (checks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

Evidence = dict[str, int | str | list[str]]


@dataclass(frozen=True)
class Outcome:
    passed: bool
    evidence: Evidence = field(default_factory=dict)


@dataclass(frozen=True)
class Check:
    name: str
    promise: str  # what the check proves, in the words a regulator reads
    run: Callable[[datetime], Outcome]
    slow: bool = False  # takes a browser and minutes: nightly and by command, not from a page


CHECKS: dict[str, Check] = {}


def check(
    promise: str, *, slow: bool = False
) -> Callable[[Callable[[datetime], Outcome]], Callable[[datetime], Outcome]]:
    """Register a check under its function's name, which is named for its promise."""

    def register(run: Callable[[datetime], Outcome]) -> Callable[[datetime], Outcome]:
        if run.__name__ in CHECKS:
            raise ValueError(f"two checks are named {run.__name__}")
        CHECKS[run.__name__] = Check(run.__name__, promise, run, slow)
        return run

    return register


# Document keys as the policies app names them, then the clause key.
CLAUSES: dict[str, tuple[str, ...]] = {
    "privacy:collect-1": ("analytics_keep_no_full_address",),
    "privacy:collect-list": ("public_lists_match_the_data_map",),
    "privacy:use-2": ("essential_mail_reaches_opted_out_people",),
    "privacy:use-3": ("no_marketing_without_a_choice_to_receive_it",),
    "privacy:use-4": ("audit_chain_is_intact",),
    "privacy:cookies-1": (
        "pages_set_only_declared_cookies_and_load_nothing_from_elsewhere",
        "gpc_is_honoured",
    ),
    "privacy:cookies-dnt": ("dnt_is_recorded_and_not_acted_on", "gpc_is_honoured"),
    "privacy:sharing-1": ("every_disclosure_is_logged", "deidentified_exports_meet_their_k"),
    "privacy:sharing-reporting": ("every_disclosure_is_logged",),
    "privacy:adults-1": (
        "account_holders_were_adults_when_they_registered",
        "possible_minors_are_decided_in_time",
    ),
    "privacy:retention-1": (
        "nothing_is_kept_past_its_retention",
        "legal_holds_keep_what_they_hold",
    ),
    "privacy:breach-1": ("breach_notices_go_out_in_time",),
    "privacy:choices-1": ("erased_people_stay_erased",),
    "privacy:messages-1": ("no_marketing_without_a_choice_to_receive_it",),
    "privacy:changes-1": ("material_changes_reach_every_account_holder",),
    "state_notice:rights-know": ("privacy_requests_are_answered_in_time",),
    "state_notice:rights-correct": ("privacy_requests_are_answered_in_time",),
    "state_notice:rights-delete": (
        "privacy_requests_are_answered_in_time",
        "erased_people_stay_erased",
    ),
    "state_notice:rights-opt-out": ("privacy_requests_are_answered_in_time", "gpc_is_honoured"),
    "state_notice:rights-limit-sensitive": ("privacy_requests_are_answered_in_time",),
    "state_notice:rights-third-parties": (
        "privacy_requests_are_answered_in_time",
        "every_disclosure_is_logged",
    ),
    "state_notice:rights-appeal": ("privacy_requests_are_answered_in_time",),
    "state_notice:categories-sources": ("public_lists_match_the_data_map",),
    "state_notice:categories-table": ("public_lists_match_the_data_map",),
    "state_notice:recipients-list": ("public_lists_match_the_data_map",),
    "state_notice:requests-1": ("privacy_requests_are_answered_in_time",),
    "state_notice:requests-clocks": ("privacy_requests_are_answered_in_time",),
}

# Clauses no check can verify, and why: counted and shown on the compliance page, never hidden.
UNVERIFIED: dict[str, str] = {
    "privacy:who-1": "It says who runs the clinic: nothing the system does.",
    "privacy:use-1": "It names purposes; each field's purpose is declared in the data map, whose "
    "public list is checked under “What we collect”.",
    "privacy:security-you": "It is advice to the reader about their own password and devices.",
    "privacy:changes-disputes": "It says which version settles a dispute; nothing the system does "
    "day to day.",
    "privacy:contact-details": "Our addresses, drawn from the settings when the page is drawn.",
    "state_notice:intro-1": "It says whom the notice is for.",
    "state_notice:rights-profiling": "The clinic makes no decisions by profiling, so there is "
    "nothing to opt out of yet; a profiling feature would need its own check.",
    "state_notice:rights-equal": "No price or service depends on using a right; there is no "
    "pricing in the system to check.",
    "state_notice:rights-by-state": "Drawn from the jurisdiction table when the page is drawn; "
    "the table itself is reviewed with its citations.",
    "state_notice:requests-contact": "Our addresses, drawn from the settings when the page is "
    "drawn.",
}

DOCUMENTS = ("privacy", "state_notice")  # the terms are not a privacy promise


def clause_key(document: str, clause: str) -> str:
    return f"{document}:{clause}"
