#!/usr/bin/env python3
"""Talent Atlas: build the site from content/ into site/.

    python build.py            build
    python build.py check      validate content only
    python build.py --help     every command
"""
from __future__ import annotations

import sys

from atlas.commands.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
