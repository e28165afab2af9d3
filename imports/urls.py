from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.start, name="start"),
    path("imports/template.xlsx", views.template, name="template"),
    path("imports/plans/<slug:slug>.xlsx", views.plan_download, name="plan_download"),
    path("imports/<uuid:key>/", views.preview, name="preview"),
    path("imports/<uuid:key>/abandon/", views.abandon, name="abandon"),
    path(
        "imports/plans/<slug:slug>/updates.xlsx",
        views.plan_updates_download,
        name="plan_updates_download",
    ),
    path("my-actions/updates.xlsx", views.my_updates_download, name="my_updates_download"),
    path("updates/", views.updates_upload, name="updates_upload"),
    path("updates/<uuid:key>/", views.updates_preview, name="updates_preview"),
    path("data-quality/", views.quality, name="data_quality"),
    path("data-quality/actions/<int:pk>/confirm-date/", views.confirm_date, name="confirm_date"),
    path(
        "data-quality/sub-steps/<int:pk>/confirm-date/",
        views.confirm_step_date,
        name="confirm_step_date",
    ),
]
