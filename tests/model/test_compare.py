"""The verdict on a new model, in plain words, from the figures of both."""

from mnist_pad.model.compare import biggest_shift, load_check_set, numbers_from, verdict

IN_USE = {"mnist": 0.9938, "check_digits": 0.98, "check_letters_rejected": 0.96, "says_not_a_digit": 1.0}


def test_a_model_that_cannot_say_not_a_digit_is_worse_in_words():
    judged = verdict(IN_USE, {**IN_USE, "says_not_a_digit": 0.0, "check_letters_rejected": 0.0})
    assert any('cannot say "not a digit"' in s for s in judged.worse)
    assert any("letters answered" in s and "96.0% → 0.0%" in s for s in judged.worse)


def test_small_moves_are_neither_better_nor_worse_and_samples_always_count():
    same = verdict(IN_USE, {**IN_USE, "mnist": 0.9936, "check_digits": 0.975})
    assert same.worse == [] and same.better == [] and "as well as" in same.headline
    learnt = verdict({**IN_USE, "samples": 0.4}, {**IN_USE, "samples": 1.0, "check_digits": 0.9})
    assert learnt.headline.startswith("The new model is better at: your samples read right, 40.0% → 100.0%. But")
    assert "pen digits of writers never trained on, 98.0% → 90.0%" in learnt.headline
    only_better = verdict({**IN_USE, "samples": 0.4}, {**IN_USE, "samples": 1.0, "check_digits": 0.965})
    assert only_better.headline.endswith("On every other measure it is within what another training would move.")


def test_the_biggest_shift_is_said_in_words():
    old = [[10 if i == j else 0 for j in range(10)] for i in range(10)]
    new = [row[:] for row in old]
    new[7][1] += 17
    assert biggest_shift(old, new) == "17 more 7s of MNIST's test set are read as 1"
    assert biggest_shift(old, old) is None


def test_the_shipped_check_set_holds_digits_letters_and_numbers():
    check = load_check_set()
    assert len(check.digits) == 300 and {s.label for s in check.digits} == set(range(10))
    assert len(check.letters) == 200 and all(s.label is None for s in check.letters)
    assert len(check.numbers) == 40 and all(2 <= len(s.text) <= 4 for s in check.numbers)
    assert numbers_from(check.digits)[0].text == check.numbers[0].text  # the same numbers every time
