from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


@csrf_exempt
def empty(request: HttpRequest) -> HttpResponse:
    """The floor for the analytics beacon: a POST that reads its body and stores nothing."""
    request.body  # noqa: B018  (read it, as the real endpoint must)
    return HttpResponse(status=204)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/empty/", empty),
    path("", include("config.urls")),
]
