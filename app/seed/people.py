"""Demo roster: coordinators of the window, specialists of the departments, roster filings (R-2)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.choices import RosterChangeKind, StaffRole, StaffStatus
from app.domain.roster import approve, check_filing
from app.models import Department, RosterChange, StaffMember
from app.seed.reference import WINDOW_DEPARTMENT
from app.seed.replay import Replay

#: The coordinator who is transferred out and his replacement (人员报备, R-2.3).
LEAVER, REPLACEMENT = "冯子健", "谭宇航"
HEAD = "陈晓敏"
# Calendar days before the anchor: the window opened, a specialist joined, the transfer
# was filed and took effect (with the default anchor: 2025-09-01, 2026-03-02, 2026-06-01).
OPENED, SPECIALIST_JOINED, TRANSFER_FILED, HANDOVER = 452, 270, 193, 179

C, S = StaffRole.coordinator, StaffRole.specialist

# (name, role, department, title, phone, admitted: days before the anchor)
ROSTER: tuple[tuple[str, StaffRole, str, str, str, int], ...] = (
    (HEAD, C, WINDOW_DEPARTMENT, "协办专窗负责人", "13802661358", OPENED),
    ("梁志强", C, WINDOW_DEPARTMENT, "协办员", "13922035716", OPENED),
    ("林嘉怡", C, WINDOW_DEPARTMENT, "协办员", "15816263049", OPENED),
    ("黄俊杰", C, WINDOW_DEPARTMENT, "协办员", "18926318825", OPENED),
    ("关雪莹", C, WINDOW_DEPARTMENT, "协办员", "13750102283", OPENED),
    (LEAVER, C, WINDOW_DEPARTMENT, "协办员", "13543960372", OPENED),
    (REPLACEMENT, C, WINDOW_DEPARTMENT, "协办员", "19876213540", HANDOVER),
    ("何文斌", S, "区发展和改革局", "投资科科长", "13692267105", OPENED),
    ("莫丽华", S, "市自然资源局江城分局", "规划股副股长", "13828613417", OPENED),
    ("许家豪", S, "市生态环境局江城分局", "环评股科员", "15218021936", OPENED),
    ("吴建国", S, "区住房和城乡建设局", "建管股股长", "13602893364", OPENED),
    ("郑婉婷", S, "区住房和城乡建设局", "审批股科员", "18813356702", SPECIALIST_JOINED),
    ("严海峰", S, "区农业农村和水利局", "水保站站长", "13719963048", OPENED),
    ("邓丽萍", S, "区人民防空办公室", "工程科科员", "15976227319", OPENED),
    ("骆志明", S, "区城市管理和综合执法局", "市政股副股长", "13580917462", OPENED),
    ("麦嘉欣", S, "区气象局", "防雷中心工程师", "13318450927", OPENED),
)


@dataclass
class Roster:
    """The demo staff, with the date questions the timelines ask of it."""

    members: list[StaffMember]
    handover_day: dt.date   # the leaver leaves and his cases pass to his replacement

    def by_name(self, name: str) -> StaffMember:
        return next(m for m in self.members if m.name == name)

    def active_on(self, day: dt.date, role: StaffRole | None = None) -> list[StaffMember]:
        """Members on duty on ``day`` (admitted, not yet gone). The leaver is gone from the
        handover day on: the replay's roster change records it then (plan_roster)."""
        return [
            m for m in self.members
            if m.admitted_on <= day and day < self._exit(m) and (role is None or m.role == role)
        ]

    def _exit(self, member: StaffMember) -> dt.date:
        if member.exited_on is not None:
            return member.exited_on
        return self.handover_day if member.name == LEAVER else dt.date.max

    def coordinators_on(self, day: dt.date) -> list[StaffMember]:
        return self.active_on(day, StaffRole.coordinator)

    def specialists_on(self, day: dt.date, department: Department) -> list[StaffMember]:
        return [m for m in self.active_on(day, StaffRole.specialist)
                if m.department is department]


def seed_roster(session: Session, departments: dict[str, Department],
                anchor: dt.date) -> Roster:
    """Add the demo staff (their roster filings are planned by ``plan_roster``)."""
    members = []
    for name, role, department, title, phone, admitted in ROSTER:
        member = StaffMember(
            name=name, role=role, department=departments[department], title=title, phone=phone,
            status=StaffStatus.active, admitted_on=_before(anchor, admitted),
        )
        session.add(member)
        members.append(member)
    return Roster(members, _before(anchor, HANDOVER))


def _before(anchor: dt.date, days: int) -> dt.date:
    return anchor - dt.timedelta(days=days)


def plan_roster(replay: Replay, roster: Roster, departments: dict[str, Department],
                anchor: dt.date) -> None:
    """The roster filings (人员报备, R-2.3, R-2.5): filed, approved by the head, and carried
    out by the replay's daily roster run on their day (app/domain/roster.py): the leaver's
    open commissions pass to his replacement then."""
    window, handover = departments[WINDOW_DEPARTMENT], roster.handover_day
    leaver, replacement = roster.by_name(LEAVER), roster.by_name(REPLACEMENT)
    joined = roster.by_name("郑婉婷")
    filed, approved = _before(anchor, TRANSFER_FILED), _before(anchor, TRANSFER_FILED - 2)
    filings = (
        (dict(staff=replacement, kind=RosterChangeKind.join, to_department=window,
              filed_on=filed, effective_on=handover,
              reason=f"接替{LEAVER}担任协办员，已完成岗前业务培训。"), approved),
        (dict(staff=leaver, kind=RosterChangeKind.replace, from_department=window,
              replacement=replacement, filed_on=filed, effective_on=handover,
              reason="工作调动，调往区发展和改革局，调离协办员岗位；在办协办项目于生效日移交接替人员。"),
         approved),
        (dict(staff=joined, kind=RosterChangeKind.join,
              to_department=departments["区住房和城乡建设局"],
              filed_on=joined.admitted_on - dt.timedelta(days=6), effective_on=joined.admitted_on,
              reason="区住建局增派专办员，负责施工图联合审查及消防设计审查事项。"),
         joined.admitted_on - dt.timedelta(days=4)),
    )
    for fields, approved_on in filings:
        filing: list[RosterChange] = []
        name = fields["staff"].name
        replay.at(fields["filed_on"], _file(fields, filing), label=f"roster filing {name}")
        replay.at(approved_on, _approve(filing, approved_on), label=f"roster approval {name}")
    leaver.remarks = f"{handover.isoformat()}调往区发展和改革局，在办项目移交{REPLACEMENT}。"


def _file(fields: dict, filed: list[RosterChange]):
    """File the change as the roster screen files it (提前报备 checked, R-2.5)."""
    def action(replay: Replay) -> None:
        check_filing(filed_on=fields["filed_on"], effective_on=fields["effective_on"],
                     cal=replay.cal, notice_days=replay.config["ROSTER_NOTICE_WORKING_DAYS"])
        change = RosterChange(**fields)
        replay.session.add(change)
        filed.append(change)
    return action


def _approve(filed: list[RosterChange], day: dt.date):
    """The head approves it (the approve button, app/domain/roster.approve)."""
    def action(replay: Replay) -> None:
        approve(replay.session, filed[0], approved_by=HEAD, approved_on=day, today=day)
    return action
