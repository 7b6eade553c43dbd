"""
Who is signed in, from the session and the user row it was read with (accounts/sessions/): one
query for both on every signed-in page, where Django reads them one after the other.

`get_user` is django.contrib.auth.get_user (Django 6.1) with one change: when the session row
brought its user and that user is the one the session names, it is used instead of reading the
row again. Every check stays: the session's backend must be configured, the backend must allow
the user (ModelBackend: active), and the session's password hash must match, so a password
change or deactivation elsewhere still signs this browser out.
"""

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    _get_user_session_key,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoMiddleware
from django.contrib.auth.models import AnonymousUser
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject


def _user_for(request, backend, user_id):
    preloaded = getattr(request.session, "preloaded_user", None)
    if (
        preloaded is not None
        and preloaded.pk == user_id
        and isinstance(backend, ModelBackend)
        and type(backend).get_user is ModelBackend.get_user
    ):
        return preloaded if backend.user_can_authenticate(preloaded) else None
    return backend.get_user(user_id)


def get_user(request):
    user = None
    try:
        user_id = _get_user_session_key(request)
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            backend = load_backend(backend_path)
            user = _user_for(request, backend, user_id)
            # Verify the session
            if hasattr(user, "get_session_auth_hash"):
                session_hash = request.session.get(HASH_SESSION_KEY)
                if not session_hash:
                    session_hash_verified = False
                else:
                    session_auth_hash = user.get_session_auth_hash()
                    session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
                if not session_hash_verified:
                    # If the current secret does not verify the session, try with the fallback
                    # secrets and stop when a matching one is found.
                    if session_hash and any(
                        constant_time_compare(session_hash, fallback_auth_hash)
                        for fallback_auth_hash in user.get_session_auth_fallback_hash()
                    ):
                        request.session.cycle_key()
                        request.session[HASH_SESSION_KEY] = session_auth_hash
                    else:
                        request.session.flush()
                        user = None
    return user or AnonymousUser()


def _cached_user(request):
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)
    return request._cached_user


class AuthenticationMiddleware(DjangoMiddleware):
    """Django's, with request.user from get_user above (request.auser stays Django's)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _cached_user(request))
