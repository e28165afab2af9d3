"""The floor page `make bench` and `make loadtest` compare every page with: signed in, the
same permission check as every reader page, a tiny template. Mounted only when they set
ROOT_URLCONF=cypeplan.benchmark; never part of the running service."""

from django.http import HttpResponse
from django.template import Context, Template
from django.urls import path

from actions.views.scope import reader_page

from .urls import urlpatterns as service_urlpatterns

FLOOR_TEMPLATE = Template("<!doctype html><title>Floor</title><p>{{ user.get_username }}</p>")


@reader_page
def floor(request):
    return HttpResponse(FLOOR_TEMPLATE.render(Context({"user": request.user})))


urlpatterns = [path("benchmark/floor/", floor, name="benchmark_floor"), *service_urlpatterns]
