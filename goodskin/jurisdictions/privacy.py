"""The jurisdiction table: which privacy rights each US state's law grants, and on what clocks.

Law as data — one row per state law, its citation beside it, its effective date, and `verify`
where our source (../shared/reference/us-privacy-law-and-signals.md, §1) says a figure needs
confirming. Not legal advice: this table is what counsel reviews. Because the clinic's policy
promises these rights to everyone, people in states without a law in force get the PROMISE row:
the most protective of the common rules (docs/adr/0018). Pure: no database, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from goodskin.jurisdictions.dated import by_state, row_in_force


class Right(StrEnum):
    KNOW = "know"  # categories of information, sources, purposes, recipients
    ACCESS = "access"  # the specific pieces
    DELETE = "delete"
    CORRECT = "correct"
    PORTABILITY = "portability"
    OPT_OUT_SALE = "opt_out_sale"
    OPT_OUT_SHARING = "opt_out_sharing"  # California's cross-context behavioural advertising
    OPT_OUT_TARGETED_ADS = "opt_out_targeted_ads"
    OPT_OUT_PROFILING = "opt_out_profiling"
    LIMIT_SENSITIVE = "limit_sensitive"
    LIST_THIRD_PARTIES = "list_third_parties"


class Agents(StrEnum):
    ALL_REQUESTS = "all_requests"
    OPT_OUTS = "opt_outs"
    NONE = "none"


class HipaaExemption(StrEnum):
    ENTITY = "entity"  # a HIPAA covered entity is outside the law entirely
    DATA = "data"  # only PHI is outside; the website's other data is covered
    UNCLEAR = "unclear"


# The rights of the Virginia model most later state laws copy.
VIRGINIA_MODEL = frozenset(
    {
        Right.KNOW,
        Right.ACCESS,
        Right.DELETE,
        Right.CORRECT,
        Right.PORTABILITY,
        Right.OPT_OUT_SALE,
        Right.OPT_OUT_TARGETED_ADS,
        Right.OPT_OUT_PROFILING,
    }
)


@dataclass(frozen=True)
class Jurisdiction:
    code: str
    name: str
    law: str
    citation: str
    effective_from: date
    rights: frozenset[Right]
    response_days: int
    extension_days: int
    appeal_response_days: int | None  # None: no statutory appeal
    free_requests_per_12_months: int | None
    agents: Agents
    hipaa: HipaaExemption
    regulator: str  # whom to cite when an appeal is denied
    confirm_receipt_business_days: int | None = None
    opt_out_business_days: int | None = None
    # The extension must be announced before the first deadline (every law in the table).
    extension_notice: str = "before the first response deadline, with the reasons"
    verification: str = (
        "Signed in, or a code sent to the email address on file; two matching details for "
        "specific pieces or sensitive data. Opt-outs are never verified."
    )
    effective_to: date | None = None
    verify: tuple[str, ...] = ()
    notes: str = ""
    statutory: bool = True
    sources: tuple[str, ...] = field(default=())

    @property
    def appeal_available(self) -> bool:
        return self.appeal_response_days is not None


UTAH_BEFORE_HB_418 = Jurisdiction(
    code="UT",
    name="Utah",
    law="Utah Consumer Privacy Act",
    citation="Utah Code § 13-61-101 ff.",
    effective_from=date(2023, 12, 31),
    effective_to=date(2026, 7, 1),
    rights=frozenset(
        {
            Right.KNOW,
            Right.ACCESS,
            Right.DELETE,
            Right.PORTABILITY,
            Right.OPT_OUT_SALE,
            Right.OPT_OUT_TARGETED_ADS,
        }
    ),
    response_days=45,
    extension_days=45,
    appeal_response_days=None,
    free_requests_per_12_months=1,
    agents=Agents.NONE,
    hipaa=HipaaExemption.ENTITY,
    regulator="the Utah Division of Consumer Protection",
    notes="Deletion covers data the consumer provided; no right to correct yet.",
)

PROMISE = Jurisdiction(
    code="US",
    name="Everywhere else in the United States",
    law="GoodSkin Clinics' privacy policy (no state law in force)",
    citation="GoodSkin privacy policy, “State Specific Privacy Notices” and “Your Options”",
    effective_from=date(2020, 1, 1),
    rights=frozenset(Right),
    response_days=45,
    extension_days=45,
    appeal_response_days=45,
    free_requests_per_12_months=2,
    agents=Agents.ALL_REQUESTS,
    hipaa=HipaaExemption.UNCLEAR,
    regulator="the Federal Trade Commission or your state Attorney General",
    confirm_receipt_business_days=10,
    opt_out_business_days=15,
    statutory=False,
    notes="The most protective common rules, applied by promise (ADR 0018).",
)


STATE_LAWS: tuple[Jurisdiction, ...] = (
    Jurisdiction(
        code="CA",
        name="California",
        law="CCPA as amended by the CPRA",
        citation="Cal. Civ. Code §§ 1798.100–1798.199.100; 11 CCR § 7000 ff.",
        effective_from=date(2020, 1, 1),
        rights=frozenset(Right) - {Right.OPT_OUT_PROFILING},
        response_days=45,
        extension_days=45,
        appeal_response_days=None,
        free_requests_per_12_months=2,
        agents=Agents.ALL_REQUESTS,
        hipaa=HipaaExemption.DATA,
        regulator="the California Privacy Protection Agency or the California Attorney General",
        confirm_receipt_business_days=10,
        opt_out_business_days=15,
        notes="Receipt confirmed within 10 business days (7021); opt-outs and limits within 15 "
        "business days (7026(f), 7027); the 45-day clock runs from receipt whatever verification "
        "takes. Know/access need not be answered more than twice in 12 months (1798.130(b)).",
    ),
    Jurisdiction(
        code="VA",
        name="Virginia",
        law="Virginia Consumer Data Protection Act",
        citation="Va. Code §§ 59.1-575 to -585",
        effective_from=date(2023, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=2,
        agents=Agents.NONE,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Virginia Attorney General",
    ),
    Jurisdiction(
        code="CO",
        name="Colorado",
        law="Colorado Privacy Act",
        citation="C.R.S. §§ 6-1-1301 to -1314; 4 CCR 904-3",
        effective_from=date(2023, 7, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=45,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.DATA,
        regulator="the Colorado Attorney General",
        verify=("appeal extension", "free requests", "HIPAA exemption"),
        notes="Portability at most twice a calendar year.",
    ),
    Jurisdiction(
        code="CT",
        name="Connecticut",
        law="Connecticut Data Privacy Act",
        citation="Conn. Gen. Stat. § 42-515 ff.",
        effective_from=date(2023, 7, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Connecticut Attorney General",
        verify=("HIPAA exemption",),
        notes="From 2026-07-01 (SB 1295) access includes inferences and profiling decisions can "
        "be contested.",
    ),
    UTAH_BEFORE_HB_418,
    # HB 418 (2025) adds the right to correct; every other term stays as it was.
    replace(
        UTAH_BEFORE_HB_418,
        law="Utah Consumer Privacy Act, as amended by HB 418 (2025)",
        citation="Utah Code § 13-61-101 ff., as amended by HB 418 (2025)",
        effective_from=date(2026, 7, 1),
        effective_to=None,
        rights=UTAH_BEFORE_HB_418.rights | {Right.CORRECT},
        verify=("right to correct from 2026-07-01 (HB 418, as reported)",),
        notes="Deletion covers data the consumer provided; correction from 2026-07-01.",
    ),
    Jurisdiction(
        code="NV",
        name="Nevada",
        law="NRS 603A (SB 220 of 2019, SB 260 of 2021)",
        citation="NRS §§ 603A.300–.360",
        effective_from=date(2019, 10, 1),
        rights=frozenset({Right.OPT_OUT_SALE}),
        response_days=60,
        extension_days=30,
        appeal_response_days=None,
        free_requests_per_12_months=None,
        agents=Agents.NONE,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Nevada Attorney General",
        notes="Opt-out of sale only (exchange for money); 60 days + 30 (NRS 603A.345).",
    ),
    Jurisdiction(
        code="TX",
        name="Texas",
        law="Texas Data Privacy and Security Act",
        citation="Tex. Bus. & Com. Code ch. 541",
        effective_from=date(2024, 7, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=2,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Texas Attorney General",
    ),
    Jurisdiction(
        code="OR",
        name="Oregon",
        law="Oregon Consumer Privacy Act",
        citation="ORS §§ 646A.570–.589",
        effective_from=date(2024, 7, 1),
        rights=VIRGINIA_MODEL | {Right.LIST_THIRD_PARTIES},
        response_days=45,
        extension_days=45,
        appeal_response_days=45,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.DATA,
        regulator="the Oregon Department of Justice",
        notes="The list of specific third parties; opt-outs without authentication.",
    ),
    Jurisdiction(
        code="MT",
        name="Montana",
        law="Montana Consumer Data Privacy Act",
        citation="Mont. Code § 30-14-2801 ff.",
        effective_from=date(2024, 10, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Montana Attorney General",
        verify=("free requests", "HIPAA exemption"),
    ),
    Jurisdiction(
        code="IA",
        name="Iowa",
        law="Iowa Consumer Data Protection Act",
        citation="Iowa Code ch. 715D",
        effective_from=date(2025, 1, 1),
        rights=frozenset(
            {
                Right.KNOW,
                Right.ACCESS,
                Right.DELETE,
                Right.PORTABILITY,
                Right.OPT_OUT_SALE,
                Right.LIMIT_SENSITIVE,
            }
        ),
        response_days=90,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=2,
        agents=Agents.NONE,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Iowa Attorney General",
    ),
    Jurisdiction(
        code="DE",
        name="Delaware",
        law="Delaware Personal Data Privacy Act",
        citation="6 Del. C. ch. 12D",
        effective_from=date(2025, 1, 1),
        rights=VIRGINIA_MODEL | {Right.LIST_THIRD_PARTIES},
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.DATA,
        regulator="the Delaware Department of Justice",
    ),
    Jurisdiction(
        code="NH",
        name="New Hampshire",
        law="New Hampshire Data Privacy Act",
        citation="RSA 507-H",
        effective_from=date(2025, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.ENTITY,
        regulator="the New Hampshire Attorney General",
    ),
    Jurisdiction(
        code="NJ",
        name="New Jersey",
        law="New Jersey Data Privacy Act",
        citation="N.J.S.A. 56:8-166.4 ff.",
        effective_from=date(2025, 1, 15),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=45,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.DATA,
        regulator="the New Jersey Division of Consumer Affairs",
        verify=("appeal clock",),
    ),
    Jurisdiction(
        code="NE",
        name="Nebraska",
        law="Nebraska Data Privacy Act",
        citation="Neb. Rev. Stat. § 87-1101 ff.",
        effective_from=date(2025, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=2,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Nebraska Attorney General",
    ),
    Jurisdiction(
        code="TN",
        name="Tennessee",
        law="Tennessee Information Protection Act",
        citation="Tenn. Code § 47-18-3301 ff.",
        effective_from=date(2025, 7, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=2,
        agents=Agents.NONE,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Tennessee Attorney General",
        verify=("HIPAA exemption",),
    ),
    Jurisdiction(
        code="MN",
        name="Minnesota",
        law="Minnesota Consumer Data Privacy Act",
        citation="Minn. Stat. §§ 325M.10–.21",
        effective_from=date(2025, 7, 31),
        rights=VIRGINIA_MODEL | {Right.LIST_THIRD_PARTIES},
        response_days=45,
        extension_days=45,
        appeal_response_days=45,
        free_requests_per_12_months=2,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Minnesota Attorney General",
        verify=("appeal extension", "free requests", "HIPAA exemption"),
        notes="The specific third parties; the right to question a profiling result.",
    ),
    Jurisdiction(
        code="MD",
        name="Maryland",
        law="Maryland Online Data Privacy Act",
        citation="Md. Code, Com. Law §§ 14-4601 to -4614",
        effective_from=date(2025, 10, 1),
        rights=VIRGINIA_MODEL | {Right.LIST_THIRD_PARTIES},
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.DATA,
        regulator="the Maryland Attorney General",
        notes="Applies to processing from 2026-04-01; no sale of sensitive data.",
    ),
    Jurisdiction(
        code="IN",
        name="Indiana",
        law="Indiana Consumer Data Protection Act",
        citation="Ind. Code 24-15",
        effective_from=date(2026, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.NONE,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Indiana Attorney General",
        verify=("appeal clock",),
    ),
    Jurisdiction(
        code="KY",
        name="Kentucky",
        law="Kentucky Consumer Data Protection Act",
        citation="KRS § 367.3611 ff.",
        effective_from=date(2026, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=2,
        agents=Agents.NONE,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Kentucky Attorney General",
        verify=("appeal clock", "free requests"),
    ),
    Jurisdiction(
        code="RI",
        name="Rhode Island",
        law="Rhode Island Data Transparency and Privacy Protection Act",
        citation="R.I. Gen. Laws § 6-48.1",
        effective_from=date(2026, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=1,
        agents=Agents.NONE,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Rhode Island Attorney General",
        verify=("appeal clock", "authorised agents", "HIPAA exemption"),
    ),
    Jurisdiction(
        code="OK",
        name="Oklahoma",
        law="Oklahoma Consumer Data Privacy Act (SB 546)",
        citation="SB 546 (2026)",
        effective_from=date(2027, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=None,
        agents=Agents.NONE,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Oklahoma Attorney General",
        verify=("clocks", "free requests", "authorised agents"),
    ),
    Jurisdiction(
        code="LA",
        name="Louisiana",
        law="Louisiana Data Privacy Act (SB 386, Act 502)",
        citation="Act 502 (2026)",
        effective_from=date(2027, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=None,
        agents=Agents.NONE,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Louisiana Attorney General",
        verify=("everything: model assumed",),
    ),
    Jurisdiction(
        code="AL",
        name="Alabama",
        law="Alabama Personal Data Protection Act (HB 351)",
        citation="HB 351 (2026)",
        effective_from=date(2027, 5, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=None,
        agents=Agents.NONE,
        hipaa=HipaaExemption.UNCLEAR,
        regulator="the Alabama Attorney General",
        verify=("everything: model assumed",),
    ),
    Jurisdiction(
        code="VT",
        name="Vermont",
        law="Vermont Data Privacy and Online Surveillance Act (S.71)",
        citation="Act 145 (2026)",
        effective_from=date(2028, 1, 1),
        rights=VIRGINIA_MODEL,
        response_days=45,
        extension_days=45,
        appeal_response_days=60,
        free_requests_per_12_months=None,
        agents=Agents.OPT_OUTS,
        hipaa=HipaaExemption.ENTITY,
        regulator="the Vermont Attorney General",
        verify=("extension", "appeal clock"),
    ),
)


ROWS_BY_STATE = by_state(STATE_LAWS)


def law_in_force(code: str, *, on: date) -> Jurisdiction | None:
    """The row of `code`'s law in force on that day, or None before (or after) it."""
    return row_in_force(ROWS_BY_STATE, code, on)


def law_as_of(code: str, *, on: date) -> Jurisdiction | None:
    """The row in force that day, or else the next to come (a law enacted, not yet in force)."""
    rows = ROWS_BY_STATE.get(code, ())
    return law_in_force(code, on=on) or next((r for r in rows if r.effective_from > on), None)


def laws_as_of(on: date) -> list[Jurisdiction]:
    """One row per state with a law: the one in force that day, or the one to come."""
    found = (law_as_of(code, on=on) for code in ROWS_BY_STATE)
    return [row for row in found if row is not None]


# State names, translated for the request form (the law rows above keep their legal English).
STATE_NAMES = {
    "AL": _("Alabama"),
    "AK": _("Alaska"),
    "AZ": _("Arizona"),
    "AR": _("Arkansas"),
    "CA": _("California"),
    "CO": _("Colorado"),
    "CT": _("Connecticut"),
    "DE": _("Delaware"),
    "DC": _("District of Columbia"),
    "FL": _("Florida"),
    "GA": _("Georgia"),
    "HI": _("Hawaii"),
    "ID": _("Idaho"),
    "IL": _("Illinois"),
    "IN": _("Indiana"),
    "IA": _("Iowa"),
    "KS": _("Kansas"),
    "KY": _("Kentucky"),
    "LA": _("Louisiana"),
    "ME": _("Maine"),
    "MD": _("Maryland"),
    "MA": _("Massachusetts"),
    "MI": _("Michigan"),
    "MN": _("Minnesota"),
    "MS": _("Mississippi"),
    "MO": _("Missouri"),
    "MT": _("Montana"),
    "NE": _("Nebraska"),
    "NV": _("Nevada"),
    "NH": _("New Hampshire"),
    "NJ": _("New Jersey"),
    "NM": _("New Mexico"),
    "NY": _("New York"),
    "NC": _("North Carolina"),
    "ND": _("North Dakota"),
    "OH": _("Ohio"),
    "OK": _("Oklahoma"),
    "OR": _("Oregon"),
    "PA": _("Pennsylvania"),
    "RI": _("Rhode Island"),
    "SC": _("South Carolina"),
    "SD": _("South Dakota"),
    "TN": _("Tennessee"),
    "TX": _("Texas"),
    "UT": _("Utah"),
    "VT": _("Vermont"),
    "VA": _("Virginia"),
    "WA": _("Washington"),
    "WV": _("West Virginia"),
    "WI": _("Wisconsin"),
    "WY": _("Wyoming"),
    "PR": _("Puerto Rico"),
}

US_STATES = frozenset(STATE_NAMES)


class UnknownJurisdiction(LookupError):
    pass


def rules_for(code: str, *, on: date) -> Jurisdiction:
    """The rules that govern a request from a resident of `code` received `on` that day: the
    state's law if it is in force, the clinic's promise otherwise (and for "US")."""
    code = code.upper()
    if code == "US":
        return PROMISE
    if code not in US_STATES:
        raise UnknownJurisdiction(code)
    return law_in_force(code, on=on) or PROMISE
