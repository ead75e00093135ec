#!/usr/bin/env python3
"""Renders an HTML digest in headless Chromium and checks that the page shows the reader's top items.

usage: scripts/check_digest.py EXPORT_DIR READER [CHROMIUM]
Chromium's --dump-dom (the DOM after parsing and layout) must contain, for the reader's first 5 items
of lists.jsonl, in rank order, an <li class="item" data-rank="N"> with the title linked to its arXiv page.
"""
import html, json, os, re, subprocess, sys


def main():
    root, reader = sys.argv[1], sys.argv[2]
    browser = sys.argv[3] if len(sys.argv) > 3 else "chromium"
    items = sorted((json.loads(l) for l in open(os.path.join(root, "lists.jsonl"))), key=lambda i: i["rank"])
    top = [i for i in items if i["user"] == reader][:5]
    page = "file://" + os.path.abspath(os.path.join(root, "html", reader + ".html"))
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page],
                         capture_output=True, text=True, timeout=120).stdout
    position = 0
    for it in top:
        anchor = f'<a href="{it["link"]}">{html.escape(it["title"], quote=False)}</a>' if it["link"] else html.escape(it["title"])
        found = dom.find(anchor, position)
        rank = re.search(r'data-rank="(\d+)"', dom[dom.rfind("<li", 0, found):found]) if found >= 0 else None
        if found < 0 or not rank or int(rank.group(1)) != it["rank"]:
            print(f"{page}: item {it['rank']} ({it['title'][:60]}) not rendered in order")
            sys.exit(1)
        position = found
    print(f"chromium rendered {reader}'s digest: top {len(top)} items in rank order, with arXiv links")


if __name__ == "__main__":
    main()
