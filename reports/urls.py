from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("draft/", views.draft, name="draft"),
    path("publish/", views.publish, name="publish"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/print.css", views.report_print_css, name="print_css"),
    path("<int:pk>/word/", views.report_docx, name="docx"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/files/try-again/", views.documents_try_again, name="documents_try_again"),
]
