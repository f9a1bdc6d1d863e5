"""``PreparedQuery`` for rows the ORM converts (dates, datetimes), with datetimes and lists of ids as parameters.

``norsjo.prepared.PreparedQuery`` hands rows back as the database returns them, so SQLite's
dates arrive as text. ``PreparedRows`` passes each row through the converters the ORM's own
compiler would apply (``SQLCompiler.get_converters``), so a row holds what ``values_list()``
of the same queryset holds on every backend. Its parameters may also be aware datetimes and
lists of integer ids (``list``): a list's length is part of the SQL (``IN (%s, %s)``), so the
query is compiled once per length seen; an empty list matches nothing, as in the ORM, and no
query runs.
"""

import datetime
import itertools
import re

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections

from .prepared import _STAND_INS, PreparedQuery, _hashable

_ROW_STAND_INS = {
    **_STAND_INS,
    datetime.datetime: lambda n: datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(minutes=n),
    list: None,  # a list of ints: one int stand-in per item
}


_ADAPTED_1900S = re.compile(r"190\d-\d\d-\d\d")  # a date or datetime of the 1900s as SQLite is given it


def _looks_derived(value) -> bool:
    # The stand-ins' dates and datetimes are in 1901; no constant of a query is.
    if isinstance(value, datetime.date):
        return value.year < 1910
    return isinstance(value, str) and _ADAPTED_1900S.match(value) is not None


class PreparedRows(PreparedQuery):
    """``PreparedRows(build, day=datetime.date, unit_ids=list)``: ``query(day=today, unit_ids=[3, 4])`` → rows."""

    def __init__(self, build, **types):
        unsupported = {name: kind for name, kind in types.items() if kind not in _ROW_STAND_INS}
        if unsupported:
            raise ImproperlyConfigured(f"PreparedRows parameters of unsupported types: {unsupported}")
        self.build = build
        self.types = types
        self._compiled = {}  # (database alias, lengths of the lists) -> (sql, slots, converters) or None

    def __call__(self, using="default", **values) -> list[tuple]:
        if set(values) != set(self.types):
            raise TypeError(f"PreparedRows expects exactly {sorted(self.types)}, got {sorted(values)}")
        lists = tuple(len(values[name]) for name, kind in self.types.items() if kind is list)
        connection = connections[using]
        key = (using, lists)
        if key not in self._compiled:
            self._compiled[key] = self._compile_rows(connection, using, lists)
        compiled = self._compiled[key]
        if compiled is None:  # the ORM would not run it either (an empty list of ids)
            return []
        sql, slots, converters = compiled
        params = [
            constant if name is None else self._adapt_value(connection, values[name], index)
            for name, index, constant in slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(tuple(row))
        return converted

    def _compile_rows(self, connection, using, lists):
        counter = itertools.count()
        lengths = iter(lists)
        stand_ins = {}
        for name, kind in self.types.items():
            if kind is list:
                stand_ins[name] = [_STAND_INS[int](next(counter)) for _ in range(next(lengths))]
            else:
                stand_ins[name] = _ROW_STAND_INS[kind](next(counter))
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        by_value = {}
        for name, value in stand_ins.items():
            for index, item in enumerate(value) if isinstance(value, list) else [(None, value)]:
                by_value[item] = (name, index)
                by_value[self._adapt_value(connection, item)] = (name, index)
        slots = []
        for value in params:
            name, index = by_value.get(value, (None, None)) if _hashable(value) else (None, None)
            slots.append((name, index, value))
        baked = [value for name, _index, value in slots if name is None and _looks_derived(value)]
        if baked:
            # A value computed from a stand-in (a day plus 30 days) would stay in the SQL for good.
            raise ImproperlyConfigured(f"PreparedRows: values derived from the stand-ins reached the SQL: {baked}")
        missing = set(stand_ins) - {name for name, _index, _value in slots if name}
        missing -= {name for name, value in stand_ins.items() if isinstance(value, list) and not value}
        if missing:
            raise ImproperlyConfigured(f"PreparedRows: {sorted(missing)} did not reach the SQL as parameters")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = list(compiler.get_converters(fields).items())
        return sql, slots, converters

    @staticmethod
    def _adapt_value(connection, value, index=None):
        if index is not None:
            value = value[index]
        if isinstance(value, datetime.datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, datetime.date):
            return connection.ops.adapt_datefield_value(value)
        return value
