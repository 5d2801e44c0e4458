"""A city-scale data set for benchmarks, bulk-loaded on top of the demo district.

``seed_city(engine)`` adds construction units, one project per commission, commissions in a
realistic spread of states, their items, work log and state history (1.8M rows at the default
scale). Every row comes from one seeded ``random.Random``; rows are written through the raw
DBAPI connection in one transaction (SQLite: ``executemany``; PostgreSQL: ``COPY``), then the
tables are analysed (and vacuumed on PostgreSQL, as autovacuum would after such a load).

Preconditions: the schema is migrated and ``app.seed.seed_demo`` has run (towns, catalogue,
coordinators, specialists, working-day calendar). Ids continue after the current maximum
(PostgreSQL sequences are moved past them), names and codes are derived from the ids and the
application numbers continue the per-year counters, so a second run adds a second batch.
Not meant to run while the app writes to the same tables.
"""
from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.choices import (ConstructionKind, ContactMethod, DelegationScope, FundSource,
                         InvestmentKind, KeyProjectLevel, LandNature, StaffRole, StaffStatus,
                         UnitNature, WorkLogType)
from app.domain import definitions
from app.domain.numbering import DEFAULT_FORMAT
from app.domain.policy import CONTACT_WORKING_DAYS
from app.domain.validators import credit_code_check_char
from app.domain.workdays import load_calendar
from app.pinyin import keys as pinyin_keys
from app.seed.clients import AUTHORITY, STREETS, mobile, organisation_check_char
from app.seed.reference import DISTRICT_CODE
from app.states import CommissionState as CS
from app.states import ItemState as IS

# Per cent of commissions in each state. The termination procedure's own states (terminating,
# announced) are left out: the app reads their Termination row, which is not written here.
STATE_WEIGHTS = {CS.completed: 60, CS.terminated: 5, CS.pre_review: 3, CS.accepted: 3,
                 CS.assigned: 3, CS.planning: 5, CS.in_progress: 16, CS.delivering: 5}
# The lifecycle in order: a commission's rank is how far along it got.
RANKS = (CS.pre_review, CS.accepted, CS.assigned, CS.planning, CS.in_progress, CS.delivering,
         CS.completed)
PREVIOUS = dict(zip(RANKS[1:], RANKS)) | {CS.terminated: CS.terminating}
UNIT_KINDS = ((UnitNature.enterprise, 85, "有限公司"), (UnitNature.institution, 7, "服务中心"),
              (UnitNature.government, 5, "管理局"), (UnitNature.association, 2, "协会"),
              (UnitNature.other, 1, "合作社"))
TRADES = ("城建", "建工", "置业", "实业", "科技", "物流", "食品", "五金", "文旅", "水务")
PURPOSES = ("厂房", "住宅小区", "商业综合体", "仓储物流中心", "学校", "道路改造工程", "研发中心")
SURNAMES, GIVEN = "陈林黄李梁吴张王刘何关冯谭莫许", ("伟", "敏", "志强", "丽华", "建国", "晓燕",
                                                   "俊杰", "婉婷", "家豪", "嘉欣")
LOG_TEXTS = ((WorkLogType.contact, "电话联系项目经办人，了解项目进展及审批需求。"),
             (WorkLogType.guidance, "指导建设单位准备申报材料，核对材料清单。"),
             (WorkLogType.coordination, "与审批部门沟通，协调解决材料问题。"),
             (WorkLogType.follow_up, "跟进审批进度，提醒建设单位按时补充材料。"),
             (WorkLogType.other, "整理项目档案，更新协办台账。"))
ITEM_LOG_TEXTS = ((WorkLogType.submission, "协助建设单位申报“{}”。"),
                  (WorkLogType.follow_up, "跟进“{}”办理进度。"))
REFUSALS = ("申报材料经补正仍不符合法定形式。", "项目选址不符合国土空间规划。", "未取得前置审批文件。")

# The columns written per table, in the order of the generated tuples; parents first.
COLUMNS = {
    "unit": "id name credit_code address nature leader_name leader_phone handler_name "
            "handler_phone created_at updated_at name_pinyin name_initials",
    "project": "id unit_id name address town_id project_code total_investment fund_source "
               "floor_area land_nature key_level construction_kind investment_kind "
               "is_special_project is_major_infrastructure created_at updated_at name_pinyin "
               "name_initials",
    "commission": "id application_no project_id scope mode_special_handling mode_priority "
                  "mode_proactive mode_supervised mode_accompanied state coordinator_id "
                  "applied_on contact_method assigned_on contact_due_on contacted_on "
                  "contact_overdue_on plan_confirmed_on completed_on terminated_on created_at "
                  "updated_at",
    "commission_item": "id commission_id approval_item_id attempt state specialist_id "
                       "submitted_on accepted_on due_on overdue_on decided_on refusal_reason "
                       "unit_informed_on result_document created_at updated_at",
    "commission_state_change": "commission_id from_state to_state changed_at",
    "work_log_entry": "commission_id logged_on recorded_at author_id entry_type content "
                      "commission_item_id",
}
ID_TABLES = ("unit", "project", "commission", "commission_item")
FUNDS, LANDS, LEVELS, CONTACTS = ([m.value for m in e] for e in (FundSource, LandNature,
                                                                KeyProjectLevel, ContactMethod))


class Days:
    """The working days around ``today`` (ISO strings) addressed by index; timestamps in UTC+8."""

    def __init__(self, engine: sa.Engine, today: dt.date, rng: random.Random):
        with Session(engine) as session:
            cal = load_calendar(session)
        first = today - dt.timedelta(days=5 * 366)
        every = (first + dt.timedelta(days=n) for n in range(7 * 366))
        self.iso = [d.isoformat() for d in every if cal.is_working_day(d)]
        self.today = bisect.bisect_right(self.iso, today.isoformat()) - 1
        self.first = bisect.bisect_left(self.iso, (today - dt.timedelta(days=4 * 365)).isoformat())
        # SQLite stores the wall time (as SQLAlchemy does); PostgreSQL gets the offset.
        self.tz = "+08:00" if engine.dialect.name == "postgresql" else ""
        self.rng = rng

    def at(self, i: int) -> str:
        """A timestamp in office hours on working day ``i``."""
        return f"{self.iso[i]} {self.rng.randint(9, 17):02d}:{self.rng.randint(0, 59):02d}" \
               f":00.000000{self.tz}"


@dataclass
class Case:
    """One commission's timeline in working-day indices relative to ``off`` (its first day)."""

    state: CS
    rank: int          # how far the lifecycle got (for a terminated one: before terminating)
    marks: list[int]   # the day each rank was entered, then the completion day
    items: list[list]  # [(id, name, department, days), submitted, accepted, due, decided]
    cut: int           # the day the items' states are read at (today, completion, termination)
    end: int           # today for an open commission, else the day it closed
    off: int = 0
    staff: int = 0     # coordinator (receiver while not yet assigned)
    id: int = 0


def _first(case: Case) -> int:
    """The day the commission's work starts: acceptance, or arrival while in pre-review."""
    return case.marks[1] if case.rank >= 1 else 0


def _entered(case: Case) -> int:
    """The day the commission entered its current state."""
    return case.end if case.state == CS.terminated else case.marks[case.rank]


def _pick(rng: random.Random, weights: dict, n: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


def _case(rng: random.Random, state: CS, catalogue: list, per: int, days: Days) -> Case:
    """Draw a timeline, then place it so that it is seen in ``state`` today."""
    a = rng.randint(1, 3)
    s = a + rng.randint(0, 1)
    c = max(s, a + (rng.randint(0, 1) if rng.random() < 0.9 else rng.randint(2, 4)))
    p = c + rng.randint(2, 8)
    items = []
    for item in rng.sample(catalogue, min(per, len(catalogue))):
        sub = p + rng.randint(0, 25)
        acc = sub + rng.randint(0, 3)
        limit = max(item[3], 1)
        late = rng.random() < 0.12
        dec = acc + limit + rng.randint(1, 10) if late else acc + rng.randint(1, limit)
        items.append([item, sub, acc, acc + limit, dec])
    last = max((i[4] for i in items), default=p)
    marks = [0, a, s, c, p, last, last + rng.randint(1, 8)]
    rank = rng.choice((1, 2, 3, 4, 4, 4)) if state == CS.terminated else RANKS.index(state)
    cut = marks[6] if rank == 6 else rng.randint(marks[rank], max(marks[rank], marks[rank + 1] - 1))
    end = cut + rng.randint(5, 15) if state == CS.terminated else cut
    case = Case(state, rank, marks, items, cut, end)
    case.off = rng.randint(days.first, days.today - end) if state in (
        CS.completed, CS.terminated) else days.today - end
    return case


def _units(rng: random.Random, first_id: int, n: int, days: Days) -> list[tuple]:
    rows = []
    kinds = {kind: suffix for kind, _w, suffix in UNIT_KINDS}
    for uid, nature in enumerate(_pick(rng, {k: w for k, w, _s in UNIT_KINDS}, n), first_id):
        code = None
        if rng.random() < 0.9:  # GB 32100: authority, division, organisation code, check char
            body = f"MC{uid:06d}"  # the demo's codes use MA or digits here: never equal
            first17 = AUTHORITY.get(nature, "93") + DISTRICT_CODE + body + \
                organisation_check_char(body)
            code = first17 + credit_code_check_char(first17)
        stamp = days.at(days.first)
        name = f"阳江市江城区{rng.choice(TRADES)}{uid:05d}{kinds[nature]}"
        # the ORM keeps the pinyin keys (app/pinyin.py); a bulk load writes them itself
        rows.append((uid, name, code,
                     f"阳江市江城区{rng.choice(STREETS)}{rng.randint(1, 300)}号", nature.value,
                     rng.choice(SURNAMES) + rng.choice(GIVEN), mobile(rng),
                     rng.choice(SURNAMES) + rng.choice(GIVEN), mobile(rng), stamp, stamp,
                     *pinyin_keys(name)))
    return rows


def _project(rng: random.Random, pid: int, case: Case, unit_id: int, town: tuple,
             days: Days) -> tuple:
    stamp = days.at(case.off)
    code = None if rng.random() < 0.1 else \
        f"{days.iso[case.off][:4]}-{DISTRICT_CODE}-48-03-{pid:06d}"  # the demo's are -70-
    kind = _pick(rng, {ConstructionKind.new: 70, ConstructionKind.rebuild: 15,
                       ConstructionKind.expansion: 15}, 1)[0]
    name = f"{town[1]}{rng.choice(STREETS)}{rng.choice(PURPOSES)}项目（{pid}）"
    return (pid, unit_id, name,
            f"阳江市江城区{town[1]}{rng.choice(STREETS)}{rng.randint(1, 300)}号", town[0], code,
            rng.randint(200, 80000), rng.choice(FUNDS),
            None if rng.random() < 0.2 else rng.randint(500, 150000), rng.choice(LANDS),
            rng.choice(LEVELS) if rng.random() < 0.3 else None,
            kind.value, (InvestmentKind.government if rng.random() < 0.35
                         else InvestmentKind.social).value, False, False, stamp, stamp,
            *pinyin_keys(name))


def _commission(rng: random.Random, case: Case, project_id: int, number: str | None,
                days: Days) -> tuple:
    d = lambda i: days.iso[case.off + i]  # noqa: E731
    m, k = case.marks, case.rank
    due = m[1] + CONTACT_WORKING_DAYS
    contact_stamp = _stamp(d(due), d(m[3]) if k >= 3 else None, d(case.cut)) if k >= 2 else None
    return (case.id, number, project_id, (DelegationScope.full if rng.random() < 0.7
                                      else DelegationScope.partial).value,
            rng.random() < 0.05, rng.random() < 0.2, rng.random() < 0.1, rng.random() < 0.1,
            rng.random() < 0.05, case.state.value, case.staff if k >= 2 else None,
            d(m[1]) if k >= 1 else None, rng.choice(CONTACTS) if k >= 3 else None,
            d(m[2]) if k >= 2 else None, d(due) if k >= 2 else None, d(m[3]) if k >= 3 else None,
            contact_stamp, d(m[4]) if k >= 4 else None,
            d(m[6]) if case.state == CS.completed else None,
            d(case.end) if case.state == CS.terminated else None,
            days.at(case.off), days.at(case.off + _entered(case)))


def _stamp(due: str, done: str | None, as_of: str) -> str | None:
    """The sweep's stamp on a deadline (app.domain.definitions.overdue_stamp), ISO dates."""
    iso = dt.date.fromisoformat
    stamp = definitions.overdue_stamp(iso(due), iso(done) if done else None, iso(as_of))
    return stamp.isoformat() if stamp else None


def _items(rng: random.Random, case: Case, first_id: int, specialists: dict,
           days: Days) -> list[tuple]:
    """The items as they stand on the case's cut day (undecided ones of a terminated: pending)."""
    d = lambda i: days.iso[case.off + i]  # noqa: E731
    rows, stamp = [], days.at(case.off + _first(case))
    for iid, ((aid, name, dept, _days), sub, acc, due, dec) in enumerate(case.items, first_id):
        if dec <= case.cut:
            refused = case.state != CS.completed and rng.random() < 0.03
            state = IS.refused if refused else IS.approved
        elif case.state == CS.terminated or sub > case.cut:
            state = IS.pending
        elif acc > case.cut:
            state = IS.submitted
        else:
            state = IS.supplementing if rng.random() < 0.15 else IS.accepted
        accepted = state not in (IS.pending, IS.submitted)
        decided = state in (IS.approved, IS.refused)
        # No 补正 dates here: an item in 补正 stopped its clock before its date.
        mark = _stamp(d(due), d(dec) if decided else None, d(case.cut)) \
            if accepted and state != IS.supplementing else None
        rows.append((iid, case.id, aid, 1, state.value,
                     rng.choice(specialists[dept]) if dept in specialists else None,
                     d(sub) if state != IS.pending else None, d(acc) if accepted else None,
                     d(due) if accepted else None, mark,
                     d(dec) if decided else None,
                     rng.choice(REFUSALS) if state == IS.refused else None,
                     d(dec) if state == IS.refused else None,
                     f"{name}批准文件（江城〔{d(dec)[:4]}〕{iid}号）" if state == IS.approved else None,
                     stamp, stamp))
    return rows


def _history(case: Case, days: Days) -> list[tuple]:
    rows = [(case.id, None, CS.pre_review.value, days.at(case.off))]
    if case.state != CS.pre_review:
        rows.append((case.id, PREVIOUS[case.state].value, case.state.value,
                     days.at(case.off + _entered(case))))
    return rows


def _logs(rng: random.Random, case: Case, items: list[tuple], n: int, days: Days) -> list[tuple]:
    rows = []
    for i in sorted(rng.randint(case.off + _first(case), case.off + case.end) for _ in range(n)):
        item_id = None
        if items and rng.random() < 0.3:
            j = rng.randrange(len(items))
            kind, template = rng.choice(ITEM_LOG_TEXTS)
            item_id, text = items[j][0], template.format(case.items[j][0][1])
        else:
            kind, text = rng.choice(LOG_TEXTS)
        rows.append((case.id, days.iso[i], days.at(i), case.staff, kind.value, text, item_id))
    return rows


def _reference(conn: sa.Connection) -> dict:
    q = lambda sql, **kw: conn.execute(sa.text(sql), kw).all()  # noqa: E731
    return {
        "max": {t: q(f"SELECT coalesce(max(id), 0) FROM {t}")[0][0] for t in ID_TABLES},
        "towns": q("SELECT id, name FROM town WHERE active ORDER BY id"),
        "staff": q("SELECT id, role, status, department_id FROM staff_member ORDER BY id"),
        "catalogue": [tuple(r) for r in q("SELECT id, name, department_id, promised_days "
                                         "FROM approval_item WHERE active ORDER BY id")],
        "counters": dict(q("SELECT year, last_value FROM application_counter")),
        "units": [r[0] for r in q("SELECT id FROM unit ORDER BY id")],
    }


def _number(cases: list[Case], counters: dict, days: Days) -> dict[int, str]:
    """申请编号 in order of acceptance, continuing each year's counter (which is moved on)."""
    numbers = {}
    for case in sorted((c for c in cases if c.rank >= 1), key=lambda c: (c.off + c.marks[1], c.id)):
        year = int(days.iso[case.off + case.marks[1]][:4])
        counters[year] = counters.get(year, 0) + 1
        numbers[case.id] = DEFAULT_FORMAT.format(year=year, seq=counters[year])
    return numbers


def _load(raw, pg: bool, table: str, cols: list[str], rows: list, progress) -> int:
    start, cursor, names = time.perf_counter(), raw.cursor(), ", ".join(cols)
    try:
        if pg:  # psycopg 3
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES "
                               f"({', '.join('?' * len(cols))})", rows)
    finally:
        cursor.close()
    progress(f"{table}: {len(rows):,} rows in {time.perf_counter() - start:.1f}s")
    return len(rows)


def seed_city(engine: sa.Engine, *, commissions: int = 100_000, items_per_commission: int = 4,
              logs_per_commission: int = 10, units: int = 20_000,
              today: dt.date = dt.date(2026, 11, 27), seed: int = 2026,
              progress=print) -> dict[str, int]:
    """Add the city-scale data set; returns the number of rows inserted per table."""
    pg = engine.dialect.name == "postgresql"
    if not pg and engine.dialect.name != "sqlite":
        raise ValueError(f"unsupported database: {engine.dialect.name}")
    start, rng = time.perf_counter(), random.Random(seed)
    with engine.connect() as conn:
        ref = _reference(conn)
    days = Days(engine, today, rng)
    coordinators = [s for s in ref["staff"] if s.role == StaffRole.coordinator.value]
    on_duty = [s.id for s in coordinators if s.status == StaffStatus.active.value]
    specialists: dict[int, list[int]] = {}
    for s in ref["staff"]:
        if s.role == StaffRole.specialist.value and s.status == StaffStatus.active.value:
            specialists.setdefault(s.department_id, []).append(s.id)

    cases = [_case(rng, state, ref["catalogue"], items_per_commission, days)
             for state in _pick(rng, STATE_WEIGHTS, commissions)]
    cases.sort(key=lambda c: c.off)  # ids in order of arrival
    unit_rows = _units(rng, ref["max"]["unit"] + 1, units, days)
    unit_ids = [r[0] for r in unit_rows] or ref["units"]
    rows: dict[str, list] = {table: [] for table in COLUMNS} | {"unit": unit_rows}
    for n, case in enumerate(cases, 1):
        case.id = n + ref["max"]["commission"]
        open_ = case.state not in (CS.completed, CS.terminated)
        case.staff = rng.choice(on_duty if open_ else [s.id for s in coordinators])
    numbers = _number(cases, ref["counters"], days)
    next_item = ref["max"]["commission_item"] + 1
    for pid, case in enumerate(cases, ref["max"]["project"] + 1):
        rows["project"].append(_project(rng, pid, case, rng.choice(unit_ids),
                                        rng.choice(ref["towns"]), days))
        rows["commission"].append(_commission(rng, case, pid, numbers.get(case.id), days))
        items = _items(rng, case, next_item, specialists, days)
        next_item += len(items)
        rows["commission_item"] += items
        rows["commission_state_change"] += _history(case, days)
        rows["work_log_entry"] += _logs(rng, case, items, logs_per_commission, days)
    progress(f"generated {sum(map(len, rows.values())):,} rows in "
             f"{time.perf_counter() - start:.1f}s")

    raw = engine.raw_connection()
    try:
        counts = {t: _load(raw, pg, t, COLUMNS[t].split(), rows[t], progress) for t in COLUMNS}
        cursor, mark = raw.cursor(), "%s" if pg else "?"
        cursor.executemany(
            f"INSERT INTO application_counter (year, last_value) VALUES ({mark}, {mark}) "
            "ON CONFLICT (year) DO UPDATE SET last_value = excluded.last_value",
            sorted(ref["counters"].items()))
        if pg:  # ids were given explicitly: move the sequences past them
            for table in ID_TABLES:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        raw.commit()
        analysed = time.perf_counter()
        if pg:
            # VACUUM too: a bulk load leaves the visibility map empty, so no count could
            # be answered from an index alone until autovacuum comes by, as it would soon
            # after such a load in production (it vacuums after inserts since PostgreSQL 13)
            raw.dbapi_connection.autocommit = True
            try:
                cursor.execute(f"VACUUM ANALYZE {', '.join(COLUMNS)}")
            finally:
                raw.dbapi_connection.autocommit = False
        else:
            cursor.execute("ANALYZE")
            raw.commit()
        cursor.close()
        progress(f"analysed in {time.perf_counter() - analysed:.1f}s; "
                 f"total {time.perf_counter() - start:.1f}s")
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()
    return counts
