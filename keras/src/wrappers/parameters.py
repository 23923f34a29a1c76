"""The allowed values of the wrappers' parameters, checked at `fit`.

Each estimator class declares one table, `_parameter_rules`, mapping a
parameter name to the `Rule`s its value may satisfy. `check_parameters`
runs the table once at the start of `fit` (never in `__init__` or
`set_params`, so that `clone` and `set_params` stay trivially right) and
raises an error naming the parameter, what it accepts and what it got.
"""

import numbers

import numpy as np


class Rule:
    """One kind of value a parameter accepts.

    Args:
        description: str, the kind of value in words, for error messages
            ("an int >= 1").
        is_kind: callable, whether a value has this rule's type.
        is_valid: callable, whether a value of this type is also in
            range. Defaults to `None`: any value of the type is valid.
    """

    def __init__(self, description, is_kind, is_valid=None):
        self.description = description
        self.is_kind = is_kind
        self.is_valid = is_valid

    def accepts(self, value):
        return self.is_kind(value) and (
            self.is_valid is None or bool(self.is_valid(value))
        )


def _is_bool(value):
    return isinstance(value, (bool, np.bool_))


def _is_int(value):
    return isinstance(value, numbers.Integral) and not _is_bool(value)


def _is_real(value):
    return isinstance(value, numbers.Real) and not _is_bool(value)


NONE = Rule("None", lambda value: value is None)
BOOL = Rule("a bool", _is_bool)
CALLABLE = Rule("a callable", callable)
STR = Rule("a str", lambda value: isinstance(value, str))
INT = Rule("an int", _is_int)
DICT = Rule("a dict", lambda value: isinstance(value, dict))
LIST = Rule("a list", lambda value: isinstance(value, list))
CLASS = Rule("a class", lambda value: isinstance(value, type))
RANDOM_STATE = Rule(
    "a numpy.random.RandomState",
    lambda value: isinstance(value, np.random.RandomState),
)


def int_at_least(low):
    """An int no smaller than `low` (bools are not ints here)."""
    return Rule(f"an int >= {low}", _is_int, lambda value: value >= low)


def int_between(low, high):
    """An int in the closed range [`low`, `high`]."""
    return Rule(
        f"an int in [{low}, {high}]", _is_int, lambda v: low <= v <= high
    )


def fraction():
    """A real number strictly between 0 and 1."""
    return Rule("a float in (0, 1)", _is_real, lambda value: 0 < value < 1)


def one_of(*options):
    """One of the given strings."""
    listed = ", ".join(repr(option) for option in options)
    return Rule(f"one of {{{listed}}}", STR.is_kind, lambda v: v in options)


def has_methods(*names):
    """An object with the given methods, such as an optimizer instance."""
    listed = ", ".join(f"`{name}`" for name in names)
    return Rule(
        f"an object with {listed}",
        lambda value: all(callable(getattr(value, n, None)) for n in names),
    )


def check_parameters(estimator, rules):
    """Checks every parameter in `rules` against the estimator's value.

    Args:
        estimator: the estimator whose attributes hold the parameters.
        rules: dict mapping a parameter name to a tuple of `Rule`s, any
            one of which the value must satisfy.

    Raises:
        TypeError: if the value has none of the accepted types.
        ValueError: if it has an accepted type but an invalid value.
    """
    owner = type(estimator).__name__
    for name, allowed in rules.items():
        value = getattr(estimator, name)
        if any(rule.accepts(value) for rule in allowed):
            continue
        *others, last = [rule.description for rule in allowed]
        expected = f"{', '.join(others)} or {last}" if others else last
        # A value of an accepted type is out of range; any other, mistyped.
        typed = any(rule.is_kind(value) for rule in allowed)
        error = ValueError if typed else TypeError
        raise error(
            f"The `{name}` parameter of {owner} must be {expected}. "
            f"Received: {name}={value!r}"
        )
