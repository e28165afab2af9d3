from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import SignInForm
from .views import healthz

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("scrutiny/", include("scrutiny.urls")),
    path("", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("", include("actions.urls")),
]

handler500 = "cypeplan.errors.server_error"
