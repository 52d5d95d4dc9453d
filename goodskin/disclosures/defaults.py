"""The register the clinic starts with: the kinds of organisation the policy names ("outside
contractors, auditors, consultants or others engaged … technical and processing services"). Loaded
after every migrate (and test flush) by `ensure_register`, which never changes an existing row;
the privacy officer records each one's name and contract reference in the console.
"""

from __future__ import annotations

# slug, name, kind, public description (en, es), data-map categories, purpose
RECIPIENTS = [
    (
        "hosting",
        "Hosting provider",
        "service_provider",
        "Hosting and maintenance of our systems",
        "Alojamiento y mantenimiento de nuestros sistemas",
        ["user"],
        "host and run the site and its databases",
    ),
    (
        "email-delivery",
        "Email delivery provider",
        "service_provider",
        "Delivery of the emails we send you",
        "Entrega de los correos que le enviamos",
        ["user.contact.email", "user.content"],
        "deliver our emails",
    ),
    (
        "sms-delivery",
        "Text-message provider",
        "service_provider",
        "Delivery of the text messages you ask for",
        "Entrega de los mensajes de texto que usted pide",
        ["user.contact.phone_number", "user.content"],
        "deliver our text messages",
    ),
    (
        "backup-storage",
        "Backup storage",
        "service_provider",
        "Encrypted backup storage",
        "Almacenamiento cifrado de copias de seguridad",
        ["user"],
        "keep encrypted backups",
    ),
    (
        "auditors",
        "Auditors and accountants",
        "service_provider",
        "Auditors and accountants, under confidentiality",
        "Auditores y contadores, con confidencialidad",
        ["user.name", "user.contact", "user.financial"],
        "audit our accounts and compliance",
    ),
    (
        "consultants",
        "IT and security consultants",
        "service_provider",
        "IT and security consultants, under confidentiality",
        "Consultores de informática y seguridad, con confidencialidad",
        ["user"],
        "maintain our systems and investigate security incidents",
    ),
    (
        "reporting-partners",
        "Reporting, business and marketing partners (de-identified figures only)",
        "third_party",
        "Figures for reporting duties and for business or marketing purposes, de-identified "
        "so they cannot be tied back to you",
        "Cifras para obligaciones de informar y con fines comerciales o de marketing, "
        "desidentificadas para que no puedan vincularse con usted",
        [],
        "receive de-identified figures; no personal information, so neither a sale nor a share",
    ),
    (
        "authorities",
        "Courts, law enforcement and regulators",
        "government",
        "Courts, law enforcement and regulators, when the law requires it",
        "Tribunales, fuerzas del orden y reguladores, cuando la ley lo exige",
        ["user"],
        "comply with subpoenas, warrants, court orders and the law",
    ),
]
