"""Errors with one meaning across the project."""


class NotFound(LookupError):
    """The thing is missing, or the caller may not see it. Both look the same from outside, so a
    response never reveals which records exist."""
