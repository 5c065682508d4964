"""prefect.logging.handlers.PrefectConsoleHandler and prefect.logging.highlighters: a rich console
handler writing formatted records; the highlighters' style names for levels, URLs, names and states."""
import io
import logging

from prefect.logging.handlers import PrefectConsoleHandler, StreamHandler
from prefect.logging.highlighters import (
    LevelHighlighter,
    NameHighlighter,
    PrefectConsoleHighlighter,
    StateHighlighter,
    UrlHighlighter,
)

stream = io.StringIO()
handler = PrefectConsoleHandler(stream=stream, level="INFO", styles={"log.info_level": "cyan"})
handler.setFormatter(logging.Formatter("%(levelname)s | %(name)s - %(message)s"))
print(handler.level, isinstance(handler, StreamHandler), isinstance(handler, logging.StreamHandler))
logger = logging.getLogger("console-demo")
logger.propagate = False
logger.setLevel(logging.DEBUG)
logger.addHandler(handler)
logger.debug("not shown: below the handler's level")
logger.info("Flow run 'brave-fox' - Finished in state Completed() at http://127.0.0.1:4200/runs")
logger.warning("Task run 'load-0' - a long line " + "x" * 120)
logger.error("[bold]markup is printed as written[/bold]")
print(stream.getvalue(), end="")


def spans(highlighter, text):
    styled = highlighter()(text)
    return sorted((text[s.start:s.end], str(s.style)) for s in styled.spans)


print(spans(LevelHighlighter, "INFO then ERROR then DEBUG"))
print(spans(UrlHighlighter, "see https://example.com/a?b=1 and file:///tmp/x.txt"))
print(spans(NameHighlighter, "Flow run 'brave-fox' of flow 'etl' ran task 'load'"))
print(spans(StateHighlighter, "Completed Failed Running Cached(type=COMPLETED) Crashed"))
print(spans(PrefectConsoleHighlighter, "INFO Task run 'x-0' Completed http://h/p"))
