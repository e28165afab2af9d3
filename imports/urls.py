from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.start, name="start"),
    path("imports/template.xlsx", views.template, name="template"),
    path("imports/plans/<slug:slug>.xlsx", views.plan_download, name="plan_download"),
    path("imports/<uuid:key>/", views.preview, name="preview"),
    path("imports/<uuid:key>/abandon/", views.abandon, name="abandon"),
    path("data-quality/", views.quality, name="data_quality"),
    path("data-quality/actions/<int:pk>/confirm-date/", views.confirm_date, name="confirm_date"),
]
