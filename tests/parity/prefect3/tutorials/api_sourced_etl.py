"""Prefect 3 example "API-sourced ETL": fetch pages of articles with retries and a list of retry
delays (shortened), flatten them, save a CSV in the current directory. The articles API is a
local http.server whose page 2 fails once; pandas is replaced by the csv module.

Exercises retries with retry_delay_seconds=[...], @flow(name=..., log_prints=True), Path params.
"""
from __future__ import annotations

import csv
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from prefect import flow, task

hits = []


class FakeArticles(BaseHTTPRequestHandler):
    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        page, per_page = int(query["page"][0]), int(query["per_page"][0])
        hits.append(page)
        if page == 2 and hits.count(2) == 1:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        first = (page - 1) * per_page + 1
        articles = [
            {"id": n, "title": f"Article {n}", "comments_count": n % 4,
             "user": {"username": f"writer{n % 3}"}}
            for n in range(first, first + per_page)
        ]
        body = json.dumps(articles).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), FakeArticles)
threading.Thread(target=server.serve_forever, daemon=True).start()

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith(("Fetching", "Saved")):
            logged.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@task(retries=3, retry_delay_seconds=[0.1, 0.1, 0.2])
def fetch_page(page: int, api_base: str, per_page: int) -> list[dict[str, Any]]:
    """Return a list of article dicts for a given page number."""
    url = f"{api_base}/articles"
    params = {"page": page, "per_page": per_page}
    print(f"Fetching page {page} ...")
    response = httpx.get(url, params=params, timeout=30)
    response.raise_for_status()
    return response.json()


@task
def to_rows(raw_articles: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Flatten the pages and keep the fields we want."""
    records = [article for page in raw_articles for article in page]
    return [
        {"id": a["id"], "title": a["title"], "comments_count": a["comments_count"],
         "user.username": a["user"]["username"]}
        for a in records
    ]


@task
def save_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Write the rows to disk, then log a short preview."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"Saved {len(rows)} rows -> {path}")


@flow(name="devto_etl", log_prints=True)
def etl(api_base: str, pages: int, per_page: int, output_file: Path) -> None:
    """Run the end-to-end ETL for *pages* of articles."""
    raw_pages: list[list[dict[str, Any]]] = []
    for page_number in range(1, pages + 1):
        raw_pages.append(fetch_page(page_number, api_base, per_page))
    rows = to_rows(raw_pages)
    save_csv(rows, output_file)


if __name__ == "__main__":
    api_base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = 3
    per_page = 4
    output_file = Path("devto_articles.csv")
    state = etl(api_base=api_base, pages=pages, per_page=per_page, output_file=output_file,
                return_state=True)
    print("flow state:", state.name, "pages requested:", hits)
    for line in logged:
        print("logged:", line)
    print(output_file.read_text().splitlines()[:3], len(output_file.read_text().splitlines()))
    server.shutdown()
    server.server_close()
