"""core/inserts.py: the row written with the statement compiled once is the
row save() writes, field for field; models it cannot write plainly are
saved the ordinary way."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.test.utils import isolate_apps
from django.utils import timezone

from fingerpost.accounts.models import User
from fingerpost.core import inserts
from fingerpost.core.models import AuditEntry, OutboxMessage
from fingerpost.events.models import Booking

from ..factories import EventFactory, UserFactory
from ..querycount import assert_query_count


def _row(model: type[models.Model], pk: object) -> dict[str, object]:
    values = model.objects.filter(pk=pk).values()[0]
    del values[model._meta.pk.attname]
    return values


def _same_row_both_ways(make: Callable[[], models.Model]) -> dict[str, object]:
    """Write make()'s object with save(), read it, delete it, write the same
    object with insert() and read it: the two rows must be equal."""
    saved = make()
    saved.save()
    by_save = _row(type(saved), saved.pk)
    type(saved).objects.filter(pk=saved.pk).delete()
    inserted = inserts.insert(make())
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert inserted._state.adding is False and inserted._state.db == "default"
    by_insert = _row(type(inserted), inserted.pk)
    assert by_insert == by_save
    # What the object says is what was written.
    again = type(inserted).objects.get(pk=inserted.pk)
    for field in type(inserted)._meta.concrete_fields:
        assert getattr(again, field.attname) == getattr(inserted, field.attname), field.name
    return by_insert


@pytest.mark.django_db
def test_a_booking_is_written_as_save_writes_it() -> None:
    event = EventFactory()
    at = timezone.now().replace(microsecond=123456)

    def booking() -> Booking:
        return Booking(
            event=event,
            reference="ABCD2345",
            token="t" * 32,
            name="Zoë O'Brien",
            email="zoe@example.org",
            organisation_name="",
            places=2,
            status="waiting",
            answers={"1": "yes: a ramp", "2": ["a", "b"], "3": None},
            idempotency_key="web:abc",
            queue_position=7,
            offer_expires_at=at + timedelta(hours=1),
            is_walk_in=True,
            created_at=at,
        )

    row = _same_row_both_ways(booking)
    assert row["answers"] == {"1": "yes: a ramp", "2": ["a", "b"], "3": None}
    assert row["confirmed_at"] is None and row["checked_in_at"] is None


@pytest.mark.django_db
def test_an_outbox_email_is_written_as_save_writes_it() -> None:
    at = timezone.now()

    def message() -> OutboxMessage:
        return OutboxMessage(
            channel="email",
            kind="events.confirmation",
            once_key="events:1:confirmation:",
            about_type="booking",
            about_reference="ABCD2345",
            to=["zoe@example.org"],
            subject="Your place is booked",
            renderer="fingerpost.events.notifications.render_booking_email",
            render_args={"booking_id": 1, "kind": "confirmation"},
            attachments=[{"name": "event.ics", "content": "BEGIN:VCALENDAR"}],
            reference="r" * 32,
            next_attempt_at=at,
            queued_at=at,
            created_at=at,
        )

    row = _same_row_both_ways(message)
    assert row["status"] == "pending" and row["to"] == ["zoe@example.org"]


@pytest.mark.django_db
def test_an_audit_entry_is_written_as_save_writes_it() -> None:
    actor = UserFactory()
    at = timezone.now()

    def entry() -> AuditEntry:
        return AuditEntry(
            actor=actor, action="create", subject_type="booking", subject_reference="X", at=at
        )

    assert _same_row_both_ways(entry)["actor_id"] == actor.pk


@pytest.mark.django_db
def test_one_query_and_the_statement_is_compiled_once() -> None:
    inserts._compiled.clear()
    with assert_query_count(1):
        inserts.insert(AuditEntry(action="view", subject_type="booking", subject_reference="A"))
    compiled = inserts._compiled[(AuditEntry, "default")]
    assert compiled is not None and compiled[0].startswith("INSERT INTO")
    inserts.insert(AuditEntry(action="view", subject_type="booking", subject_reference="B"))
    assert inserts._compiled[(AuditEntry, "default")] is compiled
    assert AuditEntry.objects.filter(subject_reference__in=["A", "B"]).count() == 2


def _saved_instead(monkeypatch, model: type[models.Model], real: bool = True) -> list[models.Model]:
    """The objects that went through save() (written, when `real`)."""
    calls: list[models.Model] = []
    original = model.save

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(self)
        return original(self, *args, **kwargs) if real else None

    monkeypatch.setattr(model, "save", save)
    return calls


@pytest.mark.django_db
def test_a_model_with_receivers_is_saved(monkeypatch) -> None:
    # Accounts listen to pre_save (revoking tokens when deactivated).
    assert pre_save.has_listeners(User)
    calls = _saved_instead(monkeypatch, User)
    user = inserts.insert(User(email="someone@example.org", full_name="Someone"))
    assert calls == [user] and user.pk is not None
    # A receiver connected later is honoured too.
    heard: list[object] = []

    def receiver(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
        heard.append(instance)

    post_save.connect(receiver, sender=AuditEntry)
    try:
        entry = inserts.insert(AuditEntry(action="view", subject_type="t", subject_reference="r"))
    finally:
        post_save.disconnect(receiver, sender=AuditEntry)
    assert heard == [entry]


@pytest.mark.django_db
def test_a_row_with_its_id_given_or_an_expression_is_saved(monkeypatch) -> None:
    calls = _saved_instead(monkeypatch, AuditEntry)
    given = inserts.insert(
        AuditEntry(pk=991, action="view", subject_type="t", subject_reference="r")
    )
    expression = inserts.insert(
        AuditEntry(
            action="view",
            subject_type="t",
            subject_reference="r",
            at=models.Value(timezone.now(), output_field=models.DateTimeField()),
        )
    )
    assert calls == [given, expression]
    assert AuditEntry.objects.filter(pk=991).exists()


@isolate_apps("fingerpost.core")
def test_models_with_parents_or_database_defaults_are_saved(monkeypatch) -> None:
    class Place(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    class Library(Place):  # noqa: DJ008
        branch = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    class Counter(models.Model):  # noqa: DJ008
        count = models.IntegerField(db_default=0)

        class Meta:
            app_label = "core"

    class Plain(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"

    assert inserts._statement(Library, "default") is None
    assert inserts._statement(Counter, "default") is None
    assert inserts._statement(Plain, "default") is not None
    for model in (Library, Counter):
        calls = _saved_instead(monkeypatch, model, real=False)
        obj = model()
        inserts.insert(obj)
        assert calls == [obj]
