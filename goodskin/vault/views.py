from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goodskin.vault.summary import staff_table


@staff_member_required
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
