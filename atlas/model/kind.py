"""What the pipeline knows of a kind of entity; the registry itself is atlas/kinds.py."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Kind:
    """One kind of entity: where its files live, how they are read, what page each gets."""

    name: str  # "person": how references, URLs' code and templates name it
    folder: str  # "people": content/people/<slug>.yaml, and people/<slug>/ in the site
    record: type  # the model class: Person
    schema: Any  # its fields and their types (a content.fields.Record)
    label: str  # "Person", as readers see it
    plural: str  # "People"
    page: Callable[..., Any] | None = None  # builds one entity's page (site/pages.py); None: no page

    @property
    def template(self) -> str:
        return f"{self.name}.html"
