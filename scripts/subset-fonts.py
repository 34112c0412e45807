#!/usr/bin/python3
"""Makes the lab's two embedded fonts, assets/fonts/mmlab-sans.ttf and
mmlab-sans-mono.ttf: DejaVu Sans and DejaVu Sans Mono (Debian's
fonts-dejavu-core) cut down to the glyph ranges the UI rasterises, so the
page carries ~140 KB of font instead of ~1.1 MB (assets/README.md).

The ranges are read from kGlyphRanges in ui/style.cpp, the one list ImGui
builds its atlas from: a glyph outside it is never drawn, so dropping it
changes nothing on screen. Hinting and OpenType layout tables go too (ImGui's
stb_truetype rasteriser uses neither). The fonts are renamed, as the
Bitstream Vera licence asks of modified fonts; its copyright, trademark and
licence notices stay in each file's name table.

Needs Debian's python3-fonttools. Run from anywhere:
    /usr/bin/python3 scripts/subset-fonts.py [DEJAVU_DIR]
(default DEJAVU_DIR: /usr/share/fonts/truetype/dejavu). The output is
byte-for-byte reproducible for the same input fonts and fonttools version.
"""

import pathlib
import re
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = pathlib.Path(__file__).resolve().parent.parent
# (input file, output file, new family name, new PostScript name)
FONTS = [
    ("DejaVuSans.ttf", "mmlab-sans.ttf", "mmlab Sans", "mmlabSans"),
    ("DejaVuSansMono.ttf", "mmlab-sans-mono.ttf", "mmlab Sans Mono", "mmlabSansMono"),
]
# Name IDs that carry the font's name: family, unique id, full name,
# PostScript name, typographic family. Everything else (copyright 0,
# version 5, designer 8, URL 11, licence 13 and 14) is kept as it is.
RENAMED_IDS = {1, 3, 4, 6, 16, 18, 21}


def glyph_ranges():
    """The [first, last] code point pairs of kGlyphRanges in ui/style.cpp."""
    text = (ROOT / "ui" / "style.cpp").read_text(encoding="utf-8")
    block = re.search(r"kGlyphRanges\[\]\s*=\s*\{(.*?)\};", text, re.S)
    if not block:
        sys.exit("subset-fonts: no kGlyphRanges in ui/style.cpp")
    body = re.sub(r"//[^\n]*", "", block.group(1))
    values = [int(v, 16) for v in re.findall(r"0x([0-9A-Fa-f]+)", body)]
    if not values or len(values) % 2:
        sys.exit("subset-fonts: kGlyphRanges is not a list of pairs")
    return list(zip(values[0::2], values[1::2]))


def make(source, target, family, postscript, ranges):
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False  # reproducible output
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "kern", "MATH"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for first, last in ranges for u in range(first, last + 1)])
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID not in RENAMED_IDS:
            continue
        if record.nameID == 6:
            record.string = postscript
        elif record.nameID == 3:
            record.string = f"{family} (subset of {record.toUnicode()} for mmlab)"
        else:
            record.string = family
    font.save(str(target))


def main():
    source_dir = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/dejavu")
    ranges = glyph_ranges()
    for source, target, family, postscript in FONTS:
        out = ROOT / "assets" / "fonts" / target
        make(source_dir / source, out, family, postscript, ranges)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
