"""The concurrent run: gunicorn (gunicorn.conf.py, by default its own worker count) on
127.0.0.1, and ``clients`` threads that each keep one HTTP connection open and request the
pages of the mix in turn for ``seconds``, after WARM_UP_SECONDS of the same, not counted.
Signed in once through the real login form (with its CSRF token); the clients start from that
session and, as a browser does, keep the cookie the server sets (the session with its CSRF
token, the idle clock moved on): a client that sent back the first cookie would have its
session written and signed again on every request. Prints throughput, latency and errors;
an error is any answer but a 200, or a failed connection. ``run_floor`` puts the floor
(scripts/bench/floor.py) under the same load.
"""
from __future__ import annotations

import http.client
import http.cookiejar
import http.cookies
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from bench import database, floor
from bench.pages import middle_commission, percentile

START_SECONDS = 120  # workers importing FAB on a busy two-core machine
#: the clients' first seconds, not counted: each worker compiles its templates and fills its
#: kept menus, filters and statements on its first pages; the figures are the steady state
WARM_UP_SECONDS = 5


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str = "") -> None:
        with self.lock:
            self.latencies.append(seconds * 1000)
            if error:
                self.errors += 1
                self.first_error = self.first_error or error


@dataclass(frozen=True)
class LoadResult:
    workers: int
    clients: int
    seconds: float
    requests: int
    errors: int
    median_ms: float
    p95_ms: float
    first_error: str
    #: the largest resident memory of a worker at the end of the run, MiB
    worker_rss_mb: float = 0.0
    #: the largest memory a worker holds alone (not shared with the master), and its
    #: proportional share of what is shared (PSS), MiB
    worker_private_mb: float = 0.0
    worker_pss_mb: float = 0.0
    #: what the clients requested
    name: str = "mix"

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mix(url: str) -> list[str]:
    """The pages the clients request: lists, case pages of random open commissions, the
    dashboard and the overdue screen."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            ids = [row[0] for row in conn.execute(sa.text(
                "SELECT id FROM commission WHERE state = 'in_progress' ORDER BY id"))]
            total = conn.execute(sa.text("SELECT count(*) FROM commission")).scalar()
    finally:
        engine.dispose()
    rng = random.Random(7)
    last = max((total + 19) // 20 - 1, 0)
    return ["/commissionview/list/", "/commissionview/list/?_flt_0_state=in_progress",
            f"/commissionview/list/?page_CommissionView={last}", "/", "/overdue/",
            *(f"/commissionview/show/{pk}" for pk in rng.sample(ids, min(len(ids), 3)))]


def case_page(url: str) -> str:
    """The case page the in-process timing opens (the middle commission in progress)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return f"/commissionview/show/{middle_commission(conn)}"
    finally:
        engine.dispose()


def _environment(url: str, port: int, workers: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FAB_", "LOG_", "GUNICORN_", "WEB_CONCURRENCY"))}
    env.update({"DATABASE_URL": url, "GUNICORN_BIND": f"127.0.0.1:{port}",
                "SECRET_KEY": "bench-" + "x" * 40, "LOG_LEVEL": "warning",
                "INSTANCE_DIR": str(database.WORKDIR / "instance"),
                "DOCUMENTS_DIR": str(database.WORKDIR / "documents")})
    env["WEB_CONCURRENCY"] = str(workers)
    return env


def _start(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    """The app under gunicorn.conf.py (production's settings)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(database.ROOT / "gunicorn.conf.py")],
        cwd=database.ROOT, env=_environment(url, port, workers),
        stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _start_floor(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    """The floor app (scripts/bench/floor.py) in the app's production shape: as many sync
    workers, forked from a master that built the app (preload)."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--preload", "--no-control-socket",
         "--log-level", "warning", "bench.floor:serve()"],
        cwd=database.ROOT / "scripts", env=_environment(url, port, workers),
        stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_for_health(base: str, server: subprocess.Popen, log: Path) -> None:
    """Return once gunicorn at ``base`` answers /health; raise if it exits or takes longer
    than START_SECONDS (with the end of its ``log``)."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n"
                               f"{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /health in {START_SECONDS} s:\n"
                       f"{log.read_text()[-4000:]}")


def csrf_token(html: str) -> str:
    """The CSRF token of the form in ``html`` (the login page)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if match is None:
        raise RuntimeError("no CSRF token on the login page")
    return match.group(1)


def sign_in(base: str) -> str:
    """The Cookie header of a session signed in as the benchmark's admin."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    token = csrf_token(opener.open(f"{base}/login/").read().decode())
    form = urllib.parse.urlencode({"username": database.ADMIN, "password": database.PASSWORD,
                                   "csrf_token": token}).encode()
    opener.open(f"{base}/login/", data=form).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    # Signed in: the list page answers instead of redirecting to the login form.
    check = urllib.request.Request(f"{base}/commissionview/list/", headers={"Cookie": cookie})
    with urllib.request.urlopen(check) as response:
        if "/login" in response.url:
            raise RuntimeError("the benchmark's admin could not sign in")
    return cookie


def kept_cookie(cookie: str, set_cookies: list[str]) -> str:
    """The Cookie header a browser sends after ``set_cookies`` (Set-Cookie values) answered
    a request that sent ``cookie``: each cookie set replaces the one of its name."""
    jar = http.cookies.SimpleCookie()
    jar.load(cookie)
    for header in set_cookies:
        jar.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())


def _client(port: int, cookie: str, paths: list[str], offset: int, stop: float,
            tally: Tally) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    turn = offset
    while time.monotonic() < stop:
        path = paths[turn % len(paths)]
        turn += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            set_cookies = response.headers.get_all("Set-Cookie")
            if set_cookies:
                cookie = kept_cookie(cookie, set_cookies)
            error = "" if response.status == 200 else f"{response.status} {path}"
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            error = f"{type(exc).__name__} {path}"
        tally.add(time.perf_counter() - started, error)
    conn.close()


def _clients(port: int, cookie: str, paths: list[str], clients: int, seconds: float,
             tally: Tally) -> None:
    """``clients`` threads requesting ``paths`` in turn for ``seconds``, into ``tally``."""
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=_client, args=(port, cookie, paths, n, stop, tally))
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def default_workers() -> int:
    """gunicorn.conf.py's default: 2 x cores + 1, at most 8."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def run(url: str, *, clients: int, seconds: float, workers: int,
        only: str | None = None) -> LoadResult:
    """The concurrent run of the mix (``only``: that one page instead)."""
    return _loaded(_start, url, clients=clients, seconds=seconds, workers=workers,
                   sign_in=sign_in, paths=lambda: [only] if only else mix(url),
                   name=only or "mix")


def run_floor(url: str, *, clients: int, seconds: float, workers: int) -> LoadResult:
    """The floor's one page (scripts/bench/floor.py) under the same load as ``run``'s: what
    this machine serves at best this hour, so the app's throughput reads as a share of it."""
    bare, engine = floor.minimal_app(url)
    engine.dispose()
    return _loaded(_start_floor, url, clients=clients, seconds=seconds, workers=workers,
                   sign_in=lambda _base: floor.session_cookie(bare), paths=lambda: ["/"],
                   name=floor.NAME)


def _loaded(start: Callable[[str, int, int, Path], subprocess.Popen], url: str, *,
            clients: int, seconds: float, workers: int, sign_in: Callable[[str], str],
            paths: Callable[[], list[str]], name: str) -> LoadResult:
    """Start a server (``start``), sign in, warm up, then ``clients`` request ``paths`` for
    ``seconds``; the figures and the workers' memory at the end."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = database.WORKDIR / "gunicorn.log"
    server = start(url, port, workers, log)
    try:
        wait_for_health(base, server, log)
        cookie = sign_in(base)
        pages = paths()
        _clients(port, cookie, pages, clients, WARM_UP_SECONDS, Tally())  # not counted
        tally = Tally()
        started = time.perf_counter()
        _clients(port, cookie, pages, clients, seconds, tally)
        elapsed = time.perf_counter() - started
        memory = worker_memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return LoadResult(workers, clients, elapsed, len(tally.latencies),
                      tally.errors, percentile(tally.latencies, 0.5),
                      percentile(tally.latencies, 0.95), tally.first_error,
                      max((m.rss for m in memory), default=0.0),
                      max((m.private for m in memory), default=0.0),
                      max((m.pss for m in memory), default=0.0),
                      name)


@dataclass(frozen=True)
class Memory:
    """A worker's memory, MiB: resident (RSS, shared pages counted whole), its own alone
    (private: what ending it would free), and PSS (shared pages divided among sharers)."""
    rss: float
    private: float
    pss: float


def worker_memory(master: int) -> list[Memory]:
    """The memory of each of gunicorn's workers (Linux /proc; [] elsewhere)."""
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    sizes = []
    for pid in children:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kib = {key: int(value) for key, value in
               re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.MULTILINE)}
        if "Rss" in kib:
            sizes.append(Memory(kib["Rss"] / 1024,
                                (kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)) / 1024,
                                kib.get("Pss", 0) / 1024))
    return sizes
