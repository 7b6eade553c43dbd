"""
What tells every worker that course content changed (courses/content_cache.py caches it).

Every change to a course, module, lesson, question or choice raises the courses'
`content_version` in the same transaction as the change: save() and delete() through
ContentModel, and a queryset's update(), delete(), bulk_create() and bulk_update() through
ContentQuerySet. Raw SQL and data migrations (historical models) bypass it; nothing in the site
writes content that way, and a deploy restarts the workers, which empties their caches.
"""

import time

from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest


def content_changed():
    """
    Say that course content changed: every course's content_version goes up, so no worker's
    cached outline, questions or HTML (courses/content_cache.py, circle/fragments.py) is used
    again. Content edits are rare and courses few, so one UPDATE of every course is simpler
    than working out which.

    The new version is also at least the clock's microseconds, so it is a number no worker has
    seen before, even after a database restore brought back an older, lower version: the next
    edit then jumps past every version the workers cached, rather than reusing one of them for
    different words (the workers need no restart after a restore).
    """
    course = apps.get_model("courses", "Course")
    now = time.time_ns() // 1000
    # The plain QuerySet.update: Course's own queryset would call this again.
    models.QuerySet.update(
        course.objects.all(),
        # A big integer said so: with server-side binding (circle/settings.py) a plain Value
        # goes to PostgreSQL as a 4-byte integer, which cuts the microseconds short.
        content_version=Greatest(
            F("content_version") + 1, Value(now, output_field=models.PositiveBigIntegerField())
        ),
    )


class ContentQuerySet(models.QuerySet):
    """A queryset of course content whose bulk writes say that content changed."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db):
            updated = super().update(**kwargs)
            content_changed()
        return updated

    def delete(self):
        with transaction.atomic(using=self.db):
            deleted = super().delete()
            content_changed()
        return deleted

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            content_changed()
        return created

    def bulk_update(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db):
            updated = super().bulk_update(objs, *args, **kwargs)
            content_changed()
        return updated


class ContentModel(models.Model):
    """Content whose save() and delete() say that content changed (see content_changed)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            content_changed()

    def delete(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            deleted = super().delete(*args, **kwargs)
            content_changed()
        return deleted
