from django.db import migrations

# The register the clinic starts with: the kinds of organisation the policy names ("outside
# contractors, auditors, consultants or others engaged … technical and processing services").
# The privacy officer records each one's name and contract reference in the console.
RECIPIENTS = [
    (
        "hosting", "Hosting provider", "service_provider",
        "Hosting and maintenance of our systems", "Alojamiento y mantenimiento de nuestros sistemas",
        ["user"], "host and run the site and its databases",
    ),
    (
        "email-delivery", "Email delivery provider", "service_provider",
        "Delivery of the emails we send you", "Entrega de los correos que le enviamos",
        ["user.contact.email", "user.content"], "deliver our emails",
    ),
    (
        "sms-delivery", "Text-message provider", "service_provider",
        "Delivery of the text messages you ask for", "Entrega de los mensajes de texto que usted pide",
        ["user.contact.phone_number", "user.content"], "deliver our text messages",
    ),
    (
        "backup-storage", "Backup storage", "service_provider",
        "Encrypted backup storage", "Almacenamiento cifrado de copias de seguridad",
        ["user"], "keep encrypted backups",
    ),
    (
        "auditors", "Auditors and accountants", "service_provider",
        "Auditors and accountants, under confidentiality", "Auditores y contadores, con confidencialidad",
        ["user.name", "user.contact", "user.financial"], "audit our accounts and compliance",
    ),
    (
        "consultants", "IT and security consultants", "service_provider",
        "IT and security consultants, under confidentiality",
        "Consultores de informática y seguridad, con confidencialidad",
        ["user"], "maintain our systems and investigate security incidents",
    ),
    (
        "authorities", "Courts, law enforcement and regulators", "government",
        "Courts, law enforcement and regulators, when the law requires it",
        "Tribunales, fuerzas del orden y reguladores, cuando la ley lo exige",
        ["user"], "comply with subpoenas, warrants, court orders and the law",
    ),
]


def create_register(apps, schema_editor):
    recipient = apps.get_model("disclosures", "Recipient")
    for slug, name, kind, en, es, categories, purpose in RECIPIENTS:
        recipient.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "description_en": en,
                "description_es": es,
                "categories": categories,
                "purpose": purpose,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]

    operations = [migrations.RunPython(create_register, migrations.RunPython.noop)]
