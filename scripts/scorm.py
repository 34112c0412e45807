#!/usr/bin/env python3
"""Makes SCORM 1.2 packages of the lab: one zip per shipped lesson, each a
single SCO that a learning management system (Moodle, Canvas, Blackboard)
imports as an activity. README, "An LMS package", says how to upload them.

Each zip holds, at its root:
  imsmanifest.xml  the package (IMS CP 1.1.2 with ADL's SCORM 1.2 extensions):
                   one organization, one item with adlcp:masteryscore, one
                   resource of adlcp:scormtype "sco" listing every file
  launch.html      the SCO's launch file: opens index.html on the lesson with
                   the page's SCORM runtime adapter on (web/scorm.js)
  the static site  index.html, mmlab.js, mmlab.wasm (build/web/site), as served
                   (each SCO is self-contained: an LMS serves each package apart)

The mastery score is core/lesson/session.h's kMasteryPercent unless
--mastery says otherwise. The zips are reproducible: fixed timestamps,
files in sorted order.

Usage: scorm.py --site build/web/site --lessons lessons --out build/web/scorm [--salt S]
(`cmake --build --preset web --target scorm` runs it after building the site).
"""
import argparse
import html
import os
import re
import sys
import urllib.parse
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# 1980-01-01, the earliest time a zip can hold: the same input gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def mastery_from_source():
    path = os.path.join(ROOT, "core", "lesson", "session.h")
    with open(path, encoding="utf-8") as f:
        m = re.search(r"kMasteryPercent\s*=\s*(\d+)\s*;", f.read())
    if not m:
        sys.exit(f"scorm.py: no kMasteryPercent in {path}")
    return int(m.group(1))


def lessons_in(folder):
    """[(id, title)] of every lesson file but README.md, sorted by id (the
    id is the file name, as the lessons library has it)."""
    found = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".md") or name == "README.md":
            continue
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            text = f.read()
        m = re.match(r"---\n(.*?)\n---\n", text, re.S)
        title = None
        if m:
            t = re.search(r"^title:\s*(.+)$", m.group(1), re.M)
            title = t.group(1).strip() if t else None
        if not title:
            sys.exit(f"scorm.py: {name} has no title in its front matter")
        found.append((name[:-3], title))
    return found


# What the page loads (index.html: mmlab.js and mmlab.wasm, nothing from
# elsewhere); other files of the site (other builds' artifacts) stay out.
SITE_FILES = ["index.html", "mmlab.js", "mmlab.wasm"]


def site_files(site):
    for needed in SITE_FILES:
        if not os.path.isfile(os.path.join(site, needed)):
            sys.exit(f"scorm.py: {site} has no {needed}: build the web preset first")
    return list(SITE_FILES)


def launch_html(lesson_id, title, salt):
    # The fragment opens the lesson (a deep link) and turns SCORM on; the
    # tour stays closed (an LMS may open the SCO in a window of its own).
    # salt= is the instructor's, for lessons with variants: with the LMS's
    # student id it draws each student's numbers (web/scorm.js).
    target = f"index.html#lesson={lesson_id}&scorm=1&notour"
    if salt:
        target += "&salt=" + urllib.parse.quote(salt, safe="")
    t = html.escape(title)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mmlab: {t}</title>
<script>location.replace({target!r});</script>
</head>
<body>
<p><a href="{html.escape(target)}">Open the lesson &ldquo;{t}&rdquo;</a></p>
</body>
</html>
"""


# The http:// strings in the manifest are XML namespace names that SCORM 1.2
# (IMS Content Packaging 1.1.2 and ADL's adlcp) fixes, as an LMS matches them
# character by character; nothing fetches them, at build time or in the LMS.
def manifest(lesson_id, title, mastery, files):
    e = html.escape
    listed = "\n".join(f'      <file href="{e(f)}"/>' for f in files)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="mmlab-{e(lesson_id)}" version="1.0"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
          xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="mmlab-{e(lesson_id)}-org">
    <organization identifier="mmlab-{e(lesson_id)}-org">
      <title>mmlab: {e(title)}</title>
      <item identifier="mmlab-{e(lesson_id)}-item" identifierref="mmlab-{e(lesson_id)}-sco" isvisible="true">
        <title>{e(title)}</title>
        <adlcp:masteryscore>{mastery}</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="mmlab-{e(lesson_id)}-sco" type="webcontent" adlcp:scormtype="sco" href="launch.html">
{listed}
    </resource>
  </resources>
</manifest>
"""


def add(zf, name, data):
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data)


def package(path, lesson_id, title, mastery, salt, site, files):
    sco_files = sorted(["launch.html"] + files)
    entries = {"imsmanifest.xml": manifest(lesson_id, title, mastery, sco_files).encode(),
               "launch.html": launch_html(lesson_id, title, salt).encode()}
    for f in files:
        with open(os.path.join(site, f), "rb") as src:
            entries[f] = src.read()
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w") as zf:
        # The manifest first: some importers look for it there.
        add(zf, "imsmanifest.xml", entries.pop("imsmanifest.xml"))
        for name in sorted(entries):
            add(zf, name, entries[name])
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description="SCORM 1.2 packages of mmlab, one per lesson")
    parser.add_argument("--site", default=os.path.join(ROOT, "build", "web", "site"))
    parser.add_argument("--lessons", default=os.path.join(ROOT, "lessons"))
    parser.add_argument("--out", default=os.path.join(ROOT, "build", "web", "scorm"))
    parser.add_argument("--mastery", type=int, default=None,
                        help="the passing percent (default: kMasteryPercent)")
    parser.add_argument("--salt", default="",
                        help="the instructor's salt for lessons with variants (mmlab --grade --salt)")
    args = parser.parse_args()
    mastery = mastery_from_source() if args.mastery is None else args.mastery
    if not 0 <= mastery <= 100:
        sys.exit(f"scorm.py: --mastery must be 0 to 100, not {mastery}")
    files = site_files(args.site)
    os.makedirs(args.out, exist_ok=True)
    for lesson_id, title in lessons_in(args.lessons):
        path = os.path.join(args.out, f"mmlab-{lesson_id}-scorm12.zip")
        package(path, lesson_id, title, mastery, args.salt, args.site, files)
        print(f"scorm.py: {path} ({os.path.getsize(path) // 1024} KiB)")


if __name__ == "__main__":
    main()
