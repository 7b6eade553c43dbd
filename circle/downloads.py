"""The name a downloaded file is saved under: the group's name and the day, in safe letters."""

from django.utils import timezone
from django.utils.translation import gettext


def _safe(text, keep=""):
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in keep) else "-" for ch in text)


def csv_filename(stem, name, today=None):
    """
    `stem` is translated and names its parts, "%(group)s-progress-%(date)s"; `name` a group's
    or a course's. Header-safe ASCII only: "Groupe été" becomes "Groupe---t-", and the
    translated words pass the same filter, whatever the language.
    """
    today = today or timezone.localdate()
    safe_name = _safe(name).strip("-")
    text = stem % {"group": safe_name or gettext("group"), "date": today.isoformat()}
    return _safe(text, keep="-_") + ".csv"
