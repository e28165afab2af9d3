"""The look and feel: GOV.UK Frontend with the council's branding, the page template,
the form templates, the shared includes and the sign-in and sign-out pages."""

import json
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import truncatechars
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from actions.models import RAG, Status
from actions.templatetags.cypeplan import rag_tag_parts
from cypeplan.govuk.dates import _day_in_words, day_in_words, govuk_date
from cypeplan.govuk.text import shortened
from tests.factories import UserFactory


def officer(**fields):
    """A user in the Officers group: they record progress, so they have My actions."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name="Officers"))
    return user


PASSWORD = "correct horse battery staple"
BUILD = Path(settings.BASE_DIR) / "static" / "build"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
ROOT = Path(settings.BASE_DIR)

# Things only gov.uk services may show: the crown (as SVG or image), the GOV.UK logo
# and wordmark, the GOV.UK typeface, the Royal Arms, Crown copyright and the OGL.
GOV_UK_ONLY = [
    "govuk-logo",
    "govuk-header__logotype",
    "govuk-footer__crown",
    "govuk-crest",
    "govuk-footer__licence",
    "Crown copyright",
    "Open Government Licence",
    "GDS Transport",
    "GOV.UK",
    "favicon.ico",
    "govuk-icon",
]


def signed_in(client, **user_fields):
    user = UserFactory(**user_fields)
    assert client.login(username=user.username, password=PASSWORD)
    return user


def render_page(path="/", user=None, **context):
    """base.html as a page at `path` would render it, for pages not written yet."""
    request = RequestFactory().get(path)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    request.user = user
    return render_to_string("base.html", context, request=request)


def hrefs_with_current(html):
    """{href: aria-current value} for the service navigation's links."""
    nav = re.search(r'<nav aria-label="Menu".*?</nav>', html, re.S).group(0)
    link = r'<a class="govuk-service-navigation__link" href="([^"]+)"(?: aria-current="(\w+)")?'
    return dict(re.findall(link, nav))


# --- The sign-in page and the page template --------------------------------------


@pytest.mark.django_db
def test_sign_in_page_is_gov_uk_frontend_with_the_councils_branding(client):
    response = client.get("/sign-in/")
    html = response.content.decode()

    assert response.status_code == 200
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert '<body class="govuk-template__body">' in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "<title>Sign in – CYPE plan tracker</title>" in html
    assert 'class="govuk-generic-header"' in html
    assert "Croydon Council" in html
    assert '<a href="/" class="govuk-service-navigation__link">CYPE plan tracker</a>' in html
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert 'class="govuk-label govuk-label--s" for="id_username"' in html
    assert 'class="govuk-input"' in html
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Sign in</button>'
        in (html)
    )
    for text in GOV_UK_ONLY:
        assert text not in html, text
    assert "<svg" not in html


@pytest.mark.django_db
def test_pages_link_the_built_stylesheet_and_run_no_inline_script(client):
    html = client.get("/sign-in/").content.decode()

    assert '<link rel="stylesheet" href="/static/build/application.css">' in html
    assert '<script type="module" src="/static/js/application.js"></script>' in html
    # Every script is a file (a Content-Security-Policy will allow no inline script).
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script type="module" src="/static/js/application.js">'
    ]
    assert not re.search(r"<[^>]+\son\w+=", html), "no inline event handlers"


@pytest.mark.django_db
def test_signed_out_visitors_see_no_navigation(client):
    html = client.get("/sign-in/").content.decode()

    assert "govuk-service-navigation__list" not in html
    assert "Sign out" not in html
    assert 'href="/overdue/"' not in html


@pytest.mark.django_db
def test_bad_credentials_show_the_error_summary_linked_to_the_field(client):
    UserFactory(username="asha")

    response = client.post(
        "/sign-in/?next=/actions/", {"username": "asha", "password": "wrong", "next": "/actions/"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<title>Error: Sign in – CYPE plan tracker</title>" in html
    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">.*?</ul>', html, re.S)
    assert (
        '<a href="#id_username">Enter a correct username and password. Both are case-sensitive.'
        in summary.group(0)
    )
    assert 'id="id_username"' in html
    assert '<input type="hidden" name="next" value="/actions/">' in html
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_an_empty_sign_in_names_each_field_in_the_summary(client):
    html = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()

    assert '<a href="#id_username">Enter your username</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    assert 'aria-describedby="id_username_error"' in html
    assert (
        '<p class="govuk-error-message" id="id_password_error">'
        '<span class="govuk-visually-hidden">Error:</span> Enter your password</p>'
    ) in html


@pytest.mark.django_db
def test_signing_in_goes_on_to_next(client):
    UserFactory(username="asha")

    response = client.post(
        "/sign-in/", {"username": "asha", "password": PASSWORD, "next": "/actions/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/actions/"


@pytest.mark.django_db
def test_a_signed_in_user_sees_the_navigation_their_name_and_a_sign_out_button():
    user = officer(first_name="Asha", last_name="Patel")

    html = render_page("/", user)

    assert hrefs_with_current(html) == {
        "/": "page",
        "/overdue/": "",
        "/at-risk/": "",
        "/actions/": "",
        # Added by the scrutiny app through actions.hooks.register_navigation.
        "/scrutiny/": "",
        "/my-actions/": "",
        # reports adds its item through actions.hooks.register_navigation.
        "/reports/": "",
    }
    assert ">Asha Patel</p>" in html
    sign_out = re.search(r'<form method="post" action="/sign-out/".*?</form>', html, re.S)
    assert sign_out, "sign out is a POST form"
    assert 'name="csrfmiddlewaretoken"' in sign_out.group(0)
    assert '<button type="submit" class="app-link-button">Sign out</button>' in sign_out.group(0)
    assert "Admin" not in html


@pytest.mark.django_db
def test_the_signed_in_users_username_shows_when_they_have_no_name():
    html = render_page("/", UserFactory(username="jbloggs", first_name="", last_name=""))

    assert ">jbloggs</p>" in html


@pytest.mark.django_db
def test_staff_see_admin_in_the_navigation_and_others_do_not():
    staff_html = render_page("/", UserFactory(is_staff=True))
    officer_html = render_page("/", UserFactory(is_staff=False))

    assert "/admin/" in hrefs_with_current(staff_html)
    assert "/admin/" not in hrefs_with_current(officer_html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "context", "expected"),
    [
        ("/overdue/", {}, {"/overdue/": "page"}),
        ("/at-risk/", {}, {"/at-risk/": "page"}),
        ("/actions/", {}, {"/actions/": "page"}),
        ("/actions/12/", {}, {"/actions/": "true"}),
        ("/my-actions/", {}, {"/my-actions/": "page"}),
        ("/actions/12/update/", {"nav_section": "my-actions"}, {"/my-actions/": "true"}),
        ("/somewhere-else/", {}, {}),
    ],
)
def test_the_navigation_marks_the_current_section(path, context, expected):
    html = render_page(path, officer(), **context)

    current = {href: value for href, value in hrefs_with_current(html).items() if value}
    assert current == expected
    for href in expected:
        assert re.search(
            r'govuk-service-navigation__item--active">\s*'
            rf'<a class="govuk-service-navigation__link" href="{href}"',
            html,
        )


@pytest.mark.django_db
def test_signing_out_is_a_post_and_says_so_on_the_sign_in_page(client):
    signed_in(client)

    response = client.post("/sign-out/", {"next": "/sign-in/?signed_out=1"})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?signed_out=1"

    html = client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "You have signed out" in html
    assert "Sign out" not in html


@pytest.mark.django_db
def test_opening_the_sign_out_address_shows_the_button_and_signs_no_one_out(client):
    signed_in(client)

    response = client.get("/sign-out/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign out</h1>' in html
    form = re.search(r'<form method="post" action="/sign-out/" novalidate>.*?</form>', html, re.S)
    assert form, "the button posts to /sign-out/"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert 'value="/sign-in/?signed_out=1"' in form.group(0)
    assert "_auth_user_id" in client.session  # still signed in

    client.post("/sign-out/")
    assert client.get("/sign-out/")["Location"] == "/sign-in/"


@pytest.mark.django_db
def test_signing_out_without_next_goes_to_sign_in(client):
    signed_in(client)

    response = client.post("/sign-out/")

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/"


@pytest.mark.django_db
def test_signed_in_people_who_open_sign_in_go_to_the_dashboard(client):
    signed_in(client)

    response = client.get("/sign-in/")

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_messages_show_as_notification_banners():
    messages = [
        Message(message_levels.SUCCESS, "Progress update saved"),
        Message(message_levels.INFO, "Updates are due by 31 January"),
    ]

    html = render_page("/", UserFactory(), messages=messages)

    success, info = re.findall(r'<div class="govuk-notification-banner(?: [^"]*)?"[^>]*>', html)
    assert "govuk-notification-banner--success" in success
    assert 'role="alert"' in success
    assert "govuk-notification-banner--success" not in info
    assert 'role="region"' in info
    assert "Progress update saved" in html
    assert "Updates are due by 31 January" in html
    ids = re.findall(r'aria-labelledby="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 2
    for banner_id in ids:
        assert f'id="{banner_id}"' in html


def test_the_footer_is_the_councils_without_crown_or_licence():
    html = render_page("/")

    footer = re.search(r'<footer class="govuk-template__footer">.*?</footer>', html, re.S).group(0)
    assert "© Croydon Council" in footer
    for text in GOV_UK_ONLY:
        assert text not in footer


# --- Form templates --------------------------------------------------------------


class ExampleForm(forms.Form):
    title = forms.CharField(help_text="A short name.")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    rag = forms.ChoiceField(choices=[("red", "Red"), ("green", "Green")], label="RAG")
    status = forms.ChoiceField(
        choices=[("not_started", "Not started"), ("complete", "Complete")],
        widget=forms.RadioSelect,
        help_text="Choose one.",
    )
    divisions = forms.MultipleChoiceField(
        choices=[("a", "Early help"), ("b", "Education")],
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(label="I have checked it", help_text="Tick to confirm.")
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)


def group_for(html, marker):
    """The form group (outermost div) that contains `marker`."""
    groups = re.split(r'(?=<div class="govuk-form-group)', html)
    found = [group for group in groups if marker in group]
    assert len(found) == 1, marker
    return found[0]


def test_an_unbound_form_renders_gov_uk_markup_with_hints_described():
    html = str(ExampleForm())

    title = group_for(html, 'name="title"')
    assert '<label class="govuk-label govuk-label--s" for="id_title">Title</label>' in title
    assert '<div class="govuk-hint" id="id_title_helptext">A short name.</div>' in title
    assert 'aria-describedby="id_title_helptext"' in title
    assert 'class="govuk-input"' in title
    assert "govuk-form-group--error" not in html
    assert "govuk-error-message" not in html

    notes = group_for(html, 'name="notes"')
    assert "Notes (optional)</label>" in notes
    assert 'class="govuk-textarea"' in notes

    rag = group_for(html, 'name="rag"')
    assert '<select name="rag" class="govuk-select"' in rag

    due = group_for(html, 'name="due"')
    assert 'type="date"' in due
    assert "govuk-input govuk-input--width-10" in due

    assert '<input type="hidden" name="secret"' in html
    assert "Secret" not in html


def test_radios_and_checkbox_groups_are_fieldsets_with_a_legend():
    html = str(ExampleForm())

    status = group_for(html, 'name="status"')
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_status_helptext">' in status
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Status</legend>' in (
        status
    )
    assert '<div class="govuk-radios" data-module="govuk-radios">' in status
    assert (
        '<input class="govuk-radios__input" id="id_status_0" name="status" type="radio" '
        'value="not_started">'
    ) in status
    assert '<label class="govuk-label govuk-radios__label" for="id_status_0">Not started' in status

    divisions = group_for(html, 'name="divisions"')
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in divisions
    assert 'class="govuk-checkboxes__input" id="id_divisions_1"' in divisions
    assert 'type="checkbox"' in divisions
    assert "<legend" in divisions

    confirm = group_for(html, 'name="confirm"')
    assert "<fieldset" not in confirm
    assert 'class="govuk-checkboxes__input"' in confirm
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_confirm">I have checked it'
        in confirm
    )
    assert 'aria-describedby="id_confirm_helptext"' in confirm


def test_a_bound_form_shows_errors_described_by_the_fields():
    form = ExampleForm(data={"title": "", "status": "", "rag": "purple", "confirm": ""})
    form.add_error(None, "This clashes with another update.")
    html = str(form)

    title = group_for(html, 'name="title"')
    assert 'class="govuk-form-group govuk-form-group--error"' in title
    assert 'aria-describedby="id_title_helptext id_title_error"' in title
    assert 'aria-invalid="true"' in title
    assert "govuk-input govuk-input--error" in title
    assert (
        '<p class="govuk-error-message" id="id_title_error">'
        '<span class="govuk-visually-hidden">Error:</span> Enter title</p>'
    ) in title
    # The hint comes before the error, as GOV.UK lays them out.
    assert title.index("govuk-hint") < title.index("govuk-error-message")

    status = group_for(html, 'name="status"')
    assert 'aria-describedby="id_status_helptext id_status_error"' in status
    assert "Select status" in status

    rag = group_for(html, 'name="rag"')
    assert "govuk-select govuk-select--error" in rag
    assert "Select a valid choice. purple is not one of the available choices." in rag

    confirm = group_for(html, 'name="confirm"')
    assert "Tick I have checked it" in confirm

    assert "This clashes with another update." in html


def test_the_error_summary_links_every_error_to_its_field():
    form = ExampleForm(data={"title": "", "rag": "red"})
    form.add_error(None, "This clashes with another update.")

    html = render_to_string("includes/error_summary.html", {"form": form})

    assert 'data-module="govuk-error-summary"' in html
    assert "There is a problem" in html
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', html)
    assert links == [
        ("id_title", "This clashes with another update."),
        ("id_title", "Enter title"),
        ("id_status_0", "Select status"),
        ("id_divisions_0", "Select divisions"),
        ("id_confirm", "Tick I have checked it"),
    ]


def test_the_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert render_to_string("includes/error_summary.html", {"form": ExampleForm()}).strip() == ""


def test_multi_part_widgets_are_fieldsets_and_errors_link_to_their_first_part():
    class Form(forms.Form):
        starts = forms.SplitDateTimeField(help_text="Day and time.")
        ends_on = forms.DateField(widget=forms.SelectDateWidget(years=[2023, 2024]))

    form = Form(data={})
    html = str(form)

    starts = group_for(html, 'name="starts_0"')
    assert (
        '<fieldset class="govuk-fieldset" aria-describedby="id_starts_helptext id_starts_error">'
        in (starts)
    )
    assert "<legend" in starts
    assert 'class="govuk-input govuk-input--error"' in starts
    ends_on = group_for(html, 'name="ends_on_year"')
    assert 'class="govuk-select govuk-select--error"' in ends_on

    summary = render_to_string("includes/error_summary.html", {"form": form})
    assert 'href="#id_starts_0"' in summary
    assert 'href="#id_ends_on_day"' in summary


def test_a_widgets_own_classes_are_kept():
    class Form(forms.Form):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))

    html = str(Form())

    assert 'class="govuk-input govuk-input--width-10"' in html


@pytest.mark.django_db
def test_passwords_get_gov_uks_show_password_button(client):
    html = client.get("/sign-in/").content.decode()

    group = group_for(html, 'name="password"')
    assert 'class="govuk-form-group govuk-password-input" data-module="govuk-password-input"' in (
        group
    )
    assert "govuk-input govuk-password-input__input govuk-js-password-input-input" in group
    assert 'aria-controls="id_password"' in group
    # The button is hidden until GOV.UK Frontend's JavaScript shows it.
    assert re.search(r"<button [^>]*hidden>Show</button>", group)


# --- RAG tags, dates and pagination ----------------------------------------------


@pytest.mark.parametrize(
    ("rag", "status", "word", "colour"),
    [
        ("red", "in_progress", "Red", "govuk-tag--red"),
        ("amber", "in_progress", "Amber", "govuk-tag--yellow"),
        ("green", "not_started", "Green", "govuk-tag--green"),
        ("Green", "In progress", "Green", "govuk-tag--green"),
        ("", "in_progress", "Not rated", "govuk-tag--grey"),
        (None, None, "Not rated", "govuk-tag--grey"),
        ("red", "complete", "Complete", "app-rag--complete"),
        ("green", "Complete", "Complete", "app-rag--complete"),
        ("amber", "closed", "Closed / superseded", "govuk-tag--grey"),
    ],
)
def test_rag_tags_always_say_the_word(rag, status, word, colour):
    html = render_to_string("includes/rag_tag.html", {"rag": rag, "status": status})

    tag = re.fullmatch(r'<strong class="govuk-tag ([^"]+)">([^<]+)</strong>', html.strip())
    assert tag, html
    assert tag.group(2) == word
    assert colour in tag.group(1).split()


def test_the_rag_tag_tag_shows_the_date_gov_uk_style():
    html = Template("{% load cypeplan %}{% rag_tag 'amber' 'in_progress' when %}").render(
        Context({"when": date(2023, 3, 31)})
    )

    assert ">Amber</strong>" in html
    assert '<span class="app-rag__date">as at 31 March 2023</span>' in html


def test_rag_tag_colours_are_gov_uk_tag_colours_that_pass_aa_contrast():
    css = (BUILD / "application.css").read_text()

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for rag, status in [("red", ""), ("amber", ""), ("green", ""), ("", ""), ("", "complete")]:
        classes = rag_tag_parts(rag, status)["classes"].split()
        modifier = next((c for c in classes if c.startswith("govuk-tag--")), None)
        selector = re.escape(f".{modifier}" if modifier else ".govuk-tag")
        rule = re.search(selector + r"\{color:(#[0-9a-f]{6});background-color:(#[0-9a-f]{6})", css)
        assert rule, selector
        lighter, darker = sorted(map(luminance, rule.groups()), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (rag, status)


def test_govuk_date():
    assert govuk_date(date(2023, 3, 31)) == "31 March 2023"
    assert govuk_date(date(2023, 4, 1)) == "1 April 2023"
    assert govuk_date(None) == ""


@pytest.mark.parametrize("form", ["j F Y", "j M Y", "D j M Y", "F Y"])
def test_a_day_is_written_as_djangos_date_filter_writes_it_in_each_language(form):
    days = [date(2023, 3, 31), date(2024, 2, 29), date(2021, 12, 1)]
    for language in ("en-gb", "fr", "en-gb"):
        with translation.override(language):
            for day in days:
                assert day_in_words(day, form) == date_filter(day, form), (language, day)
    with translation.override("fr"):
        assert day_in_words(date(2023, 3, 31), "j F Y") == "31 mars 2023"


# Short, exactly the length, one over, decomposed accents (NFD: "e" + combining acute),
# combining marks that don't count towards the length, and no text at all.
TEXTS = [
    "Improve timeliness of assessments",
    "x" * 160,
    "x" * 161,
    "Re\u0301sume\u0301 of the Ofsted visit",
    "Re\u0301sume\u0301 of the Ofsted visit " * 6,
    "a\u0301" * 160,
    "Ro\u0301isi\u0301n " * 40,
    "",
]


@pytest.mark.parametrize("length", [0, 1, 60, 140, 160])
def test_shortened_text_is_what_djangos_truncatechars_gives(length):
    for text in TEXTS:
        for value in (text, mark_safe(text)):
            mine, django = shortened(value, length), truncatechars(value, length)
            assert mine == django, (text[:20], length)
            assert isinstance(mine, SafeString) == isinstance(django, SafeString)
    assert shortened("x" * 161, 160) == "x" * 159 + "…"


def test_a_tag_names_the_same_choice_by_its_value_its_label_or_its_member():
    named = [
        ("red", "in_progress"),
        ("Red", "In progress"),
        (RAG.RED, Status.IN_PROGRESS),
        (" red ", "in progress"),
    ]
    for rag, status in named:
        assert rag_tag_parts(rag, status)["label"] == "Red"
    assert rag_tag_parts("amber", "complete")["label"] == "Complete"
    assert rag_tag_parts("Amber", "Not started")["key"] == "amber"
    assert rag_tag_parts("purple", "")["key"] == ""


@pytest.mark.django_db
def test_a_list_formats_each_day_once_however_many_rows_show_it():
    _day_in_words.cache_clear()
    template = Template(
        "{% load cypeplan %}{% for row in rows %}{% due_date row %} "
        "{% rag_tag 'red' 'in_progress' row.due_on %}{% endfor %}"
    )
    rows = [
        SimpleNamespace(due_on=date(2024, 3, 31), original_due_on=date(2023, 12, 31))
        for _ in range(200)
    ]

    html = template.render(Context({"rows": rows}))

    assert html.count("31 Mar 2024") == 200
    assert html.count("as at 31 March 2024") == 200
    assert html.count("the plan said 31 Dec 2023") == 200
    info = _day_in_words.cache_info()
    assert (info.misses, info.hits) == (3, 597)


@pytest.mark.django_db
def test_pagination_keeps_the_other_query_parameters():
    page = Paginator(list(range(100)), 10).get_page(5)
    request = RequestFactory().get("/actions/", {"theme": "3", "page": "5"})

    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)

    assert '<nav class="govuk-pagination" aria-label="Pagination">' in html
    assert 'href="?theme=3&amp;page=4" rel="prev"' in html
    assert 'href="?theme=3&amp;page=6" rel="next"' in html
    assert 'href="?theme=3&amp;page=5" aria-label="Page 5" aria-current="page">5</a>' in html
    assert 'aria-label="Page 1"' in html
    assert 'aria-label="Page 10"' in html
    assert "govuk-pagination__item--ellipsis" in html
    assert 'aria-label="Page 2"' not in html


def test_pagination_is_hidden_for_a_single_page():
    page = Paginator([1, 2], 10).get_page(1)
    request = RequestFactory().get("/actions/")

    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)

    assert html.strip() == ""


def test_the_back_link_is_a_real_link():
    html = render_to_string("includes/back_link.html", {"href": "/actions/"})

    assert '<a href="/actions/" class="govuk-back-link">Back</a>' in html


def test_every_back_link_is_the_one_include():
    """A back link's markup (the link, and the landmark it sits in) is written once: each
    page includes includes/back_link.html, so a change to it reaches every page."""
    written_out = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "govuk-back-link" in path.read_text() and path.name != "back_link.html"
    ]

    assert written_out == []


# --- The build -------------------------------------------------------------------


def built(name):
    path = BUILD / name
    assert path.exists(), f"{path} is missing: build it with `make static`"
    return path


def test_the_built_stylesheet_uses_arial_and_nothing_of_gov_uks_own():
    css = built("application.css").read_text()

    assert "font-family:arial,sans-serif" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "url(" not in css  # no font files, no crest image
    assert "crown" not in css.lower()
    assert "crest" not in css.lower()
    assert ".govuk-header" not in css
    assert "@media print" in css


def test_the_gov_uk_frontend_javascript_is_copied_beside_it():
    bundle = built("govuk-frontend.min.js").read_text()
    own = (ROOT / "static" / "js" / "application.js").read_text()

    assert "initAll" in bundle
    assert built("govuk-frontend.min.js.map").exists()
    assert 'import { initAll } from "../build/govuk-frontend.min.js";' in own


def test_front_end_packages_are_pinned_exactly():
    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())

    assert package["dependencies"] == {"govuk-frontend": "6.6.0"}
    assert package["devDependencies"]["axe-core"] == "4.14.1"
    for name, version in {**package["dependencies"], **package["devDependencies"]}.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), name
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_no_template_holds_a_control_character():
    # A "\a\t" typed into a date format once became a real BEL and tab, shown as a gap in
    # "Entered 1 December 2026  00:39" where "at" belonged.
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
    found = [
        f"{path}:{number}"
        for path in sorted(Path(__file__).resolve().parent.parent.joinpath("templates").rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".css", ".xml"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if control.search(line)
    ]

    assert found == []
