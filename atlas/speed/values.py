"""How kept values are pickled: entities and views, quickly, and recorded entities by reference.

A recorded entity inside a view's value (a move's person) is pickled as its kind and slug,
and comes back as the entity of that slug in the graph being loaded. The model's records
are registered with copyreg to pickle as their class and field values, which their own
constructor takes back: the default for a slots dataclass looks up its fields once per
object, and most of a rebuild's loading was that.
"""
from __future__ import annotations

import contextvars
import copyreg
import dataclasses
import operator
import pickle
from typing import Any, Callable

from atlas.compute.moves import Move, Run, Span
from atlas.model import records

_LOADING: contextvars.ContextVar[Any] = contextvars.ContextVar("the graph a value is being loaded into")


class Gone(KeyError):
    """A kept value names an entity that no longer exists."""


def entity(kind: str, slug: str) -> Any:
    """The entity a pickled reference names, in the graph being loaded into (load_value)."""
    graph = _LOADING.get()
    if slug not in graph.raw_table(kind):
        raise Gone(f"{kind} {slug}")
    return graph.recorded(kind, slug)


def dump(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def load_value(data: bytes, graph: Any) -> Any:
    """A pickled value, its recorded entities those of `graph`."""
    token = _LOADING.set(graph)
    try:
        return pickle.loads(data)
    finally:
        _LOADING.reset(token)


def _by_fields(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    values = operator.attrgetter(*(field.name for field in dataclasses.fields(cls)))
    if len(dataclasses.fields(cls)) == 1:
        return lambda obj: (cls, (values(obj),))
    return lambda obj: (cls, values(obj))


for _cls in (records.Money, records.Tenure, records.Link, records.Stint, records.Person, records.FundingRound,
             records.Event, records.Company, records.Paper, records.AIModel, records.ClaimSource, records.Check,
             records.Claim, records.SiteConfig, Move, Run, Span):
    copyreg.pickle(_cls, _by_fields(_cls))
