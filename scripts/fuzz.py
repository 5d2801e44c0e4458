"""Fuzz a running instance (R-14.9) and print how many requests answered HTTP 500.

    make run                                  # in another terminal
    .venv/bin/python scripts/fuzz.py --user admin --password '…' --requests 3000

It signs in, walks the menu's list pages, and sends malformed values to every add and edit
form it finds, to the lifecycle step forms linked from the records' pages, to the list
filters and page arguments, to the lookups and to the REST API's ``q=``. The values mix
the cases that once answered 500 (NUL, U+FFFF, ids beyond 64 bits, NaN, 9999-12-20, …),
real choices read from the forms, and random text. Bounded (``--requests``), seeded
(``--seed``), and loopback only: it refuses any other host. It never posts to delete,
logout or the account screens. Standard library only, so that it runs from any Python.

The module also holds what the property-based test (tests/test_fuzz.py) shares with it:
the nasty values and the HTML form reader.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import ipaddress
import json
import random
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: values that broke a screen once, or could: each must get a message, never a 500
NASTY = (
    "", " ", "0", "-1", "1", "2", "NaN", "nan", "inf", "-Infinity", "1e309", "1.5",
    "99999999999999999999", "9223372036854775808", "-9223372036854775809",
    "9999-12-20", "0001-01-01", "2026-02-30", "2026-03-02", "2026-13-01", "1899-12-31",
    "a\x00b", "\x00", "x\uffff", "\ufffe", "\x01\x02", "\x0b", "<script>alert(1)</script>",
    "' OR 1=1 --", "１２３", "=HYPERLINK(\"x\")", "y", "on", "true", "None", "null", "[]",
    "%s%n", "../../etc/passwd", "a" * 3000, "长" * 600,
)

#: screens never fuzzed: FAB's account and permission screens (a fuzzed admin password
#: would lock the run out) and routes that destroy or sign out
SKIPPED = re.compile(r"/(users|roles|groups|permissions|viewmenus|permissionviews|"
                     r"resetpassword|resetmypassword|userinfoeditview|registeruser)[/]|"
                     r"/delete/|/logout|/action|/lang/")

#: fields never fuzzed: the CSRF token, which the run needs to be heard at all
KEPT = frozenset({"csrf_token", "next"})


@dataclass
class Form:
    """One HTML form: where it posts, and each field with the values it offers."""

    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


class FormReader(HTMLParser):
    """The forms of a page: inputs, selects (with their option values) and text areas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "hidden":
                form.hidden[name] = a.get("value", "")
            elif kind == "file":
                form.files.append(name)
            elif kind not in ("submit", "button", "reset", "image"):
                form.fields.setdefault(name, []).append(a.get("value", "y"))
        elif tag == "textarea" and name:
            form.fields.setdefault(name, [])
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def read_forms(html: str) -> list[Form]:
    """The forms on ``html`` that post (the search box and menus are left out)."""
    reader = FormReader()
    reader.feed(html)
    return [form for form in reader.forms if form.method == "post"]


def hrefs(html: str, pattern: str) -> list[str]:
    """Distinct link targets on ``html`` matching ``pattern``, in page order."""
    found = re.findall(r'href="(' + pattern + r')"', html)
    return list(dict.fromkeys(link.replace("&amp;", "&") for link in found))


def random_text(rng: random.Random) -> str:
    """A short string of arbitrary code points (surrogates and controls included)."""
    return "".join(chr(rng.choice([rng.randrange(0, 0x80), rng.randrange(0, 0x110000)]))
                   for _ in range(rng.randrange(0, 12)))


def fuzz_value(rng: random.Random, offered: list[str]) -> str:
    """One value for a field: a real choice, a nasty value, or random text."""
    roll = rng.random()
    if offered and roll < 0.4:
        return rng.choice(offered)
    if roll < 0.85:
        return rng.choice(NASTY)
    return random_text(rng)


# ---- the run against a server ---------------------------------------------------------------
class Client:
    """A cookie-keeping HTTP client for one loopback server; counts the answers."""

    def __init__(self, base: str) -> None:
        host = urllib.parse.urlsplit(base).hostname or ""
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise SystemExit(f"refusing to fuzz {host!r}: loopback addresses only")
        self.base = base.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.count = 0
        self.errors: list[str] = []

    def send(self, path: str, data: dict[str, str] | None = None,
             headers: dict[str, str] | None = None, raw: bytes | None = None) -> tuple[int, str]:
        """GET (``data`` None) or POST ``path``; the status and the body's text."""
        body = raw if raw is not None else (
            urllib.parse.urlencode(data, encoding="utf-8", errors="surrogatepass").encode()
            if data is not None else None)
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        self.count += 1
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, TimeoutError) as error:
            status, text = 599, str(error)
        if status >= 500:
            self.errors.append(f"{status} {'POST' if body is not None else 'GET'} {path}")
        return status, text


def _quoted(path: str) -> str:
    return urllib.parse.quote(path, safe="/?&=_-.:%()!',")


def _login(client: Client, user: str, password: str) -> None:
    _, html = client.send("/login/")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    data = {"username": user, "password": password}
    if token:
        data["csrf_token"] = token.group(1)
    client.send("/login/", data)
    _, html = client.send("/")
    if 'href="/login/' in html and "/logout" not in html:
        raise SystemExit("login failed: check --user and --password")


def _post_form(client: Client, rng: random.Random, page: str) -> None:
    status, html = client.send(_quoted(page))
    if status != 200:
        return
    for form in read_forms(html)[:1]:
        data = {name: value for name, value in form.hidden.items()}
        for name, offered in form.fields.items():
            if name in KEPT or rng.random() < 0.1:
                continue
            data[name] = fuzz_value(rng, offered)
        client.send(_quoted(form.action or page), data)


def run(args: argparse.Namespace) -> int:
    """The whole run; returns the number of 5xx answers."""
    rng = random.Random(args.seed)
    client = Client(args.base)
    _login(client, args.user, args.password)
    _, index = client.send("/")
    lists = [link for link in hrefs(index, r"/[a-z]+/list/") if not SKIPPED.search(link)]
    forms: list[str] = []
    pages: list[str] = []
    for link in lists:
        _, html = client.send(link)
        view = link.split("/")[1]
        forms += hrefs(html, rf"/{view}/add[^\"]*")[:1] + hrefs(html, rf"/{view}/edit/\d+")[:2]
        pages += hrefs(html, rf"/{view}/show/\d+")[:2]
    for page in pages:
        _, html = client.send(page)
        forms += hrefs(html, r"/workflow/[a-z_]+/\d+/[a-z_]+")
    forms = [form for form in dict.fromkeys(forms) if not SKIPPED.search(form)]
    kinds = ("unit", "project", "commission", "pre_review", "commission_item", "revisit")
    token = _api_token(client, args.user, args.password)
    while client.count < args.requests:
        roll = rng.random()
        if forms and roll < 0.6:
            _post_form(client, rng, rng.choice(forms))
        elif lists and roll < 0.8:
            column = rng.choice(["state", "application_no", "coordinator", "project",
                                 "held_on", "amount", "name", "id", "commission"])
            arg = rng.choice([f"_flt_{rng.randrange(0, 12)}_{column}", "page_", "psize_",
                              f"_oc_{column}", "_od_x"])
            query = urllib.parse.urlencode({arg: fuzz_value(rng, [])}, encoding="utf-8",
                                           errors="surrogatepass")
            client.send(f"{rng.choice(lists)}?{query}")
        elif roll < 0.9:
            query = urllib.parse.urlencode(
                {"q": fuzz_value(rng, []), "page": fuzz_value(rng, ["1", "2"])},
                encoding="utf-8", errors="surrogatepass")
            client.send(f"/lookup/{rng.choice(kinds)}?{query}")
        else:
            value = fuzz_value(rng, [])
            q = rng.choice([f"(filters:!((col:application_no,opr:ct,value:'{value}')))",
                            f"(page:{value},page_size:{value})", value,
                            f"(order_column:{value},order_direction:desc)"])
            resource = rng.choice(["commission", "commission_item", "commission_history"])
            client.send("/api/v1/" + resource + "/?" + urllib.parse.urlencode(
                {"q": q}, encoding="utf-8", errors="surrogatepass"),
                headers={"Authorization": f"Bearer {token}"} if token else None)
    print(f"{client.count} requests, {len(client.errors)} answered 5xx")
    for line in client.errors[:20]:
        print("  " + line)
    return len(client.errors)


def _api_token(client: Client, user: str, password: str) -> str | None:
    status, text = client.send("/api/v1/security/login", raw=json.dumps(
        {"username": user, "password": password, "provider": "db"}).encode(),
        headers={"Content-Type": "application/json"})
    return json.loads(text).get("access_token") if status == 200 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    return 1 if run(parser.parse_args(argv)) else 0


if __name__ == "__main__":
    sys.exit(main())
