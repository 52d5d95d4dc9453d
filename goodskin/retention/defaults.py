"""The retention schedule the clinic starts with: one rule per retention name in the data map.

Loaded into `RetentionRule` rows by a data migration and by `ensure_rules`; from then on the rows
are the truth and the privacy officer edits them in the console.
"""

from __future__ import annotations

from dataclasses import dataclass

from goodskin.retention.models import CountedFrom, Outcome


@dataclass(frozen=True)
class RuleSpec:
    key: str
    period_days: int | None
    counted_from: str
    outcome: str


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec("account", 0, CountedFrom.ACCOUNT_CLOSURE, Outcome.ANONYMISE),
    RuleSpec("person", 30, CountedFrom.LAST_ACTIVITY, Outcome.ANONYMISE),
    RuleSpec("submission", 730, CountedFrom.LAST_ACTIVITY, Outcome.DELETE),
    RuleSpec("session", 0, CountedFrom.EXPIRY, Outcome.DELETE),
    RuleSpec("consent", 1095, CountedFrom.COLLECTION, Outcome.DELETE),
    RuleSpec("analytics-events", 395, CountedFrom.COLLECTION, Outcome.AGGREGATE),
    RuleSpec("rate-limit-window", 0, CountedFrom.EXPIRY, Outcome.DELETE),
    RuleSpec("outbox", 730, CountedFrom.COLLECTION, Outcome.DELETE),
    RuleSpec("preferences", None, CountedFrom.LAST_ACTIVITY, Outcome.DELETE),
    RuleSpec("suppression", None, CountedFrom.COLLECTION, Outcome.DELETE),
    RuleSpec("notices", 730, CountedFrom.COLLECTION, Outcome.DELETE),
    RuleSpec("hold", None, CountedFrom.DISPUTE_END, Outcome.DELETE),
    RuleSpec("backups", 35, CountedFrom.COLLECTION, Outcome.DELETE),
    RuleSpec("disclosure-log", None, CountedFrom.COLLECTION, Outcome.DELETE),
    RuleSpec("rights-requests", None, CountedFrom.COLLECTION, Outcome.ANONYMISE),
    RuleSpec("policy-notices", None, CountedFrom.LAST_ACTIVITY, Outcome.DELETE),
    RuleSpec("incident-records", None, CountedFrom.COLLECTION, Outcome.ANONYMISE),
)
