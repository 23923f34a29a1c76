"""Routed parameters: `model__units`, `optimizer__learning_rate`, ...

A routed parameter is an estimator parameter whose name is a prefix, two
underscores and the name of an argument of a sub-object, the grammar
scikit-learn's `Pipeline` uses for its steps. The wrappers accept them as
keyword arguments, list them in `get_params`, and hand them to their target
in `fit`, so that `GridSearchCV` can tune any argument of the model-building
function or of the optimizer.
"""

import inspect

ROUTE_PREFIXES = ("model", "optimizer")
SEPARATOR = "__"


def is_routed(name):
    """Whether `name` addresses an argument of a routed sub-object."""
    prefix, separator, rest = name.partition(SEPARATOR)
    return bool(separator and rest) and prefix in ROUTE_PREFIXES


def routed(params, prefix):
    """Returns the `prefix__*` entries of `params`, without the prefix."""
    head = prefix + SEPARATOR
    return {
        name[len(head) :]: value
        for name, value in params.items()
        if name.startswith(head)
    }


def check_routed_names(kwargs, owner):
    """Raises for keyword arguments that are not routed parameters."""
    unknown = sorted(name for name in kwargs if not is_routed(name))
    if unknown:
        prefixes = ", ".join(f"`{p}__`" for p in ROUTE_PREFIXES)
        raise TypeError(
            f"{owner} got unexpected parameters {unknown}. Extra parameters "
            f"must be routed to a sub-object with one of the prefixes "
            f"{prefixes}, for example `model__units=64` or "
            f"`optimizer__learning_rate=1e-3`."
        )


def signature_defaults(function, skip=()):
    """Returns `{name: default}` for the keyword arguments of `function`."""
    return {
        p.name: p.default
        for p in _parameters(function) or ()
        if p.name not in skip
        and p.default is not inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    }


def accepted_names(function):
    """Named arguments `function` takes, or None if it takes any name.

    For a class, the named `__init__` arguments across its bases: Keras
    optimizers take `**kwargs` only to reject leftovers with a message that
    cannot say which routed parameter was wrong.
    """
    if isinstance(function, type):
        names = set()
        for cls in function.__mro__[:-1]:
            if "__init__" in vars(cls):
                names |= _named(_parameters(cls.__init__))
        return names
    parameters = _parameters(function)
    if parameters is None or any(p.kind == p.VAR_KEYWORD for p in parameters):
        return None
    return _named(parameters)


def _parameters(function):
    """The parameters of `function`'s signature, or `None` if `inspect`
    cannot read one."""
    try:
        return inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return None


def _named(parameters):
    """The names of `parameters` (`None` for none) other than `*args` and
    `**kwargs`."""
    return {
        p.name
        for p in parameters or ()
        if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }


def check_accepts(function, kwargs, param_prefix, what):
    """Raises a clear error if `function` cannot take every one of `kwargs`.

    Args:
        function: the callable (or class) that will receive `kwargs`.
        kwargs: dict of keyword arguments about to be passed.
        param_prefix: the routing prefix the user wrote, for the message.
        what: a short description of `function` for the message.
    """
    accepted = accepted_names(function)  # `None`: it takes any name
    unknown = [] if accepted is None else sorted(set(kwargs) - accepted)
    if unknown:
        shown = sorted(accepted - {"X", "y", "self"})
        names = [f"{param_prefix}{SEPARATOR}{name}" for name in unknown]
        raise ValueError(
            f"Unknown routed parameter(s) {names}: {what} does not accept "
            f"{unknown}. It accepts {shown}. Fix the parameter name, or "
            f"add the argument to {what}."
        )
