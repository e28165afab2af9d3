from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import include, path, reverse

from .forms import SignInForm
from .views import healthz


class SignInView(auth_views.LoginView):
    """Officers land on My actions, where their work is; everyone else on the dashboard.
    A ?next= address (a page they were sent away from) wins over both."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if user.has_perm("actions.add_progressupdate") and not user.has_perm(
            "actions.change_action"
        ):
            return reverse("actions:my_actions")
        return reverse("actions:dashboard")


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST, so that no link or image on another site can sign anyone
    out. Opening /sign-out/ (a bookmark, a typed address) shows the button that does it,
    rather than a blank "Method Not Allowed"; someone signed out already goes to sign in."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        return render(request, "registration/sign_out.html")


def admin_sign_in(request, extra_context=None):
    """The admin's door: someone signed in without admin rights (an officer, a member) gets
    the app's 403 page; anyone else signs in through the app's own page."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))


admin.site.login = admin_sign_in
admin.site.site_header = "CYPE plan tracker: administration"
admin.site.site_title = "CYPE plan tracker administration"
admin.site.index_title = "Plans, themes, leads, timeframes and actions"
# The list pages need the width for their columns (status and flags at 1280 pixels).
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path(
        "sign-in/",
        SignInView.as_view(),
        name="login",
    ),
    path("sign-out/", SignOutView.as_view(), name="logout"),
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("scrutiny/", include("scrutiny.urls")),
    path("", include("imports.urls")),
    path("reports/", include("reports.urls")),
    path("", include("actions.urls")),
]

handler400 = "cypeplan.errors.bad_request"
handler500 = "cypeplan.errors.server_error"
