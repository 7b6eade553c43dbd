"""
Sessions in the shared cache (Redis), written through to the database table that carries the
person's id. A session found in the cache brings no user row: the user is read by id, as Django
does; one found only in the database brings it (see accounts/sessions/__init__.py).
"""

from django.contrib.sessions.backends.cached_db import SessionStore as DjangoStore

from accounts.sessions.db import SessionStore as DBStore


class SessionStore(DjangoStore, DBStore):
    pass
