import pytest
from django.test import RequestFactory

from actions import hooks


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(hooks, "_panels", hooks.defaultdict(list))


def test_panels_show_in_registration_order_and_skip_empty_ones(clean_registry):
    hooks.register_panel("dashboard", lambda request, **context: "<p>first</p>")
    hooks.register_panel("dashboard", lambda request, **context: "")
    hooks.register_panel("dashboard", lambda request, **context: f"<p>{context['as_at']}</p>")
    shown = hooks.panels("dashboard", RequestFactory().get("/"), as_at="2022-09-30")
    assert shown == ["<p>first</p>", "<p>2022-09-30</p>"]
    assert hooks.panels("action_detail", RequestFactory().get("/")) == []


def test_a_panel_registered_twice_shows_once(clean_registry):
    def panel(request, **context):
        return "<p>once</p>"

    hooks.register_panel("my_actions", panel)
    hooks.register_panel("my_actions", panel)
    assert hooks.panels("my_actions", RequestFactory().get("/")) == ["<p>once</p>"]


def test_an_unknown_place_is_refused(clean_registry):
    with pytest.raises(ValueError, match="No page place called 'sidebar'"):
        hooks.register_panel("sidebar", lambda request, **context: "")
