#!/usr/bin/env python3
"""Print the heaviest HTML pages of a built site, against the page-weight budget.

    python bench/weight.py SITE_DIR [--top 10]

The budget (issue #23): every HTML page at most 200 KB, the home page at most 100 KB,
uncompressed, whatever the size of the dataset. Exits 1 when a page is over it, so it can
also be run by hand after a build; it asserts nothing about the time.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

PAGE_LIMIT = 200_000
HOME_LIMIT = 100_000


def page_sizes(site: Path) -> list[tuple[int, str]]:
    """(bytes, path) of every HTML page, heaviest first."""
    return sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)


def over_budget(sizes: list[tuple[int, str]]) -> list[str]:
    limits = [(size, path, HOME_LIMIT if path == "index.html" else PAGE_LIMIT) for size, path in sizes]
    return [f"{path}: {size:,} bytes, over {limit:,}" for size, path, limit in limits if size > limit]


def report(site: Path, top: int = 10) -> list[str]:
    sizes = page_sizes(site)
    home = next(size for size, path in sizes if path == "index.html")
    lines = [f"{len(sizes):,} HTML pages; home {home / 1000:.1f} KB (budget {HOME_LIMIT // 1000} KB); "
             f"heaviest {sizes[0][1]} {sizes[0][0] / 1000:.1f} KB (budget {PAGE_LIMIT // 1000} KB)"]
    lines += [f"  {size / 1000:8.1f} KB  {path}" for size, path in sizes[:top]]
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="The heaviest HTML pages of a built site.")
    parser.add_argument("site", type=Path)
    parser.add_argument("--top", type=int, default=10, help="pages to list (default 10)")
    args = parser.parse_args(argv)
    print("\n".join(report(args.site, args.top)))
    problems = over_budget(page_sizes(args.site))
    print("\n".join(problems) if problems else "every page within the budget")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
