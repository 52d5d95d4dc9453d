# ruff: noqa: E501  (statute citations and content lists are data, wrapped by hand)
"""Breach-notification rules as data: one row per state statute, plus HIPAA for protected health
information, each with its citation. Pure. Not legal advice: this table is what counsel reviews.

Source: `shared/reference/us-privacy-law-and-signals.md` §2 (Snell & Wilmer data breach map,
Carlton Fields chart, the statutes). Where a statute gives no number of days ("without unreasonable
delay"), the platform uses DEFAULT_DAYS, as the source recommends; rows the source marks *verify*
say so in `verify`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from goodskin.jurisdictions.dated import by_state, row_in_force

DEFAULT_DAYS = 30  # where a statute names no number; CA, CO, FL and WA already say 30
# Substitute notice (a conspicuous posting on our website for people we cannot reach): where a
# statute names no period, the platform keeps it up for HIPAA's 90 days (164.404(d)(2)(ii)).
DEFAULT_POSTING_DAYS = 90
CA_FORMAT = (
    'Title "Notice of Data Breach"',
    'Headings "What Happened", "What Information Was Involved", "What We Are Doing", "What You Can Do", "For More Information"',
    "At least 10-point type",
    "Name and contact of the business notifying",
    "The types of personal information involved",
    "The date, estimated date or date range of the breach",
    "Whether notice was delayed by law enforcement",
    "Credit reporting agency contacts if SSN, driver's licence or ID number was involved",
)
HIPAA_CONTENT = (
    "What happened, with the date of the breach and of its discovery",
    "The types of unsecured PHI involved",
    "Steps individuals should take to protect themselves",
    "What we are doing to investigate, mitigate and prevent",
    "How to contact us: toll-free number, email, website or postal address",
)


@dataclass(frozen=True)
class BreachLaw:
    code: str
    statute: str
    days: int | None  # to notify residents; None: "without unreasonable delay" (DEFAULT_DAYS)
    deadline_words: str
    regulator: str | None = None
    regulator_min: int | None = None  # residents affected that trigger it (1: always)
    regulator_timing: str = ""
    regulator_before_residents: bool = False
    regulator_days_after_residents: int | None = None
    cra_min: int | None = None  # consumer reporting agencies, from this many residents
    content: tuple[str, ...] = ()
    verify: tuple[str, ...] = ()
    notes: str = ""
    sources: tuple[str, ...] = field(default=("swlaw.com/data-breach-map",))
    posting_days: int | None = None  # substitute notice on the website; None: DEFAULT_POSTING_DAYS
    effective_from: date | None = None  # None: in force before this table's first change
    effective_to: date | None = None

    @property
    def substitute_posting_days(self) -> int:
        return self.posting_days if self.posting_days is not None else DEFAULT_POSTING_DAYS

    @property
    def resident_days(self) -> int:
        return self.days if self.days is not None else DEFAULT_DAYS

    def regulator_needed(self, residents: int) -> bool:
        return (
            self.regulator is not None
            and self.regulator_min is not None
            and (residents >= self.regulator_min)
        )

    def cra_needed(self, residents: int) -> bool:
        return self.cra_min is not None and residents >= self.cra_min


HIPAA = BreachLaw(
    code="HIPAA",
    statute="45 CFR 164.400-414 (HIPAA Breach Notification Rule)",
    days=60,
    deadline_words="Without unreasonable delay and in no case later than 60 calendar days after discovery (164.404(b))",
    regulator="the Secretary of Health and Human Services (HHS breach portal)",
    regulator_min=500,
    regulator_timing="With the individual notices when 500 or more people are affected; otherwise in the annual log within 60 days of the year's end (164.408)",
    content=HIPAA_CONTENT,
    notes="Media notice when more than 500 residents of one state are affected (164.406). Only unsecured PHI: data encrypted under keys not exposed is not a breach (164.402). Substitute notice for 10 or more unreachable people: a conspicuous website posting for 90 days (164.404(d)(2)(ii)).",
    sources=("45 CFR 164.400-414",),
    posting_days=90,
)

CALIFORNIA_BEFORE_SB_446 = BreachLaw(
    "CA",
    "Cal. Civ. Code § 1798.82 (before SB 446)",
    None,
    "In the most expedient time possible and without unreasonable delay",
    "the California Attorney General (sample copy)",
    501,
    "No number of days was set before SB 446",
    content=CA_FORMAT,
    verify=("this row is reconstructed from the descriptions of what SB 446 changed",),
    notes="Substitute notice: conspicuous posting on the website for at least 30 days (§ 1798.82(j)(3)(B)).",
    posting_days=30,
    effective_to=date(2026, 1, 1),
)

STATE_BREACH_LAWS: tuple[BreachLaw, ...] = (
    CALIFORNIA_BEFORE_SB_446,
    # SB 446 fixes 30 days for residents and 15 more for the Attorney General's copy.
    replace(
        CALIFORNIA_BEFORE_SB_446,
        statute="Cal. Civ. Code § 1798.82 (as amended by SB 446, from 2026-01-01)",
        days=30,
        deadline_words="30 calendar days from discovery or notification",
        regulator_timing="Within 15 calendar days after notifying residents",
        regulator_days_after_residents=15,
        notes="12 months of identity-theft prevention if we were the source and SSN, driver's licence or ID number was exposed. Substitute notice: conspicuous posting on the website for at least 30 days (§ 1798.82(j)(3)(B)).",
        verify=(),
        effective_from=date(2026, 1, 1),
        effective_to=None,
    ),
    BreachLaw(
        "VA",
        "Va. Code § 18.2-186.6",
        None,
        "Without unreasonable delay",
        "the Virginia Attorney General",
        1,
        "Always",
        cra_min=1001,
        notes="A separate medical-information breach law covers non-HIPAA entities (§ 32.1-127.1:05).",
    ),
    BreachLaw(
        "CO",
        "C.R.S. § 6-1-716",
        30,
        "30 days after determination",
        "the Colorado Attorney General",
        500,
        "Within 30 days",
        cra_min=1001,
    ),
    BreachLaw(
        "CT",
        "Conn. Gen. Stat. § 36a-701b",
        60,
        "Without unreasonable delay, at most 60 days",
        "the Connecticut Attorney General",
        1,
        "No later than the notice to residents",
        notes="24 months of identity-theft protection if SSN or ITIN was involved.",
    ),
    BreachLaw(
        "UT",
        "Utah Code § 13-44-202",
        None,
        "Most expedient time, without unreasonable delay",
        "the Utah Attorney General and the Utah Cyber Center",
        500,
        "When 500 or more residents are affected",
        cra_min=1000,
        verify=("regulator_min",),
    ),
    BreachLaw(
        "NV",
        "NRS § 603A.220",
        None,
        "Most expedient time, without unreasonable delay",
        cra_min=1001,
    ),
    BreachLaw(
        "TX",
        "Tex. Bus. & Com. Code § 521.053",
        60,
        "Without unreasonable delay, at most 60 days after determination",
        "the Texas Attorney General (web form)",
        250,
        "At most 30 days after determination",
        cra_min=10001,
        verify=("cra_min",),
    ),
    BreachLaw(
        "OR",
        "ORS § 646A.604",
        45,
        "At most 45 days after discovery",
        "the Oregon Attorney General",
        251,
        "When more than 250 residents are affected",
        cra_min=1001,
    ),
    BreachLaw(
        "MT",
        "Mont. Code § 30-14-1704",
        None,
        "Without unreasonable delay",
        "the Montana Attorney General's Office of Consumer Protection",
        1,
        "An electronic copy at the same time as the resident notice",
    ),
    BreachLaw(
        "IA",
        "Iowa Code § 715C.2",
        None,
        "Most expeditious manner, without unreasonable delay",
        "the Iowa Attorney General",
        501,
        "Within 5 business days after notifying residents",
    ),
    BreachLaw(
        "DE",
        "6 Del. C. § 12B-102",
        60,
        "Without unreasonable delay, at most 60 days",
        "the Delaware Attorney General",
        501,
        "When more than 500 residents are affected",
        notes="One year of credit monitoring if SSN was involved.",
    ),
    BreachLaw(
        "NH",
        "RSA 359-C:20",
        None,
        "As soon as possible",
        "the New Hampshire Attorney General",
        1,
        "Always",
        cra_min=1001,
    ),
    BreachLaw(
        "NJ",
        "N.J.S.A. § 56:8-163",
        None,
        "Most expedient time, without unreasonable delay",
        "the New Jersey Division of State Police",
        1,
        "Before notifying residents",
        regulator_before_residents=True,
        cra_min=1001,
    ),
    BreachLaw(
        "NE",
        "Neb. Rev. Stat. § 87-803",
        None,
        "As soon as possible, without unreasonable delay",
        "the Nebraska Attorney General",
        1,
        "No later than the notice to residents",
    ),
    BreachLaw(
        "TN",
        "Tenn. Code § 47-18-2107",
        45,
        "Immediately, at most 45 days after discovery",
        cra_min=1001,
    ),
    BreachLaw(
        "MN",
        "Minn. Stat. § 325E.61",
        None,
        "Most expedient time, without unreasonable delay",
        cra_min=501,
        notes="Consumer reporting agencies within 48 hours when more than 500 residents are affected.",
    ),
    BreachLaw(
        "MD",
        "Md. Code, Com. Law § 14-3504",
        45,
        "As soon as reasonably practicable, at most 45 days after discovery",
        "the Maryland Attorney General",
        1,
        "Before notifying residents",
        regulator_before_residents=True,
        cra_min=1000,
    ),
    BreachLaw(
        "IN",
        "Ind. Code § 24-4.9-3",
        45,
        "Without unreasonable delay, at most 45 days after discovery",
        "the Indiana Attorney General",
        1,
        "Always",
        cra_min=1001,
    ),
    BreachLaw(
        "KY", "KRS § 365.732", None, "Most expedient time, without unreasonable delay", cra_min=1001
    ),
    BreachLaw(
        "RI",
        "R.I. Gen. Laws § 11-49.3-4",
        45,
        "At most 45 calendar days after confirmation",
        "the Rhode Island Attorney General",
        501,
        "When more than 500 residents are affected",
        cra_min=501,
        content=(
            "How it happened and how many people are affected",
            "The types of personal information involved",
            "The date, estimated date or date range, and the date of discovery",
            "Remediation services, with toll-free numbers and websites of the credit reporting agencies, remediation providers and the Attorney General",
            "The right to a police report and to a security freeze",
        ),
    ),
    BreachLaw(
        "FL",
        "Fla. Stat. § 501.171",
        30,
        "At most 30 days after determination",
        "the Florida Department of Legal Affairs",
        500,
        "At most 30 days",
        cra_min=1001,
    ),
    BreachLaw(
        "WA",
        "RCW § 19.255.010",
        30,
        "At most 30 days after discovery",
        "the Washington Attorney General",
        501,
        "At most 30 days",
    ),
    BreachLaw(
        "OK",
        "24 O.S. §§ 161-166 (SB 626, from 2026-01-01)",
        None,
        "Without unreasonable delay",
        "the Oklahoma Attorney General",
        500,
        "At most 60 days after notifying residents",
        regulator_days_after_residents=60,
        notes="HIPAA-compliant notices satisfy the statute when the Attorney General is also notified.",
    ),
    BreachLaw(
        "AL",
        "Ala. Code § 8-38-5",
        45,
        "At most 45 days after determination",
        "the Alabama Attorney General",
        1001,
        "At most 45 days",
        cra_min=1001,
    ),
    BreachLaw(
        "LA",
        "La. R.S. § 51:3074",
        60,
        "At most 60 days",
        "the Louisiana Attorney General",
        1,
        "Within 10 days of distributing notices",
        regulator_days_after_residents=10,
        verify=("regulator_timing",),
    ),
    BreachLaw(
        "VT",
        "9 V.S.A. § 2435",
        45,
        "At most 45 days",
        "the Vermont Attorney General",
        1,
        "A preliminary notice within 14 business days of discovery",
        cra_min=1001,
    ),
)

ROWS_BY_STATE = by_state(STATE_BREACH_LAWS)
# Residents of a state not in the table, and people whose state we do not know, are given the
# platform default: 30 days, California's format (ADR 0022).
FALLBACK = BreachLaw(
    "US",
    "No state statute in this table; the platform default",
    None,
    "Without unreasonable delay; the platform gives itself 30 days",
    content=CA_FORMAT,
    sources=("shared/reference/us-privacy-law-and-signals.md §2.2",),
)


def breach_law_for(state: str, *, on: date) -> BreachLaw:
    """The statute in force for a resident of `state` on the day the breach was discovered."""
    return row_in_force(ROWS_BY_STATE, state.upper(), on) or FALLBACK
