"""
The one rule for what check-in figures may be shown: none based on fewer than MIN_PARENTS
parents ("too few to show without identifying someone"), and none that would let a reader
subtract their way to such a figure.

- `can_show(parents)`: a figure about this many parents may be shown.
- `shown_parts(parts, whole)`: which parts of a whole (groups of a course, rows of a CSV with
  the same details) may be shown beside it. Hiding a small part is not enough when the whole
  is shown too: whole minus the shown parts would give the hidden one. So while the parents
  hidden (those of the whole in no shown part) are more than none and fewer than
  MIN_PARENTS, the smallest part still shown is hidden as well.
"""

MIN_PARENTS = 5


def can_show(parents):
    """Whether a figure drawn from this many parents may be shown."""
    return parents >= MIN_PARENTS


def shown_parts(parts, whole=None):
    """
    The keys of `parts` ({key: set of parent ids}) that may be shown beside the `whole` (a set
    of parent ids; the union of the parts when not given).
    """
    whole = set().union(*parts.values()) if whole is None else set(whole)
    shown = {key for key, parents in parts.items() if can_show(len(parents))}
    while True:
        covered = set().union(*(parts[key] for key in shown)) if shown else set()
        hidden = len(whole - covered)
        if hidden == 0 or can_show(hidden) or not shown:
            return shown
        # Hide the smallest part still shown (then by key, so the choice is always the same).
        shown.discard(min(shown, key=lambda key: (len(parts[key]), str(key))))
