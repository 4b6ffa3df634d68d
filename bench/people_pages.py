"""People pages at scale: list, search and a person's page against a trivial logged-in page.

    .venv/bin/python bench/people_pages.py [--scale 1.0]

Prints medians over repeated requests and their ratio to the floor (the empty inbox page).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Session, demo_server, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with demo_server(args.scale) as base:
        for username in ("coordinator", "liaison_a"):
            session = Session(base, username)
            listing = session.get("/people/")
            person = re.search(r'href="/people/(\d+)/"', listing)
            floor = session.median_ms("/inbox/", args.repeat)
            rows = [
                ("/people/ (first page)", session.median_ms("/people/", args.repeat)),
                ("/people/?page=50", session.median_ms("/people/?page=50", args.repeat)),
                ("/people/?q=zh (pinyin search)", session.median_ms("/people/?q=zh", args.repeat)),
                ("/api/v1/people/", session.median_ms("/api/v1/people/", args.repeat)),
            ]
            if person:
                path = f"/people/{person.group(1)}/"
                rows.append((f"{path} (audited view)", session.median_ms(path, args.repeat)))
            report(f"scale {args.scale}, as {username}", "/inbox/", floor, rows)


if __name__ == "__main__":
    main()
