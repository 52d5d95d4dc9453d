"""Declarations for models we do not own, so the data map covers every table in the database."""

from __future__ import annotations

from goodskin.core.datamap import (
    DataSource,
    ExternalDeclaration,
    NotPersonal,
    OnErase,
    Personal,
    PersonalData,
)

EXTERNAL: tuple[ExternalDeclaration, ...] = (
    ExternalDeclaration(
        "sessions.Session",
        PersonalData(
            subject=None,
            retention="session",
            retention_clock="expire_date",
            on_erase=OnErase.DELETE,
            sources=(DataSource.YOUR_BROWSER,),
            description=(
                "Signed-in sessions: the account number inside the session data. Sessions end "
                "after 30 idle minutes, and an erased or closed account can no longer sign in."
            ),
            fields={
                "session_data": Personal(
                    "user.unique_id.pseudonymous",
                    ("essential.service.authentication",),
                    "Contract",
                ),
            },
            not_personal=("session_key", "expire_date"),
        ),
    ),
    ExternalDeclaration(
        "admin.LogEntry",
        NotPersonal(
            "Staff console history: staff account, record type and number, and the names of "
            "changed fields; record labels are written to carry no personal values."
        ),
    ),
    ExternalDeclaration(
        "django_tasks_database.DBTaskResult",
        NotPersonal("Background tasks take record numbers only, never personal values."),
    ),
    ExternalDeclaration("auth.Permission", NotPersonal("Permission names.")),
    ExternalDeclaration("auth.Group", NotPersonal("Staff role names.")),
    ExternalDeclaration("contenttypes.ContentType", NotPersonal("Model names.")),
)
