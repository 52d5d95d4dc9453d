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
    STAFF_INVITED = "staff.invited", "Member of staff invited by a one-time link"
    INVITATION_ACCEPTED = "staff.invitation_accepted", "Invitation accepted; password chosen"
    ROLE_GRANTED = "staff.role_granted", "Role given to a staff account, after a second approval"
    ROLE_REMOVED = "staff.role_removed", "Role taken from a staff account"
    ROLE_EDITED = "staff.role_edited", "Capabilities added to or taken from a role"
    STAFF_DEACTIVATED = "staff.deactivated", "Staff account deactivated; its sessions ended"
    SECOND_FACTOR_ADDED = "staff.second_factor_added", "Second factor enrolled"
    SECOND_FACTOR_FAILED = "staff.second_factor_failed", "Wrong or reused second-factor code"
    SECOND_FACTOR_THROTTLED = (
        "staff.second_factor_throttled",
        "Second factor refused: too many attempts",
    )
    SECOND_FACTOR_CONFIRMED = (
        "staff.second_factor_confirmed",
        "Second factor asked again before a high-risk action",
    )
    RECOVERY_CODES_ISSUED = "staff.recovery_codes_issued", "New recovery codes issued"
    RECOVERY_CODE_USED = "staff.recovery_code_used", "Recovery code used"
    SECOND_FACTOR_RESET = (
        "staff.second_factor_reset",
        "Second factors reset by an administrator; sessions ended",
    )
    EMAIL_SENT = "email.sent", "Email sent"
    SMS_SENT = "sms.sent", "Text message sent"
    MESSAGE_NOT_SENT = "message.not_sent", "Message not sent: opted out, erased or rejected"
    MESSAGE_IN_DOUBT = "message.in_doubt", "Message interrupted while being handed over"
    MESSAGE_RELEASED = "message.released", "Interrupted message released or cancelled by staff"
    MARKETING_BATCH_SENT = "message.marketing_batch", "A batch of campaign messages delivered"
    SUBSCRIPTION_CHANGED = "communications.subscription_changed", "Message preferences changed"
    ADDRESS_SUPPRESSED = "communications.address_suppressed", "Address added to suppression list"
    SUPPRESSION_LIFTED = "communications.suppression_lifted", "Suppression lifted by a new opt-in"
    NOTICE_POSTED = "communications.notice_posted", "Notice posted to a person's account"
    NOTICE_READ = "communications.notice_read", "Notice read"
    CAMPAIGN_SAVED = "campaign.saved", "Campaign drafted or edited"
    CAMPAIGN_SCHEDULED = "campaign.scheduled", "Campaign scheduled"
    CAMPAIGN_CANCELLED = "campaign.cancelled", "Campaign cancelled"
    CAMPAIGN_BATCH_QUEUED = "campaign.batch_queued", "Campaign messages queued for a batch"
    CAMPAIGN_FINISHED = "campaign.finished", "Campaign finished queueing"
    PERSON_CREATED = "person.created", "Person created"
    PERSON_EXPORTED = "person.exported", "Everything about a person exported by staff"
    PERSON_VIEWED = "person.viewed", "A person's records read by staff, with the reason"
    STAFF_READS_ALERTED = "staff.reads_alerted", "Privacy officer told of unusually many reads"
    PERSON_ERASED = "person.erased", "Person erased: key destroyed, rows deleted or anonymised"
    CONSENT_RECORDED = "consent.recorded", "Consent choice or opt-out signal recorded"
    SUBMISSION_RECEIVED = "submission.received", "Website form received"
    AGE_SIGNAL_RECEIVED = "submission.age_signal", "A form suggests the writer is under 18"
    RETENTION_RULE_CHANGED = "retention.rule_changed", "Retention rule changed"
    RETENTION_BATCH = "retention.batch", "Expired data removed (one batch)"
    HOLD_PLACED = "retention.hold_placed", "Legal hold placed"
    HOLD_RELEASED = "retention.hold_released", "Legal hold released"
    APPROVAL_ASKED = "approval.asked", "A second staff member's approval asked for"
    APPROVAL_DECIDED = "approval.decided", "A second staff member approved or refused"
    HOLD_REVIEW_DUE = "retention.hold_review_due", "Legal hold due for review; reminder sent"
    REQUEST_OPENED = "rights.request_opened", "Privacy request received"
    REQUEST_VERIFIED = "rights.request_verified", "Privacy request verified"
    REQUEST_CODE_SENT = "rights.code_sent", "Verification code sent for a privacy request"
    REQUEST_CODE_CONFIRMED = "rights.code_confirmed", "Privacy request code matched; details next"
    REQUEST_CODE_FAILED = "rights.code_failed", "Wrong verification code for a privacy request"
    REQUEST_EXTENDED = "rights.request_extended", "Privacy request deadline extended once"
    REQUEST_DENIED = "rights.request_denied", "Privacy request denied, with reasons"
    REQUEST_REPORT_DOWNLOADED = "rights.report_downloaded", "Access report downloaded"
    REQUEST_REMINDER_SENT = "rights.reminder_sent", "Daily reminder of requests due sent to staff"
    MINORS_CASE_OPENED = "rights.minors_case_opened", "Case opened: someone may be under 18"
    MINORS_CASE_CLOSED = "rights.minors_case_closed", "Minors case closed (erased or dismissed)"
    MINORS_CONSENT_RECORDED = "rights.minors_consent_recorded", "A parent's verified consent kept"
    MINORS_CONSENT_WITHDRAWN = "rights.minors_consent_withdrawn", "A parent withdrew consent"
    REQUEST_FULFILLED = "rights.request_fulfilled", "Privacy request fulfilled"
    INFORMATION_CORRECTED = "rights.information_corrected", "Information corrected on request"
    INCIDENT_OPENED = "incidents.opened", "Security incident opened"
    INCIDENT_ASSESSED = "incidents.assessed", "Incident assessed: affected people computed"
    MARKETING_PAUSED = "communications.marketing_paused", "All marketing paused for a person"
    MARKETING_PAUSE_LIFTED = "communications.marketing_pause_lifted", "Marketing pause lifted"
    INCIDENT_DESCRIBED = "incidents.described", "Incident notice wording recorded"
    INCIDENT_DELAY_STARTED = "incidents.delay_started", "Law enforcement asked us to delay notices"
    INCIDENT_DELAY_ENDED = "incidents.delay_ended", "Law-enforcement delay ended"
    INCIDENT_NOTICES_QUEUED = "incidents.notices_queued", "Breach notices queued"
    INCIDENT_CLOSED = "incidents.closed", "Security incident closed"
    POLICY_DRAFT_SAVED = "policies.draft_saved", "Policy draft saved"
    POLICY_PUBLISHED = "policies.published", "Policy version published"
    POLICY_NOTICES_QUEUED = "policies.notices_queued", "Notices of a material change queued"
    POLICY_NOTICE_SEEN = "policies.notice_seen", "A person first saw the notice of a policy change"
    POLICY_ACCEPTED = "policies.accepted", "A person accepted a policy version early"
    REQUEST_DOCUMENT_OPENED = "rights.document_opened", "Agent permission or guardian proof opened"
    REQUEST_REOPENED = "rights.request_reopened", "Privacy request reopened on appeal"
    DISCLOSURE_RECORDED = "disclosure.recorded", "Personal information disclosed and logged"
    BACKUP_CREATED = "retention.backup_created", "Encrypted backup written"
    BACKUP_RESTORED = (
        "retention.backup_restored",
        "Backup restored; erasures and retention re-applied",
    )
    ERASURE_HELD = "retention.erasure_held", "Erasure postponed by a legal hold"
    MASTER_KEY_ROTATED = "vault.master_key_rotated", "Person keys re-wrapped under a new master key"
    POLICY_VERIFIED = "compliance.verified", "The policy's checks were run against the system"
    CLAUSE_FAILING = "compliance.clause_failing", "A clause's checks started failing; officer told"
    EVIDENCE_PACK_WRITTEN = "compliance.evidence_pack", "A signed evidence pack was written"
    MUTANTS_RUN = "compliance.mutants_run", "Deliberate breaks of the code were run past the checks"
