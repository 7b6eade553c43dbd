"""
Database sessions read together with their person (see accounts/sessions/__init__.py).

That read is the one query of every signed-in request, so it is compiled once per database
connection (`session_read`, circle/compiled.py): building and compiling the queryset and
turning its row into models through the ORM cost about 1 ms of CPU a request, four times the
query itself.
"""

import logging
from datetime import datetime

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone

from circle.compiled import CompiledRead, columns, from_row


def user_id_of(data):
    """The signed-in person's id in session data, or None (never trusted beyond a lookup)."""
    value = data.get(SESSION_KEY)
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def _session_query(p):
    from accounts.models import Session, User

    return Session.objects.filter(session_key=p.key, expire_date__gt=p.now).values_list(
        *columns(Session), *columns(User, "user__")
    )


# `Session.objects.select_related("user").get(session_key=..., expire_date__gt=...)`, compiled
# once per connection (circle/compiled.py).
_SESSION_READ = CompiledRead(_session_query, key=str, now=datetime)


def session_read(connection, model, user_model, session_key, now):
    """The unexpired session with this key and its user (or None), or (None, None)."""
    rows = _SESSION_READ(using=connection.alias, key=session_key, now=now)
    if not rows:
        return None, None
    session, user_values = from_row(rows[0], model, using=connection.alias)
    if session.user_id is None or user_values[0] is None:  # nobody signed in on this session
        return session, None
    return session, from_row(user_values, user_model, using=connection.alias)[0]


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
            session, user = session_read(
                connection, self.model, User, self.session_key, timezone.now()
            )
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
