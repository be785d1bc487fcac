"""Admin for exit notices: a read-only legal record, withdrawn only through notice_withdraw."""

from datetime import date

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission

from contracts.models import ExitNotice
from tests.contracts.factories import ContractFactory
from tests.contracts.test_admin import messages_of, url
from tests.transition.factories import OutsourcedProcessFactory, ReadinessAssessmentFactory
from transition.models import OutsourcedProcess
from transition.resources import ExitNoticeResource
from transition.services import notice_serve, notice_withdraw

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

State = OutsourcedProcess.State
REASON = "The provider cut its price by 20%."


def served(actor, reference="C-NOTICE", names=("Fulfilment", "Returns"), on=date(2026, 11, 2)):
    contract = ContractFactory(reference=reference)
    for name in names:
        ReadinessAssessmentFactory(process=OutsourcedProcessFactory(contract=contract, name=name))
    return notice_serve(actor=actor, contract=contract, served_on=on)


@pytest.fixture
def notice(admin_user):
    return served(admin_user)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_the_list_shows_the_record_and_filters_what_is_in_force(admin_client, admin_user, notice):
    old = served(admin_user, reference="C-OLD", names=("Payroll",))
    notice_withdraw(actor=admin_user, notice=old, reason=REASON)

    response = admin_client.get(url(ExitNotice, "changelist"))

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {notice, old}
    page = response.content.decode()
    assert "C-NOTICE" in page
    assert "The whole contract" in page
    in_force = admin_client.get(url(ExitNotice, "changelist"), {"in_force": "yes"})
    assert list(in_force.context["cl"].result_list) == [notice]
    withdrawn = admin_client.get(url(ExitNotice, "changelist"), {"in_force": "no"})
    assert list(withdrawn.context["cl"].result_list) == [old]
    found = admin_client.get(url(ExitNotice, "changelist"), {"q": "C-OLD"})
    assert list(found.context["cl"].result_list) == [old]


def test_the_notice_page_is_read_only_and_lists_its_processes(admin_client, notice):
    response = admin_client.get(url(ExitNotice, "change", notice.pk))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    page = response.content.decode()
    assert "Fulfilment" in page
    assert "Returns" in page
    assert url(ExitNotice, "withdraw", notice.pk) in page
    assert admin_client.post(url(ExitNotice, "change", notice.pk), {"note": "x"}).status_code == 403
    assert fresh(notice).note == ""


def test_notices_cannot_be_added_or_deleted_in_the_admin(admin_client, notice):
    assert admin_client.get(url(ExitNotice, "add")).status_code == 403
    assert (
        admin_client.post(url(ExitNotice, "delete", notice.pk), {"post": "yes"}).status_code == 403
    )
    actions = site._registry[ExitNotice].get_actions(
        admin_client.get(url(ExitNotice, "changelist")).wsgi_request
    )
    assert "delete_selected" not in actions
    assert "withdraw_notices" in actions
    assert ExitNotice.objects.filter(pk=notice.pk).exists()


def test_the_history_can_be_read_but_not_reverted(admin_client, notice):
    assert admin_client.get(url(ExitNotice, "history", notice.pk)).status_code == 200
    first = notice.history.earliest()
    revert = url(ExitNotice, "simple_history", notice.pk, first.history_id)

    assert admin_client.get(revert).status_code == 200
    assert admin_client.post(revert, {"note": "rewritten"}).status_code == 403
    assert fresh(notice).note == ""


def test_the_button_asks_for_a_reason_and_whether_the_provider_agreed(admin_client, notice):
    response = admin_client.get(url(ExitNotice, "withdraw", notice.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="reason"' in page
    assert 'name="provider_agreed"' in page
    assert fresh(notice).is_active


def test_the_button_withdraws_through_the_service(admin_client, admin_user, notice):
    response = admin_client.post(
        url(ExitNotice, "withdraw", notice.pk),
        {"reason": REASON, "provider_agreed": "true", "withdrawn_on": "2026-11-20"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url(ExitNotice, "change", notice.pk)
    assert messages_of(response)[0][0] == "success"
    notice = fresh(notice)
    assert (notice.withdrawn_on, notice.withdrawal_reason, notice.provider_agreed) == (
        date(2026, 11, 20),
        REASON,
        True,
    )
    assert notice.withdrawn_by == admin_user
    assert set(OutsourcedProcess.objects.values_list("state", flat=True)) == {State.OUTSOURCED}
    assert (
        url(ExitNotice, "withdraw", notice.pk)
        not in admin_client.get(url(ExitNotice, "change", notice.pk)).content.decode()
    )


def test_the_button_without_a_reason_shows_the_form_again(admin_client, notice):
    response = admin_client.post(url(ExitNotice, "withdraw", notice.pk), {"reason": " "})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert fresh(notice).is_active


def test_the_services_refusal_is_shown_on_the_form(admin_client, notice):
    moving = OutsourcedProcess.objects.get(name="Returns")
    OutsourcedProcess.objects.filter(pk=moving.pk).update(state=State.TRANSITION)

    response = admin_client.post(url(ExitNotice, "withdraw", notice.pk), {"reason": REASON})

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any("Returns: “Withdraw notice” is possible only from Exit notice" in e for e in errors)
    assert fresh(notice).is_active
    assert OutsourcedProcess.objects.get(name="Fulfilment").state == State.EXIT_NOTICE


def test_a_withdrawal_dated_before_the_notice_is_refused_on_the_date(admin_client, notice):
    response = admin_client.post(
        url(ExitNotice, "withdraw", notice.pk), {"reason": REASON, "withdrawn_on": "2026-10-01"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["withdrawn_on"]
    assert fresh(notice).is_active


def test_the_action_asks_first_then_withdraws_each_selected_notice(
    admin_client, admin_user, notice
):
    other = served(admin_user, reference="C-OTHER", names=("Payroll",))
    changelist = url(ExitNotice, "changelist")
    selected = {"action": "withdraw_notices", "_selected_action": [notice.pk, other.pk]}

    asked = admin_client.post(changelist, selected)
    assert asked.status_code == 200
    assert "admin/contracts/exitnotice/withdraw.html" in [t.name for t in asked.templates]
    assert fresh(notice).is_active

    response = admin_client.post(
        changelist,
        {**selected, "apply": "1", "reason": REASON, "provider_agreed": "false"},
        follow=True,
    )

    assert [level for level, _text in messages_of(response)] == ["success"]
    for each in (notice, other):
        each = fresh(each)
        assert not each.is_active
        assert each.provider_agreed is False
    assert set(OutsourcedProcess.objects.values_list("state", flat=True)) == {State.OUTSOURCED}


def test_the_action_reports_a_notice_already_withdrawn(admin_client, admin_user, notice):
    notice_withdraw(actor=admin_user, notice=notice, reason="Earlier")

    response = admin_client.post(
        url(ExitNotice, "changelist"),
        {
            "action": "withdraw_notices",
            "_selected_action": [notice.pk],
            "apply": "1",
            "reason": REASON,
        },
        follow=True,
    )

    [(level, text)] = messages_of(response)
    assert level == "warning"
    assert "was not withdrawn" in text
    assert "already withdrawn" in text
    assert fresh(notice).withdrawal_reason == "Earlier"


@pytest.mark.parametrize("role", ["viewer", "project_lead"])
def test_staff_without_the_withdraw_right_read_but_cannot_withdraw(client, request, role, notice):
    user = request.getfixturevalue(role)
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_exitnotice"))
    client.force_login(user)

    assert client.get(url(ExitNotice, "changelist")).status_code == 200
    page = client.get(url(ExitNotice, "change", notice.pk))
    assert page.status_code == 200
    assert url(ExitNotice, "withdraw", notice.pk) not in page.content.decode()
    assert "withdraw_notices" not in site._registry[ExitNotice].get_actions(page.wsgi_request)
    response = client.post(url(ExitNotice, "withdraw", notice.pk), {"reason": REASON})
    assert response.status_code == 403
    assert fresh(notice).is_active


def test_the_admin_exports_with_the_import_columns():
    assert site._registry[ExitNotice].resource_classes == [ExitNoticeResource]
