#!/usr/bin/env python3
"""Make the CJK subset font the pictures embed.

A one-time developer step; the result is committed next to this script, so
neither builds nor CI run it. It needs Debian's fonts-noto-cjk and
python3-fonttools:

    apt-get install fonts-noto-cjk python3-fonttools
    /usr/bin/python3 picture/fonts/subset.py

It takes Noto Sans CJK SC (SIL Open Font License 1.1, see OFL.txt) from the
Debian collection and keeps: printable ASCII and Latin-1/Latin Extended-A,
the 7,445 characters of GB 2312 (all 6,763 hanzi of levels 1 and 2 plus its
symbols and punctuation), a few symbols the pictures draw, and every
non-ASCII character in the project's playbooks and Go sources, so stage
names, playbook text and messages always render. Run it again after adding
text with characters outside that set.
"""
import glob
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOURCE = {
    "Regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "Bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
}
SC = 2  # index of Noto Sans CJK SC in Debian's collections

# Symbols the pictures draw besides text.
EXTRA = "→←↑↓↩↺✓✔✗✘⚠•·…–—‘’“”″′°×÷≤≥≈±‰€£¥₩§¶©®™"


def charset():
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xA0, 0x180)}
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars |= set(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= set(EXTRA)
    for pattern in ("coach/playbooks/*.yaml", "**/*.go"):
        for path in glob.glob(os.path.join(ROOT, pattern), recursive=True):
            with open(path, encoding="utf-8") as f:
                chars |= {ch for ch in f.read() if ord(ch) > 0x7F and ch.isprintable()}
    return chars


def main():
    chars = charset()
    for weight, src in SOURCE.items():
        font = TTCollection(src).fonts[SC]
        opts = subset.Options()
        opts.layout_features = ["kern"]  # x/image draws glyph by glyph: no shaping
        opts.name_IDs = ["*"]
        opts.name_languages = ["*"]
        opts.notdef_outline = True
        opts.hinting = False
        opts.desubroutinize = False
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)
        out = os.path.join(HERE, f"NotoSansSC-{weight}-subset.otf")
        font.save(out)
        print(f"{out}: {len(font.getGlyphOrder())} glyphs, {os.path.getsize(out)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
