"""
A worker's own memory cache that keeps values as they are, without pickling them: what
`CACHES["fragments"]` and `CACHES["content"]` use (circle/settings.py).

Django's LocMemCache pickles every value on the way in and unpickles it on the way out, so a
caller can change what it gets without changing the cache. For a lesson page that was a
tenth of its time: the course's lessons and glossary unpickled into some seventy model
instances on every request, and each shared fragment's HTML copied out again. This backend
hands back the very object it was given, the same one to every thread, so what it holds must
never be changed after it is cached: HTML strings (immutable), and content that the pages
only read (courses/content_cache.py; tests/test_memory_cache.py checks that rendering every
parent page leaves it as it was). Everything else about it is LocMemCache's: the bound on
entries, the least recently used dropped first, the lock.
"""

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache


class SharedObjectCache(LocMemCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._set(key, value, timeout)
                return True
            return False

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def incr(self, key, delta=1, version=None):
        raise NotImplementedError("Shared objects are not counters.")
