"""Database sessions read together with their person (see accounts/sessions/__init__.py)."""

import logging

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone


def user_id_of(data):
    """The signed-in person's id in session data, or None (never trusted beyond a lookup)."""
    value = data.get(SESSION_KEY)
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


class SessionStore(DjangoStore):
    # The user row read with the session (None: no session row, or nobody signed in).
    preloaded_user = None

    @classmethod
    def get_model_class(cls):
        from accounts.models import Session

        return Session

    def _get_session_from_db(self):
        try:
            session = self.model.objects.select_related("user").get(
                session_key=self.session_key, expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
                logger.warning(str(error))
            self._session_key = None
            return None
        self.preloaded_user = session.user
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = user_id_of(data)
        return session
