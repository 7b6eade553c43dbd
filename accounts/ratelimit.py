"""
Wrong join codes are counted in the shared cache (the same one allauth keeps its counters in),
per person and per address, so nobody can try codes until one fits. Right codes cost nothing:
a parent joining their groups never meets the limit.
"""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache

JOIN_FAILURES_PER_USER = 10
JOIN_FAILURES_PER_IP = 30
JOIN_FAILURE_WINDOW = 60 * 60  # seconds, from the first wrong code


def _limits(request):
    ip = get_adapter(request).get_client_ip(request)
    limits = {f"circle:join-fail:ip:{ip}": JOIN_FAILURES_PER_IP}
    if request.user.is_authenticated:
        limits[f"circle:join-fail:user:{request.user.pk}"] = JOIN_FAILURES_PER_USER
    return limits


def join_attempts_exhausted(request):
    """True when this person (or their address) has had too many wrong codes lately."""
    limits = _limits(request)
    now = time.time()
    for key, (count, until) in cache.get_many(list(limits)).items():
        if until > now and count >= limits[key]:
            return True
    return False


def join_attempt_record_failure(request):
    # The window end is stored with the count: cache.incr() would reset the expiry on some
    # backends, and the window must not slide with every new failure.
    now = time.time()
    for key in _limits(request):
        count, until = cache.get(key, (0, now + JOIN_FAILURE_WINDOW))
        if until <= now:
            count, until = 0, now + JOIN_FAILURE_WINDOW
        cache.set(key, (count + 1, until), timeout=max(1, int(until - now)))
