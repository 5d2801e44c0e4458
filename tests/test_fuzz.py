"""Property-based fuzzing of every form, filter, lookup and API query (R-14.9).

On the demo district, as the administrator and as a coordinator: generated values (the
nasty ones of scripts/fuzz.py, the forms' own choices, arbitrary text) are posted to every
add and edit form of every screen and to every lifecycle step form, and sent as list
filters and page arguments, lookup queries and the REST API's ``q=``. The property: never
a 500, and a refused post (anything but a redirect) leaves no trace (no audit row, which
every business change writes in its own transaction).

Hypothesis is bounded for the suite's time (two derandomised examples per form and role,
no example database): scripts/fuzz.py runs the long version against ``make run``.
"""
from __future__ import annotations

import re
import urllib.parse

import pytest
import sqlalchemy as sa
from flask_appbuilder import ModelView
from fuzz import NASTY, SKIPPED, read_forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import access, roles
from app.extensions import db
from app.lifecycle import LIFECYCLES
from app.models import AuditLog
from app.seed.accounts import _busiest_coordinator
from app.views.workflow import FORMS
from tests.accounts import ADMIN_PASSWORD, ADMIN_USER
from tests.conftest import login
from tests.role_clients import role_client
from tests.test_seed_demo import demo_db  # noqa: F401  (the shared demo fixture)

BOUND = settings(max_examples=2, derandomize=True, database=None, deadline=None,
                 suppress_health_check=list(HealthCheck))

#: a field's value: one of its real choices, a nasty value, arbitrary text, or left out
_TEXT = st.text(max_size=12)


def _value(offered: list[str]) -> st.SearchStrategy:
    options = [st.sampled_from(NASTY), _TEXT]
    if offered:
        options.insert(0, st.sampled_from(offered))
    return st.one_of(*options)


@pytest.fixture(scope="module")
def demo(demo_db, app):  # noqa: F811  (the imported fixture, by name)
    """The demo district (tests/test_seed_demo.py's, the forms need rows to edit); the id
    of its busiest coordinator, whom the coordinator's account is linked to."""
    with app.app_context():
        staff_id = _busiest_coordinator(db.session).id
        db.session.remove()
    return staff_id


@pytest.fixture(autouse=True)
def _clean_database(demo):
    """Overrides conftest's per-test clean-up: the module shares the demo district."""
    yield


@pytest.fixture
def users(app, demo):
    """{role: signed-in test client}: the administrator and a busy coordinator (signed in
    under the test's frozen clock)."""
    admin = app.test_client()
    login(admin, ADMIN_USER, ADMIN_PASSWORD)
    return {"admin": admin, "coordinator": role_client(app, [roles.COORDINATOR], demo)}


def _last_audit(app) -> int:
    with app.app_context():
        last = db.session.scalar(sa.select(sa.func.max(AuditLog.id))) or 0
        db.session.remove()
        return last


def _list_pages(app) -> list[str]:
    with app.app_context():
        return [f"/{type(view).__name__.lower()}/list/" for view in app.appbuilder.baseviews
                if isinstance(view, ModelView) and "list" not in view.exclude_route_methods
                and not SKIPPED.search(f"/{type(view).__name__.lower()}/")]


def _forms(app, client) -> list[str]:
    """Each screen's add form and one edit form the client may open."""
    found: list[str] = []
    for page in _list_pages(app):
        response = client.get(page)
        if response.status_code != 200:
            continue
        html = response.get_data(as_text=True)
        view = page.split("/")[1]
        found += re.findall(rf'href="(/{view}/add)[?"]', html)[:1]
        found += re.findall(rf'href="(/{view}/edit/\d+)[?"]', html)[:1]
    return list(dict.fromkeys(found))


def _step_forms(app, client) -> list[str]:
    """One step form per (target, step) on a record of the client's scope where the step is
    open (the lifecycle's own precondition), for the steps the client's roles may run."""
    with client.session_transaction() as session:
        user_id = int(session["_user_id"])
    urls: list[str] = []
    with app.test_request_context():
        user = app.appbuilder.sm.get_user_by_id(user_id)
        for target, life in LIFECYCLES.items():
            wanted = {key for (kind, key) in FORMS if kind == target
                      and access.may_step(user, target, key)}
            query = sa.select(life.model).order_by(life.model.id)   # the demo: ~500 rows
            clause = access.row_scope(user, life.model)
            found: dict[str, int] = {}
            for row in db.session.scalars(query if clause is None else query.where(clause)):
                for step in life.open_steps(db.session, row):
                    if step.key in wanted:
                        found.setdefault(step.key, row.id)
                if len(found) == len(wanted):
                    break
            urls += [f"/workflow/{target}/{pk}/{key}" for key, pk in found.items()]
        db.session.remove()
    return urls


def _fuzz_form(app, client, url: str) -> None:
    """Post generated values to the form at ``url`` (read once; a bounded number of
    examples): never a 500, and a refused post (not a redirect) leaves no audit row."""
    response = client.get(url)
    forms = read_forms(response.get_data(as_text=True)) if response.status_code == 200 else []
    if not forms:
        return  # the role may not open it; the matrix tests say which
    form = forms[0]
    fields = {name: st.one_of(st.none(), _value(offered))
              for name, offered in form.fields.items()}

    @BOUND
    @given(values=st.fixed_dictionaries(fields))
    def post(values):
        before = _last_audit(app)
        answer = client.post(form.action or url, data={
            **form.hidden, **{k: v for k, v in values.items() if v is not None}})
        assert answer.status_code != 500, (url, values)
        if answer.status_code != 302:
            assert _last_audit(app) == before, ("refused but changed", url, values)

    post()


#: (collector, fewest forms for the admin, for the coordinator)
FORM_KINDS = {"screen": (_forms, 40, 10), "step": (_step_forms, 15, 5)}


@pytest.mark.parametrize("kind", sorted(FORM_KINDS))
@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_every_form_survives_generated_values(app, users, role, kind):
    """R-14.9: every add and edit form of every screen, and every lifecycle step form
    (/workflow/<target>/<pk>/<key>) open to the role, as admin and as a coordinator: never
    a 500, a refused post saves nothing."""
    client = users[role]
    collect, admin_least, coordinator_least = FORM_KINDS[kind]
    urls = collect(app, client)
    assert len(urls) >= (admin_least if role == "admin" else coordinator_least)
    for url in urls:
        _fuzz_form(app, client, url)


_FILTER_ARG = st.one_of(
    st.builds(lambda i, col: f"_flt_{i}_{col}", st.integers(0, 12),
              st.sampled_from(["state", "application_no", "coordinator", "project", "held_on",
                               "amount", "name", "id", "commission", "score", "at"])),
    st.sampled_from(["page_", "psize_", "_oc_x", "_od_x"]),
)


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_list_filters_lookups_and_api_queries_survive_generated_values(app, users, role):
    """R-14.9: list filters and page arguments of every list, the lookups' q= and page=,
    and the API's q=: never a 500."""
    client = users[role]
    pages = _list_pages(app)

    @settings(BOUND, max_examples=60)
    @given(page=st.sampled_from(pages), arg=_FILTER_ARG, value=_value([]))
    def list_page(page, arg, value):
        query = urllib.parse.urlencode({arg: value}, errors="surrogatepass")
        assert client.get(f"{page}?{query}").status_code != 500, (page, arg, value)

    @settings(BOUND, max_examples=20)
    @given(kind=st.sampled_from(["unit", "project", "commission", "commission_item",
                                 "revisit", "plan_version"]),
           q=_value([]), page=_value(["1", "2"]))
    def lookup(kind, q, page):
        query = urllib.parse.urlencode({"q": q, "page": page}, errors="surrogatepass")
        assert client.get(f"/lookup/{kind}?{query}").status_code != 500, (kind, q, page)

    list_page()
    lookup()
    if role != "admin":
        return
    token = client.post("/api/v1/security/login", json={
        "username": ADMIN_USER, "password": ADMIN_PASSWORD, "provider": "db"}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    @settings(BOUND, max_examples=20)
    @given(resource=st.sampled_from(["commission", "commission_item", "commission_history"]),
           template=st.sampled_from(["(filters:!((col:application_no,opr:ct,value:'{}')))",
                                     "(page:{},page_size:{})", "{}",
                                     "(filters:!((col:state,opr:eq,value:'{}')))",
                                     "(order_column:{},order_direction:desc)"]),
           value=_value([]))
    def api(resource, template, value):
        q = template.replace("{}", value)
        query = urllib.parse.urlencode({"q": q}, errors="surrogatepass")
        answer = client.get(f"/api/v1/{resource}/?{query}", headers=headers)
        assert answer.status_code != 500, (resource, q)

    api()


def test_the_coordinator_sees_only_own_rows_after_fuzzing(app, users, demo):
    """R-14.9, R-14.2: the fuzzing above went through the row scope: the coordinator's list
    still shows only their own commissions."""
    with app.app_context():
        from app.models import Commission, StaffMember

        staff = db.session.get(StaffMember, demo)
        others = db.session.scalars(sa.select(Commission.application_no).where(
            Commission.coordinator_id != staff.id,
            Commission.application_no.is_not(None))).all()
        db.session.remove()
    html = users["coordinator"].get("/commissionview/list/?psize_CommissionView=100").get_data(
        as_text=True)
    assert not any(number in html for number in others)
