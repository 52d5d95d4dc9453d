"""Who is acting, and in which request, without threading `request` through every layer.

Middleware sets these for a web request; management commands and tasks set them with
`acting_as(...)`. Actions read them when they write an audit entry.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who caused a change: a signed-in user, the system (a job), or an anonymous visitor."""

    kind: str  # "user", "system" or "anonymous"
    user_id: int | None = None
    label: str = ""  # for system actors: which job ("retention", "worker"); never a person's name

    @classmethod
    def user(cls, user_id: int) -> Actor:
        return cls(kind="user", user_id=user_id)

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(kind="system", label=label)


ANONYMOUS = Actor(kind="anonymous")

_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("actor", default=ANONYMOUS)
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def current_actor() -> Actor:
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> str:
    # 128 random bits as 32 hex digits, as uuid4().hex was, without building a UUID per request.
    return os.urandom(16).hex()


@contextlib.contextmanager
def acting_as(actor: Actor, *, request_id: str | None = None) -> Iterator[None]:
    actor_token = _actor.set(actor)
    request_token = _request_id.set(request_id or _request_id.get() or new_request_id())
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _request_id.reset(request_token)


# Facts a web request may need in several places (the view, a context processor, a template tag)
# and that cannot change under it in a way that matters to the page it draws: read once per
# request. Outside a request (a job, a shell, a test calling a query) every call reads afresh.
_request_memo: contextvars.ContextVar[dict[str, object] | None] = contextvars.ContextVar(
    "request_memo", default=None
)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def once_per_request[T](key: str, read: Callable[[], T]) -> T:
    memo = _request_memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]  # type: ignore[return-value]  # what `read` gave for this key
