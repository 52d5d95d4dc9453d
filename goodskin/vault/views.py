from __future__ import annotations

import dataclasses

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from goodskin.core.doors import staff_door
from goodskin.core.errors import NotFound
from goodskin.vault.actions import record_export
from goodskin.vault.queries import access_person, everything_about
from goodskin.vault.summary import staff_table


@staff_door("vault.view_data_map")
def data_map(request: HttpRequest) -> HttpResponse:
    rows, not_personal = staff_table()
    return render(
        request,
        "vault/data_map.html",
        {
            **admin.site.each_context(request),
            "title": "Data map",
            "rows": rows,
            "not_personal": not_personal,
            "tables": len({row.table for row in rows}),
            "sealed": sum(row.sealed for row in rows),
        },
    )


@staff_door("vault.export_person")
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """Everything about one person, as JSON, for a staff member answering an access request."""
    try:
        person = access_person(request.user, person_id)
    except NotFound:
        raise Http404("No such person") from None
    tables = everything_about(person)
    record_export(person=person, tables=len(tables), rows=sum(len(table.rows) for table in tables))
    response = JsonResponse(
        {"person": person.pk, "tables": [dataclasses.asdict(table) for table in tables]},
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="person-{person.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response
