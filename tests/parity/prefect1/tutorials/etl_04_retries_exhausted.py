"""Prefect 1 core tutorial, step 4 turned around: the live-data fetch fails more often than
max_retries allows, so it ends Failed and the downstream tasks end TriggerFailed.

Exercises max_retries exhaustion, the default all_successful trigger, flow state Failed.
"""
import contextlib
import io
import logging
import sqlite3
import sys
import types
from datetime import timedelta

from prefect import task, Flow, Parameter

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def observe(run):
    """Runs the flow with the tasks' prints captured: which lines appeared is compared, and only
    the order the DAG fixes (independent branches may run in any order)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        state = run()
    lines = buf.getvalue().splitlines()
    print("task prints, sorted:", sorted(lines))
    last = {line: i for i, line in enumerate(lines)}
    first = {line: i for i, line in reversed(list(enumerate(lines)))}
    if "saving live aircraft data..." in lines:
        print("dependency order kept:",
              last["fetching live aircraft data..."] < first["cleaning & transform aircraft data..."]
              and last["fetching reference data..."] < first["cleaning & transform aircraft data..."]
              < first["saving live aircraft data..."]
              and last["fetching reference data..."] < first["saving reference data..."])
    return state


class aclib:
    """A small local stand-in for the tutorial's aircraftlib: fixed reference and live data,
    a bounding box filter and a SQLite database file in the current directory."""

    AIRLINES = {"UAL": "United Airlines", "AAL": "American Airlines", "DAL": "Delta Air Lines"}
    AIRPORTS = {
        "IAD": {"latitude": "38.9519444444", "longitude": "-77.4480555556"},
        "DCA": {"latitude": "38.8521", "longitude": "-77.0377"},
    }
    LIVE = [
        {"icao": "a1b2c3", "callsign": "UAL123  ", "lat": 38.95, "long": -77.40},
        {"icao": "d4e5f6", "callsign": "", "lat": 38.86, "long": -77.04},
        {"icao": "0a0b0c", "callsign": "DAL88 ", "lat": 38.85, "long": -77.03},
        {"icao": "ffeedd", "callsign": "AAL7", "lat": 40.64, "long": -73.78},
    ]
    live_calls = 0
    failures_left = 0

    @staticmethod
    def Position(lat, long):
        return (lat, long)

    @staticmethod
    def bounding_box(position, radius_km):
        degrees = radius_km / 111.0
        lat, long = position
        return (lat - degrees, long - degrees, lat + degrees, long + degrees)

    @staticmethod
    def fetch_reference_data():
        return types.SimpleNamespace(airlines=dict(aclib.AIRLINES), airports=dict(aclib.AIRPORTS))

    @staticmethod
    def fetch_live_aircraft_data(area=None, simulate_failures=0):
        aclib.live_calls += 1
        if aclib.live_calls <= simulate_failures:
            raise RuntimeError(f"simulated failure {aclib.live_calls}")
        if area is None:
            return [dict(v) for v in aclib.LIVE]
        lat0, long0, lat1, long1 = area
        return [dict(v) for v in aclib.LIVE if lat0 <= v["lat"] <= lat1 and long0 <= v["long"] <= long1]

    @staticmethod
    def clean_vector(raw_vector):
        callsign = raw_vector["callsign"].strip()
        if not callsign:
            return None
        return dict(raw_vector, callsign=callsign)

    @staticmethod
    def add_airline_info(vector, airlines):
        vector["airline"] = airlines.get(vector["callsign"][:3], "unknown")

    class Database:
        def __init__(self, path="aircraft.db"):
            self.conn = sqlite3.connect(path)
            self.conn.execute("CREATE TABLE IF NOT EXISTS live (icao TEXT, callsign TEXT, airline TEXT)")
            self.conn.execute("CREATE TABLE IF NOT EXISTS airlines (code TEXT PRIMARY KEY, name TEXT)")

        def add_live_aircraft_data(self, vectors):
            with self.conn:
                self.conn.executemany(
                    "INSERT INTO live VALUES (?, ?, ?)",
                    [(v["icao"], v["callsign"], v["airline"]) for v in vectors],
                )

        def update_reference_data(self, ref_data):
            with self.conn:
                self.conn.executemany(
                    "INSERT OR REPLACE INTO airlines VALUES (?, ?)", sorted(ref_data.airlines.items())
                )

        def dump(self):
            live = self.conn.execute("SELECT icao, callsign, airline FROM live ORDER BY icao").fetchall()
            airlines = self.conn.execute("SELECT count(*) FROM airlines").fetchone()[0]
            return live, airlines


@task(max_retries=3, retry_delay=timedelta(seconds=0.1))
def extract_reference_data():
    print("fetching reference data...")
    return aclib.fetch_reference_data()


@task(max_retries=2, retry_delay=timedelta(seconds=0.1))
def extract_live_data(airport, radius, ref_data):
    # Get the live aircraft vector data around the given airport (or none)
    area = None
    if airport:
        airport_data = ref_data.airports[airport]
        airport_position = aclib.Position(
            lat=float(airport_data["latitude"]), long=float(airport_data["longitude"])
        )
        area = aclib.bounding_box(airport_position, radius)

    print("fetching live aircraft data...")
    raw_aircraft_data = aclib.fetch_live_aircraft_data(area=area, simulate_failures=5)

    return raw_aircraft_data


@task
def transform(raw_aircraft_data, ref_data):
    print("cleaning & transform aircraft data...")

    live_aircraft_data = []
    for raw_vector in raw_aircraft_data:
        vector = aclib.clean_vector(raw_vector)
        if vector:
            aclib.add_airline_info(vector, ref_data.airlines)
            live_aircraft_data.append(vector)

    return live_aircraft_data


@task
def load_reference_data(ref_data):
    print("saving reference data...")
    db = aclib.Database()
    db.update_reference_data(ref_data)


@task
def load_live_data(live_aircraft_data):
    print("saving live aircraft data...")
    db = aclib.Database()
    db.add_live_aircraft_data(live_aircraft_data)


def main():
    with Flow("etl") as flow:
        airport = Parameter("airport", default="IAD")
        radius = Parameter("radius", default=200)

        reference_data = extract_reference_data()
        live_data = extract_live_data(airport, radius, reference_data)

        transformed_live_data = transform(live_data, reference_data)

        load_reference_data(reference_data)
        load_live_data(transformed_live_data)

    state = observe(lambda: flow.run(airport="DCA", radius=10))

    print(type(state).__name__, state.message)
    for t in sorted(flow.tasks, key=lambda t: t.name):
        print(" ", t.name, type(state.result[t]).__name__)
    print("live rows, airlines:", aclib.Database().dump())
    print("live data calls:", aclib.live_calls)
    print("error:", repr(state.result[live_data].result))


if __name__ == "__main__":
    main()
