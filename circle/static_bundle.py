"""
One stylesheet per page without a bundler.

Bootstrap and the site's own rules are two files in static/, kept apart so Bootstrap stays a
vendored copy and site.css stays easy to edit. Pages load one joined file, `css/circle.css`:
this staticfiles finder writes it from the files named in settings.STATIC_BUNDLES whenever it
differs from them. So `collectstatic` collects (then hashes and compresses) the joined file like
any other, and runserver, WhiteNoise in development and the test live server find it the same
way. Source map comments are dropped (they point next to the original files, where the maps
still are).
"""

import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

SOURCE_MAP = re.compile(rb"/\*# sourceMappingURL=[^*]*\*/\s*")


class BundleFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bundles = getattr(settings, "STATIC_BUNDLES", {})
        self.root = Path(settings.STATIC_BUNDLE_ROOT)
        self.storage = FileSystemStorage(location=self.root)

    def check(self, **kwargs):
        errors = []
        for name, sources in self.bundles.items():
            for source in sources:
                if source in self.bundles:
                    errors.append(Error(f"Static bundle {name} includes the bundle {source}."))
                elif not finders.find(source):
                    errors.append(Error(f"Static bundle {name}: {source} is not a static file."))
        return errors

    def find(self, path, find_all=False):
        if path not in self.bundles:
            return []  # as Django's own finders answer; None would count as a match
        built = str(self.build(path))
        return [built] if find_all else built

    def list(self, ignore_patterns):
        for name in self.bundles:
            self.build(name)
            yield name, self.storage

    def build(self, name):
        """Write the bundle if it is missing or differs from its sources; return its path."""
        target = self.root / name
        # Source map comments are dropped: they name maps relative to the original folder.
        content = b"".join(
            SOURCE_MAP.sub(b"", Path(finders.find(source)).read_bytes()).rstrip() + b"\n"
            for source in self.bundles[name]
        )
        if target.exists() and target.read_bytes() == content:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        # Several processes may build at once (test workers, server workers): write, then swap.
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        temporary.write_bytes(content)
        temporary.replace(target)
        return target
