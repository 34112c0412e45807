#!/usr/bin/env python3
"""Makes the single-file build of the page: one HTML file that carries
mmlab.wasm and mmlab.js inside it (base64), so that it works opened from disk
(file://) and sent by email, where a browser fetches nothing.

    single_file.py SITE_DIR OUTPUT

SITE_DIR holds index.html, mmlab.js and mmlab.wasm (build/web/site). The
page's own loader (index.html) finds the two elements this adds,
#mmlab-wasm-inline and #mmlab-js-inline, compiles the wasm from the first and
runs the second as a script; the <script src="mmlab.js"> tag is dropped.
Base64 holds no '<', so no text inside those elements can end them early.
"""
import base64
import sys
from pathlib import Path

SCRIPT_TAG = '<script async src="mmlab.js"></script>'


def wrapped(data: bytes) -> str:
    # Lines of 76 characters, as MIME's base64 has them: some mail systems
    # break lines longer than 998 characters.
    text = base64.b64encode(data).decode('ascii')
    return '\n'.join(text[i:i + 76] for i in range(0, len(text), 76))


def main() -> int:
    if len(sys.argv) != 3:
        print('usage: single_file.py SITE_DIR OUTPUT', file=sys.stderr)
        return 2
    site = Path(sys.argv[1])
    output = Path(sys.argv[2])
    html = (site / 'index.html').read_text(encoding='utf-8')
    js = (site / 'mmlab.js').read_bytes()
    wasm = (site / 'mmlab.wasm').read_bytes()
    if html.count(SCRIPT_TAG) != 1 or html.count('<body>') != 1:
        print(f'single_file.py: {site}/index.html does not have one <body> and one '
              f'{SCRIPT_TAG}: the loader changed, change this script with it', file=sys.stderr)
        return 1
    inline = ('<body>\n<!-- The single-file build (web/single_file.py): mmlab.wasm and '
              'mmlab.js, base64. -->\n'
              '<script type="application/octet-stream" id="mmlab-wasm-inline">\n' +
              wrapped(wasm) + '\n</script>\n'
              '<script type="application/octet-stream" id="mmlab-js-inline">\n' +
              wrapped(js) + '\n</script>')
    html = html.replace('<body>', inline, 1).replace(SCRIPT_TAG + '\n', '', 1)
    html = html.replace(SCRIPT_TAG, '', 1)
    output.write_text(html, encoding='utf-8')
    return 0


if __name__ == '__main__':
    sys.exit(main())
