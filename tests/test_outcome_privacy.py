"""
The one suppression rule: no check-in figure from fewer than 5 parents, and none anyone could
subtract their way to.
"""

from outcomes.privacy import MIN_PARENTS, can_show, shown_parts


def test_the_threshold_is_five_parents():
    assert MIN_PARENTS == 5
    assert not can_show(4)
    assert can_show(5)
    assert not can_show(0)


def test_parts_of_five_or_more_are_shown_when_nothing_small_is_left_over():
    parts = {"a": set(range(5)), "b": set(range(5, 11))}
    assert shown_parts(parts) == {"a", "b"}


def test_a_part_of_four_is_hidden():
    parts = {"a": set(range(4)), "b": set(range(10, 20)), "c": set(range(20, 30))}
    shown = shown_parts(parts)
    assert "a" not in shown


def test_hiding_one_small_part_beside_a_total_also_hides_the_smallest_other():
    # The course total minus "b" and "c" would give "a" (3 parents): so "b" (the smaller of the
    # two) is hidden as well, and the hidden remainder is 3 + 6 = 9.
    parts = {"a": {1, 2, 3}, "b": set(range(10, 16)), "c": set(range(20, 30))}
    assert shown_parts(parts) == {"c"}


def test_the_smallest_part_is_hidden_next_whatever_its_name():
    # "c" (6 parents) is smaller than "b" (10): hiding "a" (3) also hides "c", not "b".
    parts = {"a": {1, 2, 3}, "b": set(range(10, 20)), "c": set(range(20, 26))}
    assert shown_parts(parts) == {"b"}


def test_of_two_parts_the_same_size_the_same_one_is_always_hidden():
    # Groups 9 and 10 both have six parents: the tie is broken by the key as text ("10" before
    # "9"), whichever order the groups come in.
    small, nine, ten = {1, 2, 3}, set(range(10, 16)), set(range(20, 26))
    assert shown_parts({1: small, 9: nine, 10: ten}) == {9}
    assert shown_parts({10: ten, 9: nine, 1: small}) == {9}


def test_a_remainder_of_exactly_five_needs_no_more_hiding():
    parts = {"a": {1, 2}, "b": {3, 4, 5}, "c": set(range(10, 20))}
    assert shown_parts(parts) == {"c"}


def test_a_parent_in_two_parts_is_not_counted_twice_in_the_remainder():
    # "a" has 4 parents, 3 of them also in "b": hiding "a" leaves only parent 1 uncovered, which
    # "b" and "c" would give away, so "b" is hidden too.
    parts = {"a": {1, 2, 3, 4}, "b": {2, 3, 4, 5, 6, 7}, "c": set(range(10, 20))}
    assert shown_parts(parts) == {"c"}


def test_with_a_whole_larger_than_its_parts_the_outsiders_count_as_hidden():
    parts = {"a": set(range(10))}
    assert shown_parts(parts, whole=set(range(12))) == set()
    assert shown_parts(parts, whole=set(range(15))) == {"a"}


def test_no_parts_show_nothing():
    assert shown_parts({}) == set()
