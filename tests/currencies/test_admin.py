"""The exchange-rate admin: the rates list, and uploading the ECB's file, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from currencies.models import ExchangeRate
from tests.currencies.files import THREE_DAYS, history, zipped
from tests.factories import UserFactory

UPLOAD = reverse("admin:currencies_exchangerate_upload")
CHANGELIST = reverse("admin:currencies_exchangerate_changelist")


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def staff_client(client, *codenames):
    user = UserFactory(username="stef", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="currencies", codename__in=codenames)
    )
    client.force_login(user)
    return client


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_the_rates_list_links_to_the_upload(admin_client):
    ExchangeRate.objects.create(date=date(2026, 10, 30), currency="USD", rate=Decimal("1.1172"))

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    assert f'href="{UPLOAD}"' in response.content.decode()
    assert admin_client.get(CHANGELIST, {"q": "usd"}).context["cl"].result_count == 1


def test_uploading_the_history_zip_loads_it_and_says_what_it_held(admin_client):
    response = admin_client.post(
        UPLOAD,
        {"file": upload("eurofxref-hist.zip", zipped({"eurofxref-hist.csv": THREE_DAYS}))},
        follow=True,
    )

    assert response.redirect_chain == [(CHANGELIST, 302)]
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        (
            "success",
            "Loaded eurofxref-hist.zip: 7 rates of 3 currencies on 3 days, "
            "from 2026-10-28 to 2026-10-30; 7 new or changed.",
        )
    ]
    assert ExchangeRate.objects.get(date=date(2026, 10, 29), currency="GBP").rate == Decimal(
        "0.83578"
    )


def test_a_bad_file_shows_each_error_on_the_form_and_writes_nothing(admin_client):
    content = history(
        "2026-10-30,1.1172,175.68,0.8338,",
        "2026-10-29,1.113,<b>1</b>,0.83578,",
        "2026-10-28,1.1133,175.86,",
        "2026-10-28,1.1133,175.86,0.83785,",
    )

    response = admin_client.post(UPLOAD, {"file": upload("eurofxref-hist.csv", content)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "line 3, column JPY: “<b>1</b>” is not a rate (a positive number with at most "
        "6 decimals, such as 1.1172).",
        "line 5: 2026-10-28 is already on line 4.",
    ]
    page = response.content.decode()
    assert "line 3, column JPY: “&lt;b&gt;1&lt;/b&gt;” is not a rate" in page
    assert "<b>1</b>" not in page
    assert not ExchangeRate.objects.exists()


def test_a_file_of_another_type_is_refused_by_the_form(admin_client):
    response = admin_client.post(UPLOAD, {"file": upload("rates.xlsx", b"PK\x03\x04")})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "File extension “xlsx” is not allowed. Allowed extensions are: csv, zip."
    ]


def test_the_upload_page_asks_for_a_csv_or_zip_file(admin_client):
    response = admin_client.get(UPLOAD)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'accept=".csv,.zip"' in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.parametrize(
    "codenames",
    [
        (),
        ("view_exchangerate",),
        ("view_exchangerate", "add_exchangerate"),
        ("view_exchangerate", "change_exchangerate"),
    ],
)
def test_uploading_needs_both_the_add_and_the_change_permission(client, db, codenames):
    client = staff_client(client, *codenames)

    assert client.get(UPLOAD).status_code == 403
    response = client.post(UPLOAD, {"file": upload("eurofxref-hist.csv", THREE_DAYS)})

    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()


def test_staff_with_both_permissions_may_upload(client, db):
    client = staff_client(client, "view_exchangerate", "add_exchangerate", "change_exchangerate")

    response = client.post(UPLOAD, {"file": upload("eurofxref-hist.csv", THREE_DAYS)})

    assert response.status_code == 302
    assert ExchangeRate.objects.count() == 7


def test_the_upload_link_is_shown_only_to_those_who_may_upload(client, db):
    client = staff_client(client, "view_exchangerate")

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert UPLOAD not in response.content.decode()
