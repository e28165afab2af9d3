"""A list filter given a number longer than any id answers as the admin answers any lookup
it can't use (?e=1), rather than overflowing in the database."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999", "9" * 500])
def test_a_filter_number_no_id_can_be_is_refused_not_a_server_error(client, value):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x-pw-9876")
    client.force_login(user)
    url = reverse("admin:reports_quarterlyreport_changelist")
    response = client.get(url, {"plan": value})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.django_db
def test_searching_for_a_long_number_still_searches(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x-pw-9876")
    client.force_login(user)
    response = client.get(reverse("admin:actions_action_changelist"), {"q": "99999999999999999999"})
    assert response.status_code == 200
