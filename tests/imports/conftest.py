import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from actions import roles
from tests.factories import UserFactory


@pytest.fixture
def administrator(db):
    user = UserFactory(username="administrator", first_name="Pat", last_name="Admin")
    user.groups.add(Group.objects.get(name=roles.PLAN_ADMINISTRATORS))
    return user


def sheet_rows(data):
    """The first sheet of an .xlsx as lists of cell values."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def edited(data, edit):
    """The workbook with `edit(sheet)` applied, as bytes."""
    book = load_workbook(io.BytesIO(data))
    edit(book.worksheets[0])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
