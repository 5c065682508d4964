"""Prefect 1 advanced tutorial "advanced mapping" (X-Files transcripts): retrieve_url on a local
http.server holding a tiny episode site, create_episode_list, retrieve_url.map and
scrape_dialogue.map, then SQLiteScript tasks (create table, mapped inserts with
upstream_tasks=[unmapped(db)]) added to the same flow, and a bypass run on one episode.
BeautifulSoup is replaced by html.parser.

Exercises mapping over a task's list result, chained maps, unmapped upstream_tasks, map_states,
adding tasks with "with flow:", prefect.tasks.database.SQLiteScript, task_states= on rerun.
"""
import logging
import sqlite3
import sys
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from prefect import task, Flow, Parameter, unmapped
from prefect.tasks.database import SQLiteScript

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

SITE = {
    "/": '<html><title>Inside the X</title><a href="transcrp/scrp101.htm">Pilot</a>'
         '<a href="about.htm">About</a><a href="transcrp/scrp102.htm">Deep Throat</a></html>',
    "/transcrp/scrp101.htm": "<html><title>Pilot *</title><b>MULDER:</b> Sorry, nobody down here."
                             "<b>SCULLY:</b> I was assigned to work with you.</html>",
    "/transcrp/scrp102.htm": "<html><title>Deep Throat</title><b>MULDER:</b> I want to believe."
                             "<b>SCULLY:</b> It's Scully's turn.<b>DEEP THROAT:</b> Trust no one.</html>",
}
fetched = []


class FakeSite(BaseHTTPRequestHandler):
    def do_GET(self):
        fetched.append(self.path)
        body = SITE.get(self.path)
        self.send_response(200 if body else 404)
        payload = (body or "missing").encode()
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSite)
threading.Thread(target=server.serve_forever, daemon=True).start()
BASE = f"http://127.0.0.1:{server.server_address[1]}/"


class Page(HTMLParser):
    """Just enough of BeautifulSoup for the tutorial: the title, the <b> speakers, the links."""

    def __init__(self, html):
        super().__init__()
        self.title, self.links, self.dialogue, self._tag = "", [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        if tag == "a":
            self.links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        self._tag = None

    def handle_data(self, data):
        if self._tag == "title":
            self.title += data
        elif self._tag == "b":
            self.dialogue.append([data, ""])
        elif self.dialogue and self._tag is None:
            self.dialogue[-1][1] += data


@task(tags=["web"])
def retrieve_url(url):
    """Given a URL (string), retrieves html and returns the html as a string."""
    html = requests.get(url)
    if html.ok:
        return html.text
    else:
        raise ValueError("{} could not be retrieved.".format(url))


@task
def scrape_dialogue(episode_html):
    """Given a page of html, returns (title, [(character, text)]) of the episode's dialogue."""
    episode = Page(episode_html)
    title = episode.title.rstrip(' *').replace("'", "''")
    dialogue = []
    for who, what in episode.dialogue:
        who = who.rstrip(': ').rstrip(' *').replace("'", "''")
        what = what.strip().rstrip(' *').replace("'", "''")
        dialogue.append((who, what))
    return (title, dialogue)


@task
def create_episode_list(base_url, main_html, bypass):
    """Given the main page html, creates a list of episode URLs"""
    if bypass:
        return [base_url]

    main_page = Page(main_html)
    episodes = []
    for url in main_page.links:
        if 'transcrp/scrp' in (url or ''):
            episodes.append(base_url + url)
    return episodes


with Flow("xfiles") as flow:
    url = Parameter("url")
    bypass = Parameter("bypass", default=False, required=False)
    home_page = retrieve_url(url)
    episodes = create_episode_list(url, home_page, bypass=bypass)
    episode = retrieve_url.map(episodes)
    dialogue = scrape_dialogue.map(episode)

scraped_state = flow.run(parameters={"url": BASE})
dialogue_state = scraped_state.result[dialogue]  # a Mapped state, one child per episode
print(type(scraped_state).__name__, type(dialogue_state).__name__)
print('\n'.join([f'{s.result[0]}: {type(s).__name__}' for s in dialogue_state.map_states[:5]]))
print("fetched:", fetched)

create_db = SQLiteScript(name="Create DB",
                         db="xfiles_db.sqlite",
                         script="CREATE TABLE IF NOT EXISTS XFILES (EPISODE TEXT, CHARACTER TEXT, TEXT TEXT)",
                         tags=["db"])


@task
def create_episode_script(episode):
    title, dialogue = episode
    insert_cmd = "INSERT INTO XFILES (EPISODE, CHARACTER, TEXT) VALUES\n"
    values = ',\n'.join(["('{0}', '{1}', '{2}')".format(title, *row) for row in dialogue]) + ";"
    return insert_cmd + values


insert_episode = SQLiteScript(name="Insert Episode",
                              db="xfiles_db.sqlite",
                              tags=["db"])

with flow:
    db = create_db()
    ep_script = create_episode_script.map(episode=dialogue)
    final = insert_episode.map(script=ep_script, upstream_tasks=[unmapped(db)])

fetched.clear()
state = flow.run(parameters={"url": BASE}, task_states=scraped_state.result)
print(type(state).__name__, type(state.result[final]).__name__, len(state.result[final].map_states))
print("fetched again:", fetched)

final_state = flow.run(parameters={"url": BASE + "transcrp/scrp102.htm", "bypass": True})
print(type(final_state).__name__, final_state.result[episodes].result == [BASE + "transcrp/scrp102.htm"])

rows = sqlite3.connect("xfiles_db.sqlite").execute(
    "SELECT EPISODE, CHARACTER, TEXT FROM XFILES ORDER BY EPISODE, CHARACTER, TEXT").fetchall()
for row in rows:
    print(row)
server.shutdown()
server.server_close()
