"""`create_demo_accounts`: three ready-to-use accounts for a local run, safe to run again."""

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def development(settings):
    settings.DEBUG = True  # pytest-django turns DEBUG off; `make run` runs with it on


def test_it_creates_a_parent_a_facilitator_and_an_admin_with_printed_passwords(capsys):
    call_command("create_demo_accounts")
    out = capsys.readouterr().out
    parent = User.objects.get(email="parent@example.com")
    facilitator = User.objects.get(email="facilitator@example.com")
    admin = User.objects.get(email="admin@example.com")
    assert parent.role == User.Role.PARENT and not parent.is_staff
    assert facilitator.is_facilitator
    assert admin.is_staff and admin.is_superuser
    assert parent.check_password("parent-demo-2026") and "parent-demo-2026" in out
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 3


def test_running_it_again_loses_nothing(capsys):
    call_command("create_demo_accounts")
    parent = User.objects.get(email="parent@example.com")
    parent.set_password("changed-by-the-user-99")
    parent.save()
    call_command("create_demo_accounts")
    assert User.objects.count() == 3
    parent.refresh_from_db()
    assert parent.check_password("changed-by-the-user-99")
    assert "left unchanged" in capsys.readouterr().out


def test_it_refuses_in_production_mode(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing"):
        call_command("create_demo_accounts")
    assert not User.objects.exists()
