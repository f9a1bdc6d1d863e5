"""Querysets of a fixed shape, compiled to SQL once per process and run with new values each time.

Building and compiling a queryset costs Python far more than the database takes to answer a
small indexed query: the roles every signed-in page reads (groups, managed units, active
mandates) took 1.1 ms to build and 0.5 ms to compile, against 0.3 ms in PostgreSQL
(docs/performance.md, "Pages (issue 15)"). A ``PreparedQuery`` builds its queryset once, from
the same queryset methods every other caller uses (the rule stays in its one place), with
stand-in values for its parameters, compiles it, notes where each stand-in landed among the
SQL's parameters, and from then on only binds the real values and executes the SQL.

Only for ``values_list()`` querysets whose rows are used as the database returns them (no
``from_db_value`` conversion is applied): plain ids, names and text.
"""

import datetime
import itertools

from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# Stand-ins: values no real row holds, each unique, inside every backend's range for its type.
_STAND_INS = {
    int: lambda n: 2_000_000_000 + n,
    str: lambda n: f"\x1fstand-in-{n}\x1f",
    datetime.date: lambda n: datetime.date(1901, 1, 1) + datetime.timedelta(days=n),
}


class PreparedQuery:
    """``PreparedQuery(build, user_id=int, day=datetime.date)``: ``query(user_id=4, day=today)`` → rows.

    *build* takes the named parameters as keyword arguments and returns a ``values_list()``
    queryset. Each parameter must reach the SQL as a parameter of its own, unchanged or as the
    backend adapts its type (a date is a string on SQLite); a stand-in that does not is refused
    when the query is first compiled.
    """

    def __init__(self, build, **types):
        unsupported = {name: kind for name, kind in types.items() if kind not in _STAND_INS}
        if unsupported:
            raise ImproperlyConfigured(f"PreparedQuery parameters of unsupported types: {unsupported}")
        self.build = build
        self.types = types
        self._compiled = {}  # database alias -> (sql, [(name or None, value)])

    def __call__(self, using="default", **values) -> list[tuple]:
        if set(values) != set(self.types):
            raise TypeError(f"PreparedQuery expects exactly {sorted(self.types)}, got {sorted(values)}")
        connection = connections[using]
        compiled = self._compiled.get(using)
        if compiled is None:
            compiled = self._compiled[using] = self._compile(connection, using)
        sql, slots = compiled
        params = [constant if name is None else self._adapt(connection, values[name]) for name, constant in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, connection, using):
        counter = itertools.count()
        stand_ins = {name: _STAND_INS[kind](next(counter)) for name, kind in self.types.items()}
        queryset = self.build(**stand_ins)
        sql, params = queryset.query.get_compiler(using=using).as_sql()
        by_value = {}
        for name, value in stand_ins.items():
            by_value[value] = name
            by_value[self._adapt(connection, value)] = name
        slots = [(by_value.get(value) if _hashable(value) else None, value) for value in params]
        missing = set(stand_ins) - {name for name, _ in slots if name}
        if missing:
            raise ImproperlyConfigured(f"PreparedQuery: {sorted(missing)} did not reach the SQL as parameters")
        return sql, slots

    @staticmethod
    def _adapt(connection, value):
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return connection.ops.adapt_datefield_value(value)
        return value


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
