"""The one registry of entity kinds.

Each kind names its folder (content/<folder>/<slug>.yaml, and <folder>/<slug>/ in the
site), its schema (content/schema.py), its record class (model/records.py) and the
builder of its page (site/pages.py), whose template is templates/<name>.html. The
loader, the graph, the URLs, the page plan and the commands all read this table.
"""
from __future__ import annotations

from atlas.content.schema import CLAIM, COMPANY, MODEL, PERSON
from atlas.model.kind import Kind
from atlas.model.records import AIModel, Claim, Company, Person
from atlas.site.pages import company_page, model_page, person_page

KINDS: tuple[Kind, ...] = (
    Kind("company", "companies", Company, COMPANY, "Company", "Companies", company_page),
    Kind("person", "people", Person, PERSON, "Person", "People", person_page),
    Kind("model", "models", AIModel, MODEL, "Model", "Models", model_page),
    Kind("claim", "claims", Claim, CLAIM, "Claim", "Claims"),  # checked on the claims page, no page of its own
)
BY_NAME = {kind.name: kind for kind in KINDS}
