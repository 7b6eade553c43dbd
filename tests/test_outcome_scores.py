"""
Check-in scores computed from single ratings, against examples worked out by hand: reverse
items, theme means, paired change, its SD and Cohen's d_z.
"""

import math

import pytest

from outcomes.scoring import item_score, paired_change, theme_pairs, theme_scores

CONTENT = {
    "scale": ["1", "2", "3", "4", "5"],
    "themes": [{"key": "calm", "title": "Calm"}, {"key": "repair", "title": "Repair"}],
    "statements": [
        {"key": "c1", "theme": "calm", "text": "", "reverse": False},
        {"key": "c2", "theme": "calm", "text": "", "reverse": True},
        {"key": "r1", "theme": "repair", "text": "", "reverse": False},
        {"key": "r2", "theme": "repair", "text": "", "reverse": False},
        {"key": "r3", "theme": "repair", "text": "", "reverse": True},
    ],
}


def test_a_reverse_item_is_turned_round_on_its_scale():
    assert item_score(rating=5, reverse=True, scale_max=5) == 1
    assert item_score(rating=2, reverse=True, scale_max=5) == 4
    assert item_score(rating=2, reverse=True, scale_max=7) == 6
    assert item_score(rating=2, reverse=False, scale_max=5) == 2


def test_theme_scores_are_means_with_reverse_items_turned_round():
    # calm: c1=4, c2=2 reversed -> 4; mean 4.0. repair: r1=3, r2=5, r3=4 reversed -> 2;
    # (3 + 5 + 2) / 3 = 3.333...
    scores = theme_scores(content=CONTENT, answers={"c1": 4, "c2": 2, "r1": 3, "r2": 5, "r3": 4})
    assert scores["calm"] == 4.0
    assert scores["repair"] == pytest.approx(10 / 3)


def test_a_scale_of_seven_reverses_against_seven():
    content = {**CONTENT, "scale": [str(n) for n in range(1, 8)]}
    scores = theme_scores(content=content, answers={"c1": 7, "c2": 7})
    assert scores["calm"] == 4.0  # (7 + 1) / 2


def test_an_unanswered_statement_is_left_out_of_its_theme():
    scores = theme_scores(content=CONTENT, answers={"c1": 5, "r1": 1, "r2": 2})
    assert scores["calm"] == 5.0
    assert scores["repair"] == 1.5


def test_a_theme_with_no_answer_has_no_score():
    assert theme_scores(content=CONTENT, answers={"c1": 3})["repair"] is None


def test_an_answer_to_a_statement_of_another_version_counts_for_nothing():
    assert theme_scores(content=CONTENT, answers={"gone": 5, "c1": 1})["calm"] == 1.0


def test_paired_change_matches_a_hand_worked_example():
    # Changes 1, 2, 3: mean 2, SD sqrt(((1-2)^2 + 0 + (3-2)^2) / 2) = 1, d_z = 2.
    change = paired_change([(2, 3), (1, 3), (2, 5)])
    assert change.pairs == 3
    assert change.before_mean == pytest.approx(5 / 3)
    assert change.after_mean == pytest.approx(11 / 3)
    assert change.mean_change == 2
    assert change.sd_change == 1
    assert change.effect_size == 2


def test_paired_change_uses_the_sample_standard_deviation():
    # Changes 0 and 2: mean 1, SD with n - 1 = sqrt(2); with n it would be 1.
    change = paired_change([(3, 3), (1, 3)])
    assert change.sd_change == pytest.approx(math.sqrt(2))
    assert change.effect_size == pytest.approx(1 / math.sqrt(2))


def test_a_change_that_is_the_same_for_everyone_has_no_effect_size():
    change = paired_change([(1, 2), (3, 4), (2, 3)])
    assert change.mean_change == 1
    assert change.sd_change == 0
    assert change.effect_size is None


def test_a_drop_gives_a_negative_change_and_effect():
    change = paired_change([(4, 3), (5, 3)])
    assert change.mean_change == -1.5
    assert change.effect_size < 0


def test_no_pairs_give_no_figures():
    change = paired_change([])
    assert change.pairs == 0
    assert change.before_mean is None and change.after_mean is None
    assert change.mean_change is None and change.sd_change is None
    assert change.effect_size is None


def test_one_pair_has_no_spread():
    change = paired_change([(2, 4)])
    assert change.sd_change is None and change.effect_size is None


def test_only_parents_with_a_score_at_both_moments_make_a_pair():
    before = {1: {"calm": 2.0}, 2: {"calm": 3.0}, 3: {"calm": None}}
    after = {1: {"calm": 4.0}, 3: {"calm": 5.0}, 4: {"calm": 1.0}}
    assert theme_pairs(before=before, after=after, theme="calm") == [(2.0, 4.0)]
