from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goodskin.core.datamap import BROWSER_ITEMS
from goodskin.core.doors import staff_door
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
            "browser_items": BROWSER_ITEMS,
        },
    )
