import pytest


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    """Speed-only settings: a fast password hasher and plain static file storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Django's test client signs in without a request, which django-axes needs; the
    # lockout has its own test that turns it back on.
    settings.AXES_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
