"""What each column of a person's copy is called, in words they read, and what is left out of it.

Every column of every table the data map ties to a person is either labelled here or named in
BOOKKEEPING with the reason it is not information about them; the vault system check refuses to
start otherwise, so a new column cannot reach a person's copy under its database name.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The column that points at the person: the whole copy is about them, so it is not repeated.
SUBJECT = "person"

# Columns that are the machinery of keeping a promise, not information about the person. A copy
# leaves them out; the staff export keeps them (staff run the machinery).
BOOKKEEPING: dict[str, str] = {
    "key_id": "which data key seals the person's values; a key is not information about them",
    "own_key_id": "the key of a message that outlives its person; destroyed once it is sent",
    "code_hash": "a keyed hash of a one-time code; a copy could help guess it",
    "code_attempts": "a counter of wrong codes, reset when the request is verified",
    "locked_until": "a lock after wrong codes",
    "report_sealed": "the copy itself: a copy does not contain the previous copy",
    "claim_token": "which delivery run holds a message",
    "claimed_at": "when a delivery run took a message",
    "next_attempt_at": "when delivery is next tried",
    "attempts": "how many times delivery was tried",
    "dedupe_key": "the key that stops a message or notice being written twice",
    "message_id": "the message's technical identifier in mail headers",
    "template": "the name of the message's template in our code; its subject says what it was",
    "link_id": "the random part of unsubscribe links; a copy could be used to change choices",
    "is_staff": "whether an account is a staff account; patients' accounts never are",
    "is_superuser": "whether an account administers the system; patients' accounts never do",
    "state_known": "whether the state in an incident record came from the person or a guess",
    "duplicate_of": "our link between two requests received close together",
    "user": "the account a sign-in record belongs to; the whole copy is already theirs",
    "last_step": "the last authenticator time step accepted, so that no code works twice",
    "sign_count": "a passkey's signature counter, which shows when a passkey was copied",
    "sessions_generation": "a counter that ends every session of the account when raised",
    "roles_generation": "a counter raised when the account's roles change, to reread them",
}

# Labels by column name, for every table; OVERRIDES name a table's column where the general
# label would mislead.
LABELS: dict[str, Promise] = {
    "id": _("Record number"),
    "email": _("Email address"),
    "phone": _("Phone number"),
    "full_name": _("Name"),
    "created_at": _("Recorded"),
    "email_verified_at": _("Email address confirmed"),
    "phone_verified_at": _("Phone number confirmed"),
    "erased_at": _("Erased"),
    "password": _("Password"),
    "last_login": _("Last sign-in"),
    "date_of_birth_sealed": _("Date of birth"),
    "preferred_language": _("Language for emails"),
    "date_joined": _("Account opened"),
    "closed_at": _("Closed"),
    "is_active": _("Account open"),
    "message_sealed": _("Your message"),
    "findings_sealed": _("What our safety check found in your message"),
    "language": _("Language"),
    "treatment": _("Treatment"),
    "clinic": _("Clinic"),
    "secret_sealed": _("Authenticator app secret"),
    "credential_id": _("Passkey identifier"),
    "public_key": _("Passkey public key"),
    "last_used_at": _("Last used"),
    "used_at": _("Used"),
    "preferred_time": _("Preferred time"),
    "topic": _("Topic"),
    "browser_id": _("Browser identifier (in a cookie)"),
    "preferences": _("Preference cookies"),
    "analytics": _("Analytics"),
    "marketing": _("Marketing"),
    "source": _("How it was chosen"),
    "gpc": _("Global Privacy Control signal"),
    "dnt": _("Do Not Track signal"),
    "policy_version": _("Privacy Policy version"),
    "banner_text_hash": _("Fingerprint of the banner text shown"),
    "address_sealed": _("Sent to"),
    "kind": _("Kind"),
    "channel": _("Channel"),
    "campaign": _("Campaign"),
    "subject_sealed": _("Subject"),
    "body_sealed": _("Words (deleted once sent)"),
    "status": _("Status"),
    "sent_at": _("Sent"),
    "last_error": _("Why it was not sent"),
    "home_clinic": _("Home clinic"),
    "updated_at": _("Last changed"),
    "service": _("Treatment you are interested in"),
    "subscribed": _("Subscribed"),
    "changed_at": _("Changed"),
    "title": _("Title"),
    "body": _("Text"),
    "link": _("Link"),
    "read_at": _("Read"),
    "hold": _("Legal hold"),
    "erasure_requested_at": _("Erasure asked for"),
    "erasure_reason": _("Why erasure was asked for"),
    "disclosure": _("Disclosure"),
    "version": _("Policy version"),
    "message": _("Email"),
    "emailed_at": _("Emailed"),
    "seen_at": _("Seen"),
    "accepted_at": _("Accepted"),
    "reference": _("Reference"),
    "state": _("State"),
    "rules": _("Rules applied"),
    "details_sealed": _("What you told us"),
    "received_on": _("Received"),
    "receipt_due_on": _("Receipt to be confirmed by"),
    "due_on": _("Answer due by"),
    "extended_due_on": _("Extended to"),
    "verification": _("How we checked it was you"),
    "verified_at": _("Checked"),
    "code_sent_at": _("Code sent"),
    "categories_only": _("Answered with categories only"),
    "appeal_of": _("Appeal of"),
    "closed_on": _("Closed"),
    "erasure_started_at": _("Erasure started"),
    "extension_reason": _("Why we needed more time"),
    "outcome_note": _("Our answer"),
    "agent_sealed": _("Authorised agent"),
    "document_sealed": _("Document attached"),
    "document_type": _("Type of document"),
    "child_sealed": _("Your child's email address"),
    "correct_items": _("What you said was wrong"),
    "opened_at": _("Opened"),
    "note": _("Note"),
    "request": _("Request"),
    "item": _("What was corrected"),
    "old_sealed": _("Before"),
    "new_sealed": _("After"),
    "rows": _("Records changed"),
    "recipients": _("Organisations told"),
    "incident": _("Incident"),
    "phi": _("Health information involved"),
    "notified_at": _("Told"),
    "unreachable": _("Could not be reached"),
    "reason": _("Why"),
    "lifted_at": _("Lifted"),
    "consent_method": _("How the parent's identity was verified"),
    "consented_at": _("Parent's consent recorded"),
    "consent_withdrawn_at": _("Parent's consent withdrawn"),
}

OVERRIDES: dict[tuple[str, str], Promise] = {
    ("consent.ConsentRecord", "source"): _("How you chose"),
    ("communications.Subscription", "source"): _("How you chose"),
    ("rights.MinorsCase", "source"): _("Why we looked into it"),
    ("rights.DataRequest", "kind"): _("Request"),
    ("rights.DataRequest", "channel"): _("Received through"),
    ("communications.Message", "kind"): _("Kind of message"),
    ("accounts.SecondFactor", "kind"): _("Second factor for signing in"),
    ("communications.Message", "created_at"): _("Written"),
    ("communications.Notice", "kind"): _("Kind of notice"),
    ("incidents.AffectedPerson", "message"): _("Notice email"),
    ("policies.PolicyNotice", "message"): _("Email about the change"),
    ("submissions.ConsultationRequest", "created_at"): _("Sent"),
    ("submissions.ContactMessage", "created_at"): _("Sent"),
}


def label(table: str, column: str) -> Promise | None:
    """The reader's name for a column, or None when it has none (a check error)."""
    return OVERRIDES.get((table, column)) or LABELS.get(column)


def shown(column: str) -> bool:
    """Whether a person's copy shows this column."""
    return column != SUBJECT and column not in BOOKKEEPING
