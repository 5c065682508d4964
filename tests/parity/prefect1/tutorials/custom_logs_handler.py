"""Prefect 1 advanced tutorial "custom logs": a handler attached to Task B's logger (from
prefect.utilities.logging.get_logger) sends each record's msg to an HTTP endpoint, here a local
http.server that keeps what it receives.

Exercises get_logger("Task B"), prefect.context["logger"] naming, which records reach the handler.
"""
import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests

import prefect
from prefect import task, Flow
from prefect.utilities.logging import get_logger

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

received = []


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        received.append(parse_qs(urlsplit(self.path).query)["msg"][0])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
URL = f"http://127.0.0.1:{server.server_address[1]}/"


class MyHandler(logging.StreamHandler):
    def emit(self, record):
        requests.post(URL, params=dict(msg=record.msg))


@task(name="Task A")
def task_a():
    return 3


@task(name="Task B")
def task_b(x):
    logger = prefect.context.get("logger")
    logger.debug("Beginning to run Task B with input {}".format(x))
    y = 3 * x + 1
    logger.debug("Returning the value {}".format(y))
    logger.info("Task B computed {}".format(y))
    return y


with Flow("logging-example") as flow:
    result = task_b(task_a)


# now attach our custom handler to Task B's logger
task_logger = get_logger("Task B")
task_logger.addHandler(MyHandler())
print("logger name:", task_logger.name)

if __name__ == "__main__":
    state = flow.run()
    print(type(state).__name__, state.result[result].result)
    print("received:", received)
    server.shutdown()
    server.server_close()
