"""scripts/bench_city.py keeps working: its page list, floor and concurrent run, on a small
data set in the suite's database (no timing is asserted: the figures are the benchmark's)."""
from __future__ import annotations

import dataclasses
import re

import pytest
from bench import database, floor, growth, load, pages
from bench.dataset import seed_city

from app.extensions import db
from app.seed import seed_demo
from tests.conftest import empty_domain_tables


@pytest.fixture
def small_city(app, database_url, tmp_path, monkeypatch):
    """The demo district plus 120 city commissions; the benchmark's files in tmp_path."""
    monkeypatch.setattr(database, "WORKDIR", tmp_path)
    with app.app_context():
        seed_demo(db.session)
        db.session.commit()
        seed_city(db.engine, commissions=120, units=30, progress=lambda *_: None)
        database.ensure_admin(app)
    yield database_url
    # The suite's other tests see only their own accounts: the rows naming it go first.
    empty_domain_tables(app)
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=database.ADMIN)
        if user is not None:
            db.session.delete(user)
            db.session.commit()


def test_every_page_answers_and_is_measured(small_city):
    """Each page of the benchmark answers 200 (measure() raises otherwise), every document
    kind is printed, the floor renders the same 20 rows from one statement."""
    figures = list(pages.run(small_city, runs=1, export_runs=1, pdf_runs=1,
                             progress=lambda *_: None))
    names = [f.name for f in figures]
    assert names[:2] == ["commission list, first page",
                         "commission list, filtered (state = in progress)"]
    assert re.fullmatch(r"commission list, deep page \((\d+) of \1\)", names[2])
    assert sum(name.startswith("PDF: ") for name in names) == 8
    assert all(f.statements > 0 and f.size > 0 and f.runs == 1 for f in figures)
    bare = floor.run(small_city, 2)
    assert bare.statements == 1 and bare.size > 0
    compared = growth.run(small_city, small_city, 1)
    assert [row.name for row in compared][2:] == [
        "commission list, deep page (the last)", "commission page",
        "dashboard, figures computed", "dashboard, figures kept", "overdue screen (督办)"]
    assert all(row.small_ms > 0 and row.large_ms > 0 for row in compared)


def test_concurrent_run_signs_in_and_counts(small_city):
    """gunicorn with one worker, two clients for a second: requests answered, no error."""
    result = load.run(small_city, clients=2, seconds=1, workers=1)
    assert result.requests > 0 and result.errors == 0, result.first_error
    assert result.worker_rss_mb >= result.worker_pss_mb >= result.worker_private_mb > 0
    for page in ("/commissionview/list/", load.case_page(small_city)):
        alone = load.run(small_city, clients=1, seconds=1, workers=1, only=page)
        assert alone.name == page and alone.requests > 0 and not alone.errors, alone


def test_floor_reads_its_cookie_and_pages_show_their_ratio(app, database_url):
    """Issue 16 item 1: the floor is a fair minimal app (its template compiled once, its
    signed session cookie read on every request) and every page is printed with its ratio
    to it."""
    import bench_city

    bare_app, engine = floor.minimal_app(database_url)
    try:
        assert bare_app.test_client().get("/").status_code == 403  # no cookie, no page
        assert floor.signed_in(bare_app).get("/").status_code == 200
    finally:
        engine.dispose()
    bare = pages.Figure("floor", 2.0, 2.5, 1, 3, 100)
    page = pages.Figure("commission list, first page", 7.0, 8.0, 3, 3, 9000)
    table = bench_city._table([page, bare], bare)
    assert "| commission list, first page | 7.0 | 3.5× |" in table[2]
    assert "| floor | 2.0 | 1.0× |" in table[3]


def test_floor_under_load_and_each_concurrent_run_as_its_share(small_city):
    """Issue 16 item 1, under load: the floor served by gunicorn as the app is (sync workers
    forked after the app is built) answers the same clients without an error, and each
    concurrent run is printed as a share of the floor's throughput."""
    import bench_city

    bare = load.run_floor(small_city, clients=2, seconds=1, workers=1)
    assert bare.name == floor.NAME and bare.requests > 0 and bare.errors == 0, bare.first_error
    assert bare.worker_rss_mb > 0
    app_run = dataclasses.replace(bare, name="mix", seconds=bare.seconds * 4)
    line = bench_city._load_line(app_run, bare)
    assert re.search(rf"{app_run.throughput:.1f} req/s \(0\.25× floor\)", line), line
    assert "(— × floor)" in bench_city._load_line(app_run, None)


def test_clients_keep_the_cookie_the_server_sets():
    """Issue 16, the concurrent run: each client sends back the cookie the server last set,
    as a browser does (a client that kept sending the first one would have its session
    written and signed again on every request, which no browser causes)."""
    import http.server
    import threading

    assert load.kept_cookie("session=a; other=1", [
        "session=b.c-d_e; Expires=Thu, 03 Dec 2026 23:00:00 GMT; HttpOnly; Path=/"]) == \
        "session=b.c-d_e; other=1"
    assert load.kept_cookie("session=a", ["lang=zh; Path=/"]) == "session=a; lang=zh"

    sent: list[str] = []

    class Server(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's name)
            sent.append(self.headers.get("Cookie", ""))
            self.send_response(200)
            if len(sent) == 1:
                self.send_header("Set-Cookie", "session=second; HttpOnly; Path=/")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        tally = load.Tally()
        load._clients(server.server_address[1], "session=first", ["/"], 1, 0.3, tally)
    finally:
        server.shutdown()
        server.server_close()
    assert tally.errors == 0 and len(sent) >= 2, (tally.first_error, sent)
    assert sent[0] == "session=first" and set(sent[1:]) == {"session=second"}
