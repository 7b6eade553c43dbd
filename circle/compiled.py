"""
Reads that a page makes on every request, built and compiled by the ORM once per database
connection, then run with each request's values. Building and compiling a queryset with a few
joins costs about a millisecond of CPU, ten times running it; the SQL is the same every time.

    LESSON = CompiledRead(
        lambda p: Lesson.objects.filter(slug=p.slug, module__course__slug=p.course)
        .values_list("pk", "title"),
        slug=str, course=str,
    )
    rows = LESSON(slug="one", course="circle")       # [(1, "Lesson one")]

The queryset is an ordinary one (values_list, so rows come back as tuples, through the ORM's
own converters and in the order asked). `p.name` stands for a value given at run time: while
compiling it is a probe, a value no real request carries, and its place among the query's
parameters is where that name's value goes. A query whose SQL depends on a value (a list's
length, None) cannot be compiled this way; pass such a value as part of `shape`, which keys a
compiled query of its own: `LESSON(shape=("es",), ...)` calls `build(p, "es")`. Each call
gives exactly the values its query uses.

An UPDATE that every request makes (the visit's "last seen") is compiled the same way:

    SEEN = CompiledUpdate(
        lambda p: (LessonProgress.objects.filter(pk=p.pk), {"last_seen_at": p.now}),
        pk=int, now=datetime.datetime,
    )
    SEEN(pk=7, now=timezone.now())                   # 1, the rows updated
"""

import datetime
import itertools

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery

_PROBES = {
    int: lambda index: -1_000_000_007 - index,
    str: lambda index: f"\x00probe-{index}",
    datetime.date: lambda index: datetime.date(1901, 1, 1) + datetime.timedelta(days=index),
    datetime.datetime: lambda index: (
        datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=index)
    ),
}


class _Probes:
    def __init__(self, kinds):
        self.values = {
            name: _PROBES[kind](index) for index, (name, kind) in enumerate(kinds.items())
        }

    def __getattr__(self, name):
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


class _Compiled:
    def __init__(self, query, connection, probes, kinds):
        compiler = query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        adapt = {
            int: lambda value: value,
            str: lambda value: value,
            datetime.date: connection.ops.adapt_datefield_value,
            datetime.datetime: connection.ops.adapt_datetimefield_value,
        }
        self.adapt = {name: adapt[kind] for name, kind in kinds.items()}
        slots = {}
        for name, probe in probes.values.items():
            slots[probe] = name
            slots[self.adapt[name](probe)] = name
        # Each parameter: a name whose value goes there, or a constant of the query's own.
        self.params = [(slots.get(param) if _hashable(param) else None, param) for param in params]
        self.names = {name for name, _ in self.params if name}
        self.compiler = compiler
        self.writes = isinstance(query, UpdateQuery)
        if self.writes:
            return
        # Columns selected only for ordering come after these, as in SQLCompiler.execute_sql.
        self.width = compiler.col_count if compiler.has_extra_select else None
        # The ORM's own converters (SQLite's dates, JSON...), as SQLCompiler.results_iter.
        columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(columns)

    def run(self, connection, values):
        params = [
            self.adapt[name](values[name]) if name else constant for name, constant in self.params
        ]
        if self.writes:
            # As QuerySet.update: a failed write inside atomic() spoils the transaction.
            with (
                transaction.mark_for_rollback_on_error(using=connection.alias),
                connection.cursor() as cursor,
            ):
                cursor.execute(self.sql, params)
                return cursor.rowcount
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.width is not None:
            rows = [row[: self.width] for row in rows]
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


# Where each connection keeps its compiled queries.
_KEPT = "_circle_compiled_reads"


def compiled_forget(connection):
    """Drop the queries compiled on `connection`: each is built again when next called."""
    connection.__dict__.pop(_KEPT, None)


# Each read's own number, never given twice in a process: a connection keeps its compiled
# queries under it. (Not id(): a read freed and a new one made could share an id and run the
# other's query.)
_NUMBERS = itertools.count()


class CompiledRead:
    def __init__(self, build, **kinds):
        self.build = build
        self.kinds = kinds
        self.number = next(_NUMBERS)

    def query(self, probes, shape):
        return self.build(probes, *shape).query

    def __call__(self, *, shape=(), using=DEFAULT_DB_ALIAS, **values):
        connection = connections[using]
        found = connection.__dict__.setdefault(_KEPT, {})
        compiled = found.get((self.number, shape))
        if compiled is None:
            probes = _Probes(self.kinds)
            compiled = found[(self.number, shape)] = _Compiled(
                self.query(probes, shape), connection, probes, self.kinds
            )
        if set(values) != compiled.names:
            # A value the query does not use, or one it needs and did not get.
            raise TypeError(f"This query takes {sorted(compiled.names)}, not {sorted(values)}.")
        return compiled.run(connection, values)


class CompiledUpdate(CompiledRead):
    """
    An UPDATE of the rows of a queryset, compiled once per connection like a read: `build`
    returns (queryset, {field name: value}), as for queryset.update(**values); a call returns
    the number of rows updated. Only for rows whose saves need nothing of the model's own
    (a queryset whose update() does more, as courses' content does, is refused).
    """

    def query(self, probes, shape):
        queryset, values = self.build(probes, *shape)
        if type(queryset).update is not QuerySet.update:
            # Its update() does more than the UPDATE (courses' content raises its version).
            raise TypeError(f"{type(queryset).__name__}.update() cannot be compiled.")
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        query.clear_select_clause()  # as QuerySet.update
        if query.related_updates:
            raise TypeError("An UPDATE of a parent model's fields as well cannot be compiled.")
        return query


# Model rows, as select_related reads them: the fields of each model in turn, one row each.


def fields_of(model):
    """A model's concrete fields by attname, in the order Model.from_db takes them."""
    return [field.attname for field in model._meta.concrete_fields]


def columns(model, path=""):
    """The values_list() names of a model's fields, reached through `path` ("module__")."""
    return [f"{path}{name}" for name in fields_of(model)]


def from_row(row, *models, using=DEFAULT_DB_ALIAS):
    """
    One instance of each of `models` from a row that holds columns(model) of each in turn,
    then what is left of the row (annotations read after them).
    """
    found, at = [], 0
    for model in models:
        names = fields_of(model)
        found.append(model.from_db(using, names, row[at : at + len(names)]))
        at += len(names)
    return (*found, row[at:])


def cache_related(obj, name, related):
    """Set `obj.<name>` to an instance already read, as select_related does (no query)."""
    obj._meta.get_field(name).set_cached_value(obj, related)
