from django.db import models


class Event(models.TextChoices):
    """Every kind of audit entry, in one place."""

    ACCOUNT_REGISTERED = "account.registered", "Account registered"
    REGISTRATION_REFUSED_UNDER_AGE = (
        "account.registration_refused_under_age",
        "Registration refused: under 18",
    )
    REGISTRATION_EMAIL_TAKEN = (
        "account.registration_email_taken",
        "Registration attempted with an address that has an account",
    )
    EMAIL_VERIFIED = "account.email_verified", "Email address verified"
    SIGNED_IN = "account.signed_in", "Signed in"
    SIGN_IN_FAILED = "account.sign_in_failed", "Sign-in failed"
    SIGN_IN_THROTTLED = "account.sign_in_throttled", "Sign-in refused: too many attempts"
    SIGNED_OUT = "account.signed_out", "Signed out"
    PASSWORD_CHANGED = "account.password_changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "account.password_reset_requested", "Password reset requested"
    PASSWORD_RESET_COMPLETED = "account.password_reset_completed", "Password reset completed"
    PROFILE_UPDATED = "account.profile_updated", "Profile updated"
    ACCOUNT_CLOSED = "account.closed", "Account closed and personal details erased"
    STAFF_ACCOUNT_CREATED = "account.staff_created", "Staff account created"
    EMAIL_SENT = "email.sent", "Email sent"
    PERSON_CREATED = "person.created", "Person created"
    PERSON_EXPORTED = "person.exported", "Everything about a person exported by staff"
    PERSON_ERASED = "person.erased", "Person erased: key destroyed, rows deleted or anonymised"
    CONSENT_RECORDED = "consent.recorded", "Consent choice or opt-out signal recorded"
    SUBMISSION_RECEIVED = "submission.received", "Website form received"
    AGE_SIGNAL_RECEIVED = "submission.age_signal", "A form suggests the writer is under 18"
    MASTER_KEY_ROTATED = "vault.master_key_rotated", "Person keys re-wrapped under a new master key"
