"""What readers call each kind of entity, and which sections of the site have something in them.

A kind's name comes from the registry (atlas/kinds.py: "Person", "People"), except that
site.yaml may rename the entities of models/ (`model_label`): a biotech atlas has drugs, a
chip atlas products. The folder and the field names stay; only what readers see changes.

A section with nothing in it (no entity of its kind, no move, no claim) is neither built,
nor linked from the navigation, nor listed in the sitemap, nor counted on the home page.
Which sections there are is a memoized view: every page reads it for its navigation, and
is made again only when a section appears or empties, not on every new entity.
"""
from __future__ import annotations

from dataclasses import dataclass

from atlas.compute.graph import Graph
from atlas.compute.moves import all_moves
from atlas.compute.timeline import site_timeline
from atlas.model.kind import Kind
from atlas.model.records import Label, SiteConfig
from atlas.site.urls import ANALYTICS_PATH, CLAIMS_PATH, moves_path, site_urls, timeline_path

FIRST = "person"  # the site is about people: their list comes first in the navigation


@dataclass(frozen=True)
class Section:
    """A part of the site with a page of its own in the navigation."""

    name: str  # a kind with pages ("person"), or "moves", "timeline", "claims"
    title: str  # as the navigation and the page's heading show it: "People", "Products"
    text: str  # as running text writes it: "people", "products"
    path: str  # its first page in the output folder: "people/index.html"


def kind_labels(kinds: dict[str, Kind], config: SiteConfig) -> dict[str, Label]:
    """Every kind's label: the registry's, or for models, the one site.yaml gives."""
    labels = {name: Label(kind.label, kind.plural) for name, kind in kinds.items()}
    if config.model_label is not None:
        labels["model"] = config.model_label
    return labels


def site_sections(graph: Graph) -> tuple[Section, ...]:
    """The sections that have something in them, in the navigation's order."""
    return graph.memo(_site_sections)


def _site_sections(graph: Graph) -> tuple[Section, ...]:
    urls = site_urls(graph)
    labels = kind_labels(graph.kinds, graph.config)
    kinds = sorted((kind for kind in graph.kinds.values() if kind.page), key=lambda kind: kind.name != FIRST)
    found = [Section(kind.name, labels[kind.name].plural, labels[kind.name].plural_text, urls.index_path(kind.name))
             for kind in kinds if len(graph.table(kind.name))]
    if all_moves(graph):
        found.append(Section("moves", "Moves", "moves", moves_path()))
    if site_timeline(graph):
        found.append(Section("timeline", "Timeline", "the timeline", timeline_path()))
    if len(graph.claims):
        found.append(Section("claims", "Claims", "claims", CLAIMS_PATH))
    if all_moves(graph):  # the analytics are computed from the moves
        found.append(Section("analytics", "Analytics", "the analytics", ANALYTICS_PATH))
    return tuple(found)


def entity_lists(graph: Graph) -> tuple[Section, ...]:
    """The sections that list one kind of entity each: people, companies, models."""
    return tuple(section for section in site_sections(graph) if section.name in graph.kinds)
