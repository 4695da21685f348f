import pytest
from django.db import transaction

from fingerpost.core import sms


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("0044 (7700) 900-123", "+447700900123"),
        ("447700900123", "+447700900123"),
        ("01305 123456", ""),
        ("0770090012", ""),
        ("", ""),
        ("call me", ""),
    ],
)
def test_only_uk_mobile_numbers_take_texts(typed: str, number: str) -> None:
    assert sms.mobile_number(typed) == number


@pytest.mark.django_db(transaction=True)
def test_texts_leave_after_commit_and_never_after_a_rollback(sms_outbox) -> None:
    with transaction.atomic():
        assert sms.enqueue_sms(to="07700 900123", body="Hello")
        assert sms_outbox == []
    assert sms_outbox == [{"to": "07700900123", "body": "Hello"}]
    try:
        with transaction.atomic():
            sms.enqueue_sms(to="07700 900999", body="Never sent")
            raise RuntimeError
    except RuntimeError:
        pass
    assert len(sms_outbox) == 1
    assert not sms.enqueue_sms(to="01305 123456", body="Landline")
    with pytest.raises(ValueError, match="306 characters"):
        sms.enqueue_sms(to="07700 900123", body="x" * 307)


def test_notify_backend_sends_the_body_to_the_sms_template(settings, monkeypatch) -> None:
    sent = {}

    class FakeClient:
        def __init__(self, key: str) -> None:
            sent["key"] = key

        def send_sms_notification(self, **kwargs: object) -> None:
            sent.update(kwargs)

    monkeypatch.setattr(
        "notifications_python_client.notifications.NotificationsAPIClient", FakeClient
    )
    settings.GOVUK_NOTIFY_API_KEY = "test-key"
    settings.GOVUK_NOTIFY_SMS_TEMPLATE_ID = "template-1"
    settings.FINGERPOST_SMS_BACKEND = "fingerpost.core.sms.NotifyBackend"
    sms.send(to="+447700900123", body="Hello", reference="ref-1")
    assert sent == {
        "key": "test-key",
        "phone_number": "+447700900123",
        "template_id": "template-1",
        "personalisation": {"body": "Hello"},
        # Notify keeps it: a text whose worker stopped can be looked up, not sent twice.
        "reference": "ref-1",
    }
