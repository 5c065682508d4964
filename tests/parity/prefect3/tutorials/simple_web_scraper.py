"""Prefect 3 example "simple web scraper": fetch_html(retries=3, delay shortened) with requests
from a local http.server whose article page fails once, parse_article pulls headings and
paragraphs out of <article> while skipping code; BeautifulSoup is replaced by html.parser.

Exercises retries with retry_delay_seconds, a task's result passed straight into another task,
@flow(log_prints=True) with an optional list parameter, printing a multi-line message.
"""
from __future__ import annotations

import logging
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from prefect import flow, task

PAGES = {
    "/blog/why": "<html><body><nav>menu</nav><article><h1>Why teams switch</h1>"
                 "<p>Retries are one decorator away.</p><pre>code block</pre>"
                 "<h2>Observability</h2><p>Every run is <code>tracked</code> visibly.</p></article></body></html>",
    "/blog/empty": "<html><body><p>No article here.</p></body></html>",
}
hits = []


class FakeBlog(BaseHTTPRequestHandler):
    def do_GET(self):
        hits.append(self.path)
        if self.path == "/blog/why" and hits.count(self.path) == 1:
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = PAGES[self.path].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBlog)
threading.Thread(target=server.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{server.server_address[1]}"

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith(("Fetching", "\n====", "No article")):
            logged.append(msg.replace(BASE, "BASE"))


logging.getLogger("prefect").addHandler(Collect())


class Article(HTMLParser):
    """Just enough of BeautifulSoup: (tag, text) of headings and paragraphs inside <article>,
    with <pre>/<code> content dropped."""

    def __init__(self, html):
        super().__init__()
        self.blocks, self.stack, self.found = [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        if tag == "article":
            self.found = True
        if "article" in self.stack and tag in ("h1", "h2", "h3", "p", "li"):
            self.blocks.append([tag, ""])

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if "article" in self.stack and self.blocks and not {"pre", "code"} & set(self.stack):
            if self.stack[-1] == self.blocks[-1][0]:
                self.blocks[-1][1] += data


@task(retries=3, retry_delay_seconds=0.1)
def fetch_html(url: str) -> str:
    """Download page HTML (with retries)."""
    print(f"Fetching {url} ...")
    response = requests.get(url, timeout=10)
    response.raise_for_status()
    return response.text


@task
def parse_article(html: str) -> str:
    """Extract article text, skipping code blocks."""
    article = Article(html)
    if not article.found:
        return ""
    content = []
    for name, text in article.blocks:
        text = " ".join(text.split())
        if not text:
            continue
        if name.startswith("h"):
            content.extend(["\n" + "=" * 20, text.upper(), "=" * 20 + "\n"])
        else:
            content.extend([text, ""])
    return "\n".join(content)


@flow(log_prints=True)
def scrape(urls: list[str] | None = None) -> None:
    """Scrape and print article content from URLs."""
    if urls:
        for url in urls:
            content = parse_article(fetch_html(url))
            print(content if content else "No article content found.")


if __name__ == "__main__":
    urls = [f"{BASE}/blog/why", f"{BASE}/blog/empty"]
    scrape(urls=urls)
    scrape()
    print("requests:", hits)
    for line in logged:
        print("logged:", line)
    server.shutdown()
    server.server_close()
