"""
Check-in scores, computed from a parent's ratings of single statements (never stored).

A theme's score is the mean of its statements' ratings on the version's scale (1 to its number
of labels), with reverse-scored statements turned round first (on a 1-5 scale a 5 counts as 1,
a 4 as 2). A statement left unanswered is left out of its theme's mean; a theme with no
answered statement has no score.

Change between two moments is looked at in pairs: only parents with a score at both moments
count. For each theme: how many pairs, the mean score at both moments, the mean change, the
standard deviation of the change (n - 1), and the paired effect size d_z = mean change / SD of
change (none when every parent changed by exactly the same amount, or with fewer than two).
"""

import math
from dataclasses import dataclass


def item_score(*, rating, reverse, scale_max):
    """A rating as it counts towards its theme: reversed items turned round."""
    return scale_max + 1 - rating if reverse else rating


def theme_scores(*, content, answers):
    """{theme key: mean score, or None} for one response, from a CheckinVersion's content."""
    scale_max = len(content["scale"])
    totals = {theme["key"]: [] for theme in content["themes"]}
    for statement in content["statements"]:
        rating = answers.get(statement["key"])
        if rating is None or statement["theme"] not in totals:
            continue
        totals[statement["theme"]].append(
            item_score(rating=rating, reverse=statement["reverse"], scale_max=scale_max)
        )
    return {key: (sum(values) / len(values) if values else None) for key, values in totals.items()}


@dataclass(frozen=True)
class PairedChange:
    pairs: int
    before_mean: float | None
    after_mean: float | None
    mean_change: float | None
    sd_change: float | None
    effect_size: float | None  # Cohen's d_z


def _mean(values):
    return sum(values) / len(values) if values else None


def paired_change(pairs):
    """PairedChange of a list of (score before, score after), one pair per parent."""
    pairs = [(before, after) for before, after in pairs]
    n = len(pairs)
    changes = [after - before for before, after in pairs]
    mean_change = _mean(changes)
    sd = None
    if n >= 2:
        sd = math.sqrt(sum((change - mean_change) ** 2 for change in changes) / (n - 1))
    effect = mean_change / sd if sd else None
    return PairedChange(
        pairs=n,
        before_mean=_mean([before for before, _ in pairs]),
        after_mean=_mean([after for _, after in pairs]),
        mean_change=mean_change,
        sd_change=sd,
        effect_size=effect,
    )


def theme_pairs(*, before, after, theme):
    """
    (before, after) scores of one theme for every parent with a score at both moments.
    `before` and `after` are {user id: {theme key: score}}.
    """
    return [
        (before[user_id][theme], after[user_id][theme])
        for user_id in sorted(before.keys() & after.keys())
        if before[user_id].get(theme) is not None and after[user_id].get(theme) is not None
    ]
