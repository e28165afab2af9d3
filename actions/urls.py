from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("overdue/", views.overdue, name="overdue"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("actions/", views.register, name="register"),
    path("actions/<int:pk>/", views.action_detail, name="detail"),
    path("actions/<int:pk>/update/", views.record_update, name="record_update"),
    path("my-actions/", views.my_actions, name="my_actions"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("leads/<int:pk>/delegates/", views.lead_delegates, name="lead_delegates"),
    path("themes/<int:pk>/", views.theme_detail, name="theme"),
    path("late-entries/", views.late_entries, name="late_entries"),
]
