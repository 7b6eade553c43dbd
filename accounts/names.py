"""
A person's name as the facilitators' pages show it, and the order names are listed in: one
rule for the group page, the progress report and its CSV.
"""

from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Coalesce, Collate, Lower, NullIf

# On PostgreSQL names sort as people expect, whatever the database's own collation: Élodie
# among the Es, Zoë among the Zs (ICU's language-neutral order; PostgreSQL from Debian, the
# official images and the hosted services all carry it). SQLite keeps its plain order.
NAME_COLLATION = "und-x-icu"


def shown_name(user=""):
    """Their display name, else their email. `user` is the path to the user from the query's
    model ("user__" from a membership)."""
    return Coalesce(
        NullIf(f"{user}display_name", Value("")), f"{user}email", output_field=CharField()
    )


def name_order(name="name"):
    """What to order by (and page on) for the query's annotated `name`."""
    if connection.vendor == "postgresql":
        return Collate(Lower(name), NAME_COLLATION)
    return Lower(name)


def in_name_order(memberships):
    """Memberships (with their users) by the member's name, then email (which is unique)."""
    return (
        memberships.select_related("user")
        .annotate(name=shown_name("user__"), sort_name=name_order())
        .order_by("sort_name", "user__email")
    )
