"""
Sessions that carry their person's id in a column of their own (accounts.models.Session), so
a signed-in page reads the session and its user in one query instead of two. Two engines for
SESSION_ENGINE, as Django has: `accounts.sessions.db` (one machine, no Redis) and
`accounts.sessions.cached_db` (with REDIS_URL: the session from Redis, the user by its id).
accounts/session_auth.py takes the user the session brought, with Django's own checks.
"""
