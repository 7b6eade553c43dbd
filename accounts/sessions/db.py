"""
Database sessions read together with their person (see accounts/sessions/__init__.py).

That read is the one query of every signed-in request, so it is built once per database
connection (`SessionRead`): building and compiling the queryset and turning its row into models
through the ORM cost about 1 ms of CPU a request, four times the query itself.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone


def user_id_of(data):
    """The signed-in person's id in session data, or None (never trusted beyond a lookup)."""
    value = data.get(SESSION_KEY)
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


# Stand-ins for the two parameters while the query is compiled, told apart in its parameters.
_PROBE_KEY = "\x00session-key"
_PROBE_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class SessionRead:
    """
    `Session.objects.select_related("user").get(session_key=..., expire_date__gt=...)`,
    compiled by the ORM once for one connection: its SQL, where each parameter goes, the
    ORM's converters for the columns (SQLite's dates, for one), and the fields of both models.
    """

    sql: str
    key_first: bool
    converters: dict
    compiler: object
    session_fields: list
    user_fields: list

    @classmethod
    def for_connection(cls, connection):
        read = getattr(connection, "_circle_session_read", None)
        if read is None:
            read = connection._circle_session_read = cls.compile(connection)
        return read

    @classmethod
    def compile(cls, connection):
        from accounts.models import Session, User

        session_fields = [field.attname for field in Session._meta.concrete_fields]
        user_fields = [field.attname for field in User._meta.concrete_fields]
        query = (
            Session.objects.filter(session_key=_PROBE_KEY, expire_date__gt=_PROBE_TIME)
            .values_list(*session_fields, *(f"user__{name}" for name in user_fields))
            .query
        )
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if len(params) != 2 or _PROBE_KEY not in params:
            # Only a change in how Django compiles this query could do this: fail loudly.
            raise RuntimeError(f"The session query's parameters changed: {params!r}")
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return cls(
            sql=sql,
            key_first=params[0] == _PROBE_KEY,
            converters=converters,
            compiler=compiler,
            session_fields=session_fields,
            user_fields=user_fields,
        )

    def run(self, connection, model, user_model, session_key, now):
        """The unexpired session with this key and its user (or None), or (None, None)."""
        now = connection.ops.adapt_datetimefield_value(now)
        params = [session_key, now] if self.key_first else [now, session_key]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None, None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        split = len(self.session_fields)
        session = model.from_db(connection.alias, self.session_fields, row[:split])
        user_values = row[split:]
        if session.user_id is None or user_values[0] is None:
            return session, None
        return session, user_model.from_db(connection.alias, self.user_fields, user_values)


class SessionStore(DjangoStore):
    # The user row read with the session (None: no session row, or nobody signed in).
    preloaded_user = None

    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def _get_session_from_db(self):
        from accounts.models import User

        connection = connections[router.db_for_read(self.model)]
        try:
            read = SessionRead.for_connection(connection)
            session, user = read.run(connection, self.model, User, self.session_key, timezone.now())
        except SuspiciousOperation as error:
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            session = None
        if session is None:
            self._session_key = None
            return None
        if user is not None:
            session.user = user  # fills the relation's cache: no second query for session.user
        self.preloaded_user = user
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = user_id_of(data)
        return session
