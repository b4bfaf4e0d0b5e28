"""The render context's shortcut for calling helpers."""
from __future__ import annotations

import jinja2

from atlas.site.render import _Context


class Helper:
    def __init__(self, name: str) -> None:
        self.name = name

    def plain(self, x: str) -> str:
        return f"{self.name}:{x}"

    @jinja2.pass_context
    def with_context(self, context: jinja2.runtime.Context, x: str) -> str:
        return f"{self.name}:{x}:{context['who']}"


def test_helpers_get_the_context_only_when_they_ask_for_it_on_every_call() -> None:
    env = jinja2.Environment(autoescape=True)
    env.context_class = _Context
    a, b = Helper("a"), Helper("b")
    template = env.from_string("{% for _ in range(3) %}{{ f('1') }} {{ g('2') }} {{ h('3') }} {{ k('4') }} {% endfor %}")
    # The same functions, bound to two objects; asked for the context once each, not once per object.
    out = template.render(f=a.plain, g=a.with_context, h=b.plain, k=b.with_context, who="me")
    assert out == "a:1 a:2:me b:3 b:4:me " * 3


def test_other_callables_go_the_usual_way() -> None:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.context_class = _Context

    class Callable:
        def __call__(self, x: str) -> str:
            return x * 2

    assert env.from_string("{{ c('ab') }}{{ m(1) }}").render(c=Callable(), m=str) == "abab1"
    try:
        env.from_string("{{ nothing('x') }}").render()
    except jinja2.UndefinedError as err:
        assert "'nothing' is undefined" in str(err)
    else:
        raise AssertionError("an undefined helper must fail")
