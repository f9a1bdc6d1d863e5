"""Querysets of a fixed shape, compiled to SQL once and run with new values: what the ORM returns, cheaper.

Building and compiling a queryset costs Python far more than the database takes to answer a
small indexed query: the roles every signed-in page reads took 1.1 ms to build and 0.5 ms to
compile, against 0.3 ms in PostgreSQL; a list of mandates with their people, channel, platform
and unit took 4.4 ms of a 5 ms query (docs/performance.md, "Pages (issue 15)"). A
``PreparedQuery`` builds its queryset once per shape, from the same queryset methods every
other caller uses (the rule stays in its one place), with stand-in values for its parameters,
compiles it, notes where each stand-in landed among the SQL's parameters, and from then on
binds the real values, executes the SQL and hands back what the ORM would:

- a queryset of model instances: the instances as ``ModelIterable`` makes them, with the
  related objects of ``select_related``, the annotations and the database's converters;
- a ``values_list()`` queryset (fields, annotations, a ``union()``): tuples in the order asked
  for, converted as the ORM converts them (a date is a date on SQLite too).

Parameters, by type:

- ``int``, ``str``, ``datetime.date``, ``datetime.datetime``: one value, a stand-in at compile time;
- ``INTS``: a list of ints (``pk__in``), compiled once per length so that each value is a
  parameter of its own (duplicates dropped and the list sorted, as the ORM's ``IN``);
- ``KEY``: a value passed to *build* as it is (a limit, a page's offset): one compiled query
  per value, the last ``MAX_SHAPES`` kept.

A value computed from a stand-in (a day plus 30 days) would stay in the compiled SQL for good:
a date or datetime of the stand-ins' year among the constants is refused when compiling. So is
a parameter that does not reach the SQL as a parameter of its own. A query whose filters can
match nothing (an empty ``INTS`` list, ``EmptyResultSet``) returns ``[]`` without asking the
database, as the ORM does. No ``prefetch_related``, no ``values()`` dictionaries.
"""

import datetime
import itertools
import re
import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

INTS = "ints"
KEY = "key"
MAX_SHAPES = 64

_STAND_IN_YEAR = 1901
# Stand-ins: values no real row holds, each unique, inside every backend's range for its type.
_STAND_INS = {
    int: lambda n: 2_000_000_000 + n,
    str: lambda n: f"\x1fstand-in-{n}\x1f",
    datetime.date: lambda n: datetime.date(_STAND_IN_YEAR, 1, 1) + datetime.timedelta(days=n),
    datetime.datetime: lambda n: (
        datetime.datetime(_STAND_IN_YEAR, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=n)
    ),
}
_STAND_IN_TEXT = re.compile(rf"{_STAND_IN_YEAR}-\d\d-\d\d")  # a stand-in date as SQLite is given it
_EMPTY = object()  # a shape whose query can have no rows


class PreparedQuery:
    """``PreparedQuery(build, user_id=int, unit_ids=INTS, day=datetime.date)``, then ``query(user_id=4, ...)``.

    *build* takes the named parameters as keyword arguments and returns a queryset of model
    instances or a ``values_list()`` queryset; each call returns a list of what iterating that
    queryset would give.
    """

    def __init__(self, build, **types):
        unsupported = {name: kind for name, kind in types.items() if kind not in (*_STAND_INS, INTS, KEY)}
        if unsupported:
            raise ImproperlyConfigured(f"PreparedQuery parameters of unsupported types: {unsupported}")
        self.build = build
        self.types = types
        self._shapes = OrderedDict()  # (alias, lengths and keys) -> compiled shape
        self._lock = threading.Lock()  # the threads of a worker share the shapes

    def __call__(self, using="default", **values) -> list:
        if set(values) != set(self.types):
            raise TypeError(f"PreparedQuery expects exactly {sorted(self.types)}, got {sorted(values)}")
        values = {name: sorted(set(value)) if self.types[name] == INTS else value for name, value in values.items()}
        shape_key = (using, *((name, self._shape_of(name, value)) for name, value in sorted(values.items())))
        with self._lock:
            shape = self._shapes.get(shape_key)
            if shape is not None:
                self._shapes.move_to_end(shape_key)
        if shape is None:
            shape = self._compile(using, values)
            with self._lock:
                self._shapes[shape_key] = shape
                while len(self._shapes) > MAX_SHAPES:
                    self._shapes.popitem(last=False)
        if shape is _EMPTY:
            return []
        return self._run(connections[using], using, shape, values)

    def _shape_of(self, name, value):
        kind = self.types[name]
        if kind == INTS:
            return len(value)
        if kind == KEY:
            return value
        return None

    def _compile(self, using, values):
        connection = connections[using]
        counter = itertools.count()
        stand_ins, arguments = {}, {}
        for name, kind in self.types.items():
            if kind == KEY:
                arguments[name] = values[name]
            elif kind == INTS:
                arguments[name] = [_STAND_INS[int](next(counter)) for _ in values[name]]
                stand_ins.update({value: (name, i) for i, value in enumerate(arguments[name])})
            else:
                arguments[name] = _STAND_INS[kind](next(counter))
                stand_ins[arguments[name]] = (name, None)
                stand_ins[_adapt(connection, arguments[name])] = (name, None)
        queryset = self.build(**arguments)
        if queryset._prefetch_related_lookups:
            raise ImproperlyConfigured("PreparedQuery: a queryset without prefetch_related")
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _EMPTY
        slots = [(stand_ins.get(value) if _hashable(value) else None, value) for value in params]
        missing = {name for name, _ in stand_ins.values()} - {slot[0] for slot, _ in slots if slot}
        if missing:
            raise ImproperlyConfigured(f"PreparedQuery: {sorted(missing)} did not reach the SQL as parameters")
        derived = [value for slot, value in slots if slot is None and _from_stand_in(value)]
        if derived:
            raise ImproperlyConfigured(f"PreparedQuery: values derived from the stand-ins reached the SQL: {derived}")
        select = compiler.select
        converters = list(compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]).items())
        shape = {"sql": sql, "slots": slots, "converters": converters, "model": None, "order": None}
        if queryset._iterable_class is ValuesListIterable:
            # ValuesListIterable's own reordering: the SQL selects extras, fields, annotations.
            query = queryset.query
            if queryset._fields:
                names = [*query.extra_select, *query.values_select, *query.annotation_select]
                fields = [*queryset._fields, *(f for f in query.annotation_select if f not in queryset._fields)]
                if fields != names:
                    index = {name: i for i, name in enumerate(names)}
                    shape["order"] = [index[field] for field in fields]
            return shape
        if queryset._iterable_class is not ModelIterable:
            raise ImproperlyConfigured("PreparedQuery: a queryset of model instances, or a values_list()")
        klass_info = compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        shape.update(
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[f[0].target.attname for f in select[start:end]],
            related=get_related_populators(klass_info, select, using),
            annotations=list(compiler.annotation_col_map.items()),
        )
        return shape

    def _run(self, connection, using, shape, values):
        params = []
        for slot, constant in shape["slots"]:
            if slot is None:
                params.append(constant)
            else:
                name, index = slot
                params.append(values[name][index] if index is not None else _adapt(connection, values[name]))
        with connection.cursor() as cursor:
            cursor.execute(shape["sql"], params)
            rows = cursor.fetchall()
        converters = shape["converters"]
        if converters:
            rows = [_converted(row, converters, connection) for row in rows]
        model = shape["model"]
        if model is None:
            order = shape["order"]
            return [tuple(row[i] for i in order) for row in rows] if order else [tuple(row) for row in rows]
        start, end, init_list = shape["start"], shape["end"], shape["init_list"]
        related, annotations = shape["related"], shape["annotations"]
        objects = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


def _adapt(connection, value):
    """A date or datetime as the backend is given it (text on SQLite), as the ORM's lookups adapt it."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _from_stand_in(value) -> bool:
    if isinstance(value, datetime.date):
        return value.year == _STAND_IN_YEAR
    return isinstance(value, str) and _STAND_IN_TEXT.match(value) is not None


def _converted(row, converters, connection):
    row = list(row)
    for position, (functions, expression) in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def is_possible_key(value: int) -> bool:
    """Whether *value* can be a row's key (a ``BigAutoField``): one out of range matches no row.

    The ORM answers such a lookup with no rows without asking the database; a prepared query
    binds the value as it is, which the database refuses (SQLite cannot even hold it).
    """
    return 0 < value < 2**63
