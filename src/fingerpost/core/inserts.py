"""Writing a new row without building an ORM query each time.

`Model.save()` on a new object builds and compiles an INSERT (a query, a
compiler, the placeholders, the quoting) every time. The hot inserts of a
booking (the booking, its email in the outbox, the audit entry) run while
the event's row is locked, so every other booker of the event waits for
that work. `insert(obj)` writes the same row with the statement compiled
once per model and database, and only the values worked out per call.

It does so only for a plain model: no pre_save or post_save receivers, no
parent model, no database defaults or other columns read back, and no
primary key set beforehand. Anything else goes through `save()`, so the
row written is always the one `save()` would write.
"""

from typing import TypeVar

from django.db import connections, router
from django.db.models import Model
from django.db.models.fields import NOT_PROVIDED, Field
from django.db.models.signals import post_save, pre_save

M = TypeVar("M", bound=Model)

# (model, database alias) -> (SQL, fields given values, reads the id back), or
# None when the model must be saved the ordinary way.
_compiled: dict[tuple[type[Model], str], tuple[str, list[Field], bool] | None] = {}


def _is_plain(model: type[Model]) -> bool:
    meta = model._meta
    return (
        not meta.parents
        and meta.auto_field is not None
        and meta.pk is meta.auto_field
        and list(meta.db_returning_fields) == [meta.pk]
        and all(field.db_default is NOT_PROVIDED for field in meta.concrete_fields)
    )


def _statement(model: type[Model], alias: str) -> tuple[str, list[Field], bool] | None:
    key = (model, alias)
    if key in _compiled:
        return _compiled[key]
    found = None
    if _is_plain(model):
        connection = connections[alias]
        meta = model._meta
        quote = connection.ops.quote_name
        fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
        columns = ", ".join(quote(str(f.column)) for f in fields)
        values = ", ".join(["%s"] * len(fields))
        # Quoted names from the model and placeholders: no value is in the text.
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
        returning = bool(connection.features.can_return_columns_from_insert)
        if returning:
            # Each backend that can return columns has this (not the base class).
            returning_sql, _ = connection.ops.return_insert_columns([meta.pk])  # type: ignore[attr-defined]
            sql = f"{sql} {returning_sql}"
        found = (sql, fields, returning)
    _compiled[key] = found
    return found


def insert(obj: M) -> M:
    """Write `obj` as a new row, as `obj.save()` would, and return it."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    compiled = _statement(model, alias)
    # Receivers can be connected at any time (tests do), so asked each call.
    if (
        compiled is None
        or obj.pk is not None
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
    ):
        obj.save(using=alias)
        return obj
    sql, fields, returning = compiled
    connection = connections[alias]
    # What save() checks first: no unsaved related object, the ids copied.
    obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    values = [field.pre_save(obj, True) for field in fields]
    if any(hasattr(value, "resolve_expression") for value in values):
        obj.save(using=alias)  # an expression needs the compiler
        return obj
    params = [
        field.get_db_prep_save(value, connection=connection)
        for field, value in zip(fields, values, strict=True)
    ]
    pk_field = model._meta.pk
    assert pk_field is not None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning:
            pk = cursor.fetchone()[0]
        else:
            pk = connection.ops.last_insert_id(cursor, model._meta.db_table, str(pk_field.column))
    for converter in pk_field.get_db_converters(connection):
        pk = converter(pk, pk_field, connection)
    setattr(obj, pk_field.attname, pk)
    obj._state.adding = False
    obj._state.db = alias
    return obj
