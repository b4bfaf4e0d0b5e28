"""A first build (or one after the code, a template or the settings changed): every file
parsed and made, on every core, into a fresh folder swapped in whole."""
from __future__ import annotations

import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from atlas.build import Options
from atlas.compute.graph import Graph
from atlas.content.folder import ContentFile, Parsed, load_site, parse_file
from atlas.content.references import references
from atlas.model.kind import Kind
from atlas.model.records import Site
from atlas.site.outputs import Output
from atlas.site.write import MARKER, check_out_dir, marker, static_files, swap, write_file
from atlas.speed.cached import Cached, content_hash, marker_note, stat_of
from atlas.speed.inputs import site_key
from atlas.speed.memos import Memos
from atlas.speed.record import RecordingGraph, all_vias
from atlas.speed.update import recover
from atlas.speed.workers import default_jobs, fork_map

PARSE_CHUNK = 64  # files per message from a parsing worker


class Full(Cached):
    """A first build (or one after the code, a template or the settings changed): every
    file parsed and made, on every core."""

    def possible(self) -> bool:
        return True

    def load(self, options: Options) -> Site:
        self.store.clear()
        site = load_site(options.content, options.kinds, options.as_of, options.base_url, read=self.read)
        self.key = site_key(site.config, options.templates)
        self.keep_references(site, options.kinds)
        return site

    def read(self, files: Sequence[ContentFile]) -> Iterable[Parsed]:
        """Parse every file, on every core when there are many, and keep each entity."""
        rows: list[tuple[str, str, str, tuple[int, ...], str]] = []
        entities: list[tuple[str, bytes]] = []

        def task(i: int) -> tuple[tuple[int, ...], str, bytes | None, list[Any], Any]:
            file = files[i]
            stat, data = stat_of(file.path), Path(file.path).read_bytes()
            entity, problems, raw = parse_file(file)
            blob = pickle.dumps(entity, pickle.HIGHEST_PROTOCOL) if entity is not None else None
            return stat, content_hash(file.src_path, data), blob, problems, raw

        results: list[Parsed | None] = [None] * len(files)
        jobs = default_jobs(len(files)) if self.jobs is None else self.jobs
        for i, (stat, digest, blob, problems, raw) in fork_map(task, len(files), jobs, chunk=PARSE_CHUNK):
            results[i] = (pickle.loads(blob) if blob is not None else None, problems, raw)
            file = files[i]
            rows.append((file.src_path, file.kind.name, file.slug, stat, digest))
            if blob is not None:
                entities.append((digest, blob))
        self.store.put_files(rows)
        self.store.put_entities(entities)
        return results  # type: ignore[return-value]

    def keep_references(self, site: Site, kinds: Sequence[Kind]) -> None:
        number = {via: i for i, via in enumerate(all_vias(kinds))}
        vias = {kind.name: tuple(v for v in number if v.source == kind.name) for kind in kinds}
        rows = [(number[ref.via], ref.slug, entity.src_path, entity.slug, ref.at)
                for kind in kinds for entity in site.table(kind.name).values() for ref in references(entity, vias[kind.name])]
        self.store.put_refs(rows)

    def graph(self, site: Site, kinds: Sequence[Kind]) -> Graph:
        self.graph_ = RecordingGraph(site, kinds, self.ids, self.recorder)
        self.memos = self.graph_.memos = Memos(self.graph_, self.recorder, self.ids)
        return self.graph_

    def make(self, outputs: Sequence[Output], make: Callable[[Output], bytes]) -> Iterator[tuple[str, bytes | None]]:
        """Every file, written into a fresh folder beside the output as it is made."""
        out = self.options.out
        check_out_dir(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        recover(out)
        self.new = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        return self.recorded(outputs, make, into=self.new)

    def write(self, out_dir: Path, files: Iterable[tuple[str, bytes | None]], static_dir: Path) -> int:
        """The fresh folder, made whole, swapped in for the previous build."""
        try:
            count = 0
            for _ in files:
                count += 1
            for rel, data in static_files(static_dir):
                write_file(self.new, rel, data)
            write_file(self.new, MARKER, marker(marker_note(self.stamp, self.build_id)))
            self.new.chmod(0o755)
            swap(self.new, out_dir)
        except BaseException:
            shutil.rmtree(self.new, ignore_errors=True)
            raise
        self.save()
        return count
