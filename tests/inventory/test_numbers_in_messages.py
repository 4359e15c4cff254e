"""How a message writes a number: integers of any length (YAML has no limit, Python writes
out at most 4,300 digits) shortened to their first four digits and their size."""

from __future__ import annotations

import pytest

from migrator.inventory.validate import _leading_digits, _number_text, describe


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (-4, "-4"),
        (10**16 - 1, "9999999999999999"),
        (10**16, "1.000e+16"),
        (99999999999999999, "9.999e+16"),
        (123456789 * 10**4990, "1.234e+4998"),
        (10**4300, "1.000e+4300"),
        (10**5000 - 1, "9.999e+4999"),
        (-(10**5000), "-1.000e+5000"),
        (1e308, "1e+308"),
        (2.5, "2.5"),
    ],
    ids=lambda item: item if isinstance(item, str) else "",  # ids as the message writes them
)
def test_a_number_as_a_message_writes_it(value: float, shown: str) -> None:
    assert _number_text(value) == shown


def test_the_leading_digits_of_every_size_around_a_power_of_ten() -> None:
    for count in range(16, 6000, 97):
        for number, first in (
            (10 ** (count - 1), "1000"),
            (10**count - 1, "9999"),
            (3 * 10 ** (count - 1) + 7, "3000"),
            (31415926 * 10 ** (count - 8), "3141"),
        ):
            assert _leading_digits(number) == (first, count)


def test_a_wrong_value_of_any_size_is_described() -> None:
    assert describe(10**6000) == "the number 1.000e+6000"
    assert describe(12) == "the number 12"
    assert describe(1.5) == "the number 1.5"
