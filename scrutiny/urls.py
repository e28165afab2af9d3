from django.urls import path

from . import views

app_name = "scrutiny"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/new/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path(
        "meetings/<int:pk>/action-list.docx",
        views.meeting_action_list_document,
        name="meeting_action_list_document",
    ),
    path("meetings/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/answer/", views.item_answer, name="item_answer"),
    path("items/<int:pk>/decision/", views.item_decide, name="item_decide"),
]
