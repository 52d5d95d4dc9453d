from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from config.env import VAR_DIR
from goodskin.accounts.models import User
from goodskin.audit.actions import record
from goodskin.audit.events import Event
from goodskin.core.context import Actor, acting_as
from goodskin.website import demo
from goodskin.website.models import Clinic, Service, TeamMember

DEMO_STAFF_EMAIL = "privacy.officer@goodskinclinics.com"


class Command(BaseCommand):
    # The capability of the staff an operator stands in for when running it (core/doors.py).
    capability = "accounts.add_user"
    help = (
        "Load the demo clinics, treatments and team, and a staff account for the console. "
        "Idempotent: rows are matched by slug and updated, never duplicated."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--no-staff", action="store_true", help="Do not create the demo staff account."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo data is for development machines; refusing in production")
        with transaction.atomic(), acting_as(Actor.system("demo-data")):
            clinics = {}
            for row in demo.CLINICS:
                values = {key: value for key, value in row.items() if key != "slug"}
                clinics[row["slug"]], _ = Clinic.objects.update_or_create(
                    slug=row["slug"], defaults=values
                )
            for row in demo.SERVICES:
                values = {key: value for key, value in row.items() if key != "slug"}
                Service.objects.update_or_create(slug=row["slug"], defaults=values)
            for row in demo.TEAM:
                values = {
                    key: value for key, value in row.items() if key not in {"slug", "clinics"}
                }
                member, _ = TeamMember.objects.update_or_create(slug=row["slug"], defaults=values)
                member.clinics.set([clinics[slug] for slug in row["clinics"]])
            self.stdout.write(
                f"demo content: {Clinic.objects.count()} clinics, {Service.objects.count()} "
                f"treatments, {TeamMember.objects.count()} team members"
            )
            if not options["no_staff"]:
                self._staff_account()

    def _staff_account(self) -> None:
        password_file = VAR_DIR / "demo-staff-password"
        if not password_file.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(secrets.token_urlsafe(12))
            password_file.chmod(0o600)
        password = password_file.read_text().strip()
        staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
        if staff is None:
            staff = User.objects.create_superuser(
                DEMO_STAFF_EMAIL, password, full_name="Demo Privacy Officer"
            )
            record(Event.STAFF_ACCOUNT_CREATED, subject=staff, target=staff)
        elif not staff.check_password(password):
            staff.set_password(password)
            staff.save(update_fields=["password"])
        self.stdout.write(
            f"staff sign-in for the console (/console/): {DEMO_STAFF_EMAIL} / {password} "
            "(the first sign-in sets up a second factor: an authenticator app or a passkey)"
        )
