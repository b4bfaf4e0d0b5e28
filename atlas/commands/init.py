"""`python build.py init DIR --title "..."`: start a new atlas.

Writes a content folder that passes `check` and builds: site.yaml with every setting
commented, and one example company, person and (unless the atlas has none) model, each
saying it is an example to replace. Beside the content folder go the editor schemas
(schemas/, where the files' first line points) and, with `workflows`, what the site's own
GitHub repository needs: the Pages and pull request workflows, requirements.txt pinning
the generator they install, and .gitignore. That folder is the site's repository: its
own templates/ and static/, if it makes them, override the built-in ones file by file.
"""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from atlas.commands.scaffold import quoted
from atlas.commands.schemas import SCHEMA_DIR, generated_files
from atlas.content.folder import parse_entity, slugify
from atlas.content.schema import SITE
from atlas.errors import Problem
from atlas.kinds import BY_NAME
from atlas.model.records import Label

STARTER = Path(__file__).resolve().parent / "starter"
SOURCE = "https://example.com/where-these-facts-come-from"
CONTENT_NAME = "content"  # where the workflows and the "Edit this page" links expect the content folder
DISTRIBUTION = "talent-atlas"
WORKFLOWS = {".github/workflows/pages.yml": "pages.yml", ".github/workflows/pr.yml": "pr.yml", ".gitignore": "gitignore"}


class InitError(Exception):
    """The new atlas cannot be written; nothing was."""


@dataclass(frozen=True)
class Start:
    """What `init` was asked for."""

    folder: Path  # the new content folder; the folder it is in is the site's repository
    title: str
    model_label: str = ""  # what readers call the entities of models/; "" keeps "Model"
    model_plural: str = ""  # "" adds an s to the label
    models: bool = True  # with an example of the third kind
    workflows: bool = False  # with the files of a GitHub repository
    generator: str | None = None  # the pip requirement the workflows install; None: this generator


def start(request: Start) -> list[Path]:
    """Write the new atlas; the files written, in order. Everything is checked before
    anything is written (raises InitError)."""
    folder, repository = request.folder, request.folder.parent
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InitError(f"{folder} is not an empty folder; init writes a new content folder: give a new folder's name "
                        "(or an empty one's), such as content")
    files = {folder / rel: text for rel, text in content_files(request).items()}
    check_content(folder, files)
    if request.workflows:
        extra = workflow_files(request)
        taken = [rel for rel in extra if (repository / rel).exists()]
        if taken:
            raise InitError(f"{', '.join(taken)} already exist{'s' if len(taken) == 1 else ''} beside {folder.name}/; "
                            "move them away, or leave out --workflows")
        files.update({repository / rel: text for rel, text in extra.items()})
    written = [write_new(path, text) for path, text in files.items()]
    return written + write_schemas(repository)


def content_files(request: Start) -> dict[str, str]:
    """The content folder's files, by path inside it."""
    label, default = _label(request), BY_NAME["model"]
    model_slug = slugify(f"example {label.singular}")
    renamed = (label.singular, label.plural) != (default.label, default.plural)
    values = {"title": quoted(request.title), "as_of": dt.date.today().isoformat(), "renamed": renamed,
              "singular": quoted(label.singular), "plural": quoted(label.plural), "plural_text": label.plural_text,
              "singular_text": label.singular_text, "example_model": model_slug, "name": quoted(f"Example {label.singular}"),
              "company": "example-company", "person": "example-person", "source": SOURCE}
    kinds = ["company", "person"] + (["model"] if request.models else [])
    files = {"site.yaml": _render("site.yaml", values)}
    for kind, slug in zip(kinds, ("example-company", "example-person", model_slug)):
        files[f"{BY_NAME[kind].folder}/{slug}.yaml"] = _render(f"{kind}.yaml", values)
    return files


def _label(request: Start) -> Label:
    singular = request.model_label.strip() or BY_NAME["model"].label
    plural = request.model_plural.strip() or (singular + "s" if request.model_label.strip() else BY_NAME["model"].plural)
    return Label(singular, plural)


def _render(name: str, values: dict[str, object]) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(STARTER)), undefined=jinja2.StrictUndefined,
                             trim_blocks=True, keep_trailing_newline=True, autoescape=False)
    return env.get_template(name).render(values)


def check_content(folder: Path, files: dict[Path, str]) -> None:
    """Refuse to write files that check would reject (a title that is not text, say)."""
    problems: list[Problem] = []
    for path, text in files.items():
        rel = path.relative_to(folder).as_posix()
        kind = next((k for k in BY_NAME.values() if rel.startswith(k.folder + "/")), None)
        extra = {"slug": path.stem} if kind else {}
        parse_entity(text.encode("utf-8"), rel, kind.schema if kind else SITE, problems, **extra)
    if problems:
        raise InitError("the values given do not make a valid atlas:\n" + "\n".join(str(p) for p in problems))


def workflow_files(request: Start) -> dict[str, str]:
    """The files of the site's GitHub repository, by path inside it."""
    if request.folder.name != CONTENT_NAME:
        raise InitError(f"with --workflows the content folder must be named {CONTENT_NAME} (the workflows build "
                        f"{CONTENT_NAME}/, and the 'Edit this page' links point into it); give .../{CONTENT_NAME}")
    pin = request.generator or installed_generator()
    if pin is None:
        raise InitError("--workflows needs to know which generator the workflows install, and this one was installed "
                        f"from a local folder; give it, e.g. --generator '{DISTRIBUTION} @ "
                        "git+https://github.com/OWNER/talent-atlas@v0.1.0' (a tag or commit)")
    files = {rel: (STARTER / name).read_text(encoding="utf-8") for rel, name in WORKFLOWS.items()}
    files["requirements.txt"] = (
        "# The generator that builds this site, pinned: the workflows install exactly this one.\n"
        "# To upgrade, change the revision after the @ (a tag or commit), build the site, and look.\n"
        f"{pin}\n")
    return files


def installed_generator() -> str | None:
    """The pip requirement that installs this generator again: from git at the commit it
    was installed from, or its release from a package index; None for a local folder."""
    try:
        found = importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    direct = found.read_text("direct_url.json")  # PEP 610: present when installed from a URL, a folder or git
    if direct is None:
        return f"{DISTRIBUTION}=={found.version}"
    origin = json.loads(direct)
    vcs = origin.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{DISTRIBUTION} @ git+{origin['url']}@{vcs['commit_id']}"
    return None


def write_schemas(repository: Path) -> list[Path]:
    """The editor schemas, in schemas/ beside the content folder (the files' first line
    points there); those already there and the same are left alone."""
    written = []
    for rel, text in generated_files().items():
        path = repository / rel
        if not rel.startswith(SCHEMA_DIR + "/") or (path.is_file() and path.read_text(encoding="utf-8") == text):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_new(path: Path, text: str) -> Path:
    """Write a file that must not exist yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return path
