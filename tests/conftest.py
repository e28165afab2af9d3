import pytest


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    """Speed-only settings: a fast password hasher and plain static file storage."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
