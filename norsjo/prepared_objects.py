"""Model querysets of a fixed shape, compiled once per shape and run with new values: model instances back.

``norsjo.prepared.PreparedQuery`` does this for ``values_list()`` rows. The screens that list
model instances (a list of mandates with their people, channel, platform and unit) pay more:
building such a queryset (``select_related``, ``only``, the rule's filters, an ``Exists``
annotation) and compiling it took 4.4 ms of a 5 ms query on this machine, against 0.6 ms for
PostgreSQL to answer (issue 15, the mandate pages). A ``PreparedObjects`` builds its
queryset once from the same queryset methods every other caller uses (the rule stays in its
one place), with stand-ins for the values that change from request to request, compiles it,
notes where each stand-in landed among the SQL's parameters, and from then on binds the real
values, executes the SQL and makes the instances as ``QuerySet`` does (``ModelIterable``):
the related objects of ``select_related``, the annotations, and the database's converters.

Parameters:

- ``int`` and ``str``: one value, a stand-in at compile time;
- ``INTS``: a list of ints (``pk__in``); compiled once per length, so that each value is a
  parameter of its own (duplicates are dropped and the list is sorted, as the ORM's ``IN``
  drops them);
- ``KEY``: a value passed to *build* as it is (a day, a page's offset): one compiled query per
  value, the last ``MAX_SHAPES`` kept.

A query whose filters are empty for a value (an empty ``INTS`` list, ``EmptyResultSet``)
returns ``[]`` without asking the database, as the ORM does.
"""

import itertools
import threading
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models.query import ValuesListIterable, get_related_populators

from .prepared import _STAND_INS, _hashable

INTS = "ints"
KEY = "key"
MAX_SHAPES = 64

_EMPTY = object()  # a shape whose query can have no rows


class PreparedObjects:
    """``PreparedObjects(build, user_id=int, unit_ids=INTS, day=KEY)``: ``query(user_id=4, unit_ids=[2], day=today)``.

    *build* takes the named parameters as keyword arguments and returns a queryset of model
    instances (no ``prefetch_related``), or a ``values_list()`` of fields (rows as tuples, the
    database's converters applied). Each ``int``/``str``/``INTS``
    parameter must reach the SQL as parameters of its own, unchanged; a stand-in that does not
    is refused when the query is first compiled.
    """

    def __init__(self, build, **types):
        unsupported = {name: kind for name, kind in types.items() if kind not in (int, str, INTS, KEY)}
        if unsupported:
            raise ImproperlyConfigured(f"PreparedObjects parameters of unsupported types: {unsupported}")
        self.build = build
        self.types = types
        self._shapes = OrderedDict()  # (alias, lengths and keys) -> compiled shape, the last used last
        self._lock = threading.Lock()  # threads of one process share the shapes

    def __call__(self, using="default", **values) -> list:
        if set(values) != set(self.types):
            raise TypeError(f"PreparedObjects expects exactly {sorted(self.types)}, got {sorted(values)}")
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
        queryset = self.build(**arguments)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _EMPTY
        slots = [(stand_ins.get(value) if _hashable(value) else None, value) for value in params]
        missing = {name for _, (name, _) in stand_ins.items()} - {slot[0] for slot, _ in slots if slot}
        if missing:
            raise ImproperlyConfigured(f"PreparedObjects: {sorted(missing)} did not reach the SQL as parameters")
        select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
        fields = [s[0] for s in select[0 : compiler.col_count]]
        converters = list(compiler.get_converters(fields).items())
        if queryset._prefetch_related_lookups:
            raise ImproperlyConfigured("PreparedObjects: a queryset without prefetch_related")
        if queryset._iterable_class is ValuesListIterable and not (
            queryset.query.annotation_select or queryset.query.extra_select
        ):
            return {"sql": sql, "slots": slots, "model": None, "converters": converters}
        if klass_info is None or queryset._fields is not None:
            raise ImproperlyConfigured("PreparedObjects: a queryset of model instances, or values_list() of fields")
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return {
            "sql": sql,
            "slots": slots,
            "model": klass_info["model"],
            "start": start,
            "end": end,
            "init_list": [f[0].target.attname for f in select[start:end]],
            "related": get_related_populators(klass_info, select, using),
            "annotations": list(annotation_col_map.items()),
            "converters": converters,
        }

    def _run(self, connection, using, shape, values):
        params = [
            constant if slot is None else (values[slot[0]] if slot[1] is None else values[slot[0]][slot[1]])
            for slot, constant in shape["slots"]
        ]
        with connection.cursor() as cursor:
            cursor.execute(shape["sql"], params)
            rows = cursor.fetchall()
        converters = shape["converters"]
        if converters:
            rows = [self._converted(row, converters, connection) for row in rows]
        if shape["model"] is None:
            return rows
        model, start, end, init_list = shape["model"], shape["start"], shape["end"], shape["init_list"]
        related, annotations = shape["related"], shape["annotations"]
        objects = []
        for row in rows:
            obj = model.from_db(using, init_list, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            for name, pos in annotations:
                setattr(obj, name, row[pos])
            objects.append(obj)
        return objects

    @staticmethod
    def _converted(row, converters, connection):
        row = list(row)
        for pos, (convs, expression) in converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        return tuple(row)
