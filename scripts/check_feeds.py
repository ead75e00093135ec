#!/usr/bin/env python3
"""Checks an export folder's Atom feeds with feedparser (a real feed parser; pip install feedparser).

usage: scripts/check_feeds.py EXPORT_DIR
Every atom/*.xml must parse without a bozo error as Atom 1.0, with one entry per item of that
reader in lists.jsonl, in rank order, with the same titles and links. Prints one line; exit 1 on a problem.
"""
import collections, glob, json, os, sys

import feedparser


def main():
    root = sys.argv[1]
    items = collections.defaultdict(list)
    for line in open(os.path.join(root, "lists.jsonl")):
        it = json.loads(line)
        items[it["user"]].append(it)
    feeds = sorted(glob.glob(os.path.join(root, "atom", "*.xml")))
    problems = []
    for path in feeds:
        f = feedparser.parse(path)
        user = os.path.basename(path)[:-4]
        if f.bozo:
            problems.append(f"{path}: {f.bozo_exception}")
        if f.version != "atom10":
            problems.append(f"{path}: version {f.version!r}, expected atom10")
        want = sorted(items.get(user, []), key=lambda i: i["rank"])
        got = [(e.title, e.get("link")) for e in f.entries]
        expected = [(i["title"] or i["paper"], i["link"] or None) for i in want]
        if [t for t, _ in got] != [t for t, _ in expected]:
            problems.append(f"{path}: entries {len(got)} do not match the {len(want)} items of {user}")
        for (t, link), (_, want_link) in zip(got, expected):
            if want_link and link != want_link:
                problems.append(f"{path}: {t}: link {link} != {want_link}")
    for p in problems[:20]:
        print(p)
    print(f"feedparser {feedparser.__version__}: {len(feeds)} Atom feeds, {sum(len(v) for v in items.values())} entries, "
          f"{len(problems)} problems")
    sys.exit(1 if problems or not feeds else 0)


if __name__ == "__main__":
    main()
