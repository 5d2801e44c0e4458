"""Enumerated choices of the attached forms and records (not lifecycle states: see states.py)."""
from __future__ import annotations

from app.labels import LabelledEnum, _


class UnitNature(LabelledEnum):
    """单位性质 on attached form 1."""

    enterprise = ("enterprise", _("Enterprise"))
    government = ("government", _("Government"))
    institution = ("institution", _("Public institution"))
    association = ("association", _("Association"))
    other = ("other", _("Other"))


class FundSource(LabelledEnum):
    """资金来源 on attached form 1."""

    government = ("government", _("Government funds"))
    private = ("private", _("Private capital"))
    hmt = ("hmt", _("Hong Kong, Macao and Taiwan"))
    foreign = ("foreign", _("Foreign capital"))
    other = ("other", _("Other"))


class LandNature(LabelledEnum):
    """土地性质 on attached form 1 (the form prints 自由; kept as printed)."""

    allocated = ("allocated", _("Allocated"))
    transferred = ("transferred", _("Transferred"))
    collective = ("collective", _("Collective"))
    own = ("own", _("Own land"))
    other = ("other", _("Other"))


class KeyProjectLevel(LabelledEnum):
    """重点项目级别 on attached form 1."""

    provincial = ("provincial", _("Provincial"))
    municipal = ("municipal", _("Municipal"))
    district = ("district", _("District"))
    town = ("town", _("Town (street)"))
    other = ("other", _("Other level"))


class ConstructionKind(LabelledEnum):
    """新建/改建/扩建 (Art.2, R-1.1)."""

    new = ("new", _("New construction"))
    rebuild = ("rebuild", _("Reconstruction"))
    expansion = ("expansion", _("Expansion"))


class InvestmentKind(LabelledEnum):
    """政府投资/社会投资 (Art.2, R-1.1)."""

    government = ("government", _("Government investment"))
    social = ("social", _("Social investment"))


class DelegationScope(LabelledEnum):
    """全部委托 / 部分委托 (Art.2, R-1.4)."""

    full = ("full", _("Full delegation"))
    partial = ("partial", _("Partial delegation"))


class ContactMethod(LabelledEnum):
    """The agreed way of contacting the unit (R-5.2) or of a revisit (R-13.2)."""

    phone = ("phone", _("Phone"))
    wechat = ("wechat", _("WeChat"))
    sms = ("sms", _("SMS"))
    visit = ("visit", _("Visit"))
    email = ("email", _("Email"))


class UnitContact(LabelledEnum):
    """The unit's two contacts on the application form (Art.5, R-4.1): who receives a
    look-up code and who reports a change (R-17.1, R-17.6)."""

    handler = ("handler", _("Project handler"))
    leader = ("leader", _("Project leader"))


class UnitConfirmationKind(LabelledEnum):
    """What a unit confirmed online (R-17.2, R-17.3)."""

    plan = ("plan", _("Approval plan"))
    termination = ("termination", _("Termination"))


class LookupStep(LabelledEnum):
    """A request of the unit's look-up, counted by the rate limits (R-17.7)."""

    request = ("request", _("Code requested"))
    verify = ("verify", _("Code entered"))


class StaffRole(LabelledEnum):
    """协办员 / 专办员 (Art.3, Art.5)."""

    coordinator = ("coordinator", _("Coordinator"))
    specialist = ("specialist", _("Specialist"))


class StaffStatus(LabelledEnum):
    """在岗 / 调离 / 停用 (R-2.2)."""

    active = ("active", _("On duty"))
    transferred = ("transferred", _("Transferred out"))
    disabled = ("disabled", _("Disabled"))


class RosterChangeKind(LabelledEnum):
    """人员报备 kinds (R-2.3)."""

    join = ("join", _("Join"))
    leave = ("leave", _("Leave"))
    transfer = ("transfer", _("Transfer"))
    replace = ("replace", _("Replacement"))


class Stage(LabelledEnum):
    """Approval stages (国办发〔2019〕11号) plus parallel work."""

    s1 = ("s1", _("Stage 1: project approval and land-use planning"))
    s2 = ("s2", _("Stage 2: construction project permit"))
    s3 = ("s3", _("Stage 3: construction permit"))
    s4 = ("s4", _("Stage 4: completion acceptance"))
    parallel = ("parallel", _("Parallel: utility connection"))


class WorkLogType(LabelledEnum):
    """Kinds of work-log entry (R-6.4)."""

    contact = ("contact", _("Contact with unit"))
    guidance = ("guidance", _("Guidance"))
    submission = ("submission", _("Submission"))
    follow_up = ("follow_up", _("Follow-up"))
    coordination = ("coordination", _("Coordination"))
    correction = ("correction", _("Correction"))
    other = ("other", _("Other"))


class EscalationTarget(LabelledEnum):
    """Where a problem is escalated to (R-6.7)."""

    window = ("window", _("Assistance window"))
    department_head = ("department_head", _("Department head"))


class MaterialProblem(LabelledEnum):
    """What is wrong with a material on the one-time notice (R-6.5)."""

    missing = ("missing", _("Missing"))
    insufficient = ("insufficient", _("Insufficient"))


class DeliveryMethod(LabelledEnum):
    """上门领取 / 邮寄送达 (Art.8, R-8.4)."""

    visit = ("visit", _("Collect in person"))
    post = ("post", _("Delivery by post"))


class TerminationReason(LabelledEnum):
    """Reasons for ending a commission (Art.9, R-10.1)."""

    force_majeure = ("force_majeure", _("Force majeure"))
    false_declaration = ("false_declaration", _("Unit: false declaration"))
    missing_prerequisites = ("missing_prerequisites", _("Unit: prerequisites incomplete"))
    violation = ("violation", _("Unit: illegal operation"))
    unit_request = ("unit_request", _("Unit requested termination"))
    not_permitted = ("not_permitted", _("Not permitted by law"))
    other = ("other", _("Other reason"))


class MeetingKind(LabelledEnum):
    """协调会议 / 联席会议 (R-7.1)."""

    coordination = ("coordination", _("Coordination meeting"))
    joint = ("joint", _("Joint meeting"))


class Rating(LabelledEnum):
    """The five levels of the national 好差评 scale (R-13.2)."""

    very_satisfied = ("very_satisfied", _("Very satisfied"))
    satisfied = ("satisfied", _("Satisfied"))
    basically_satisfied = ("basically_satisfied", _("Basically satisfied"))
    dissatisfied = ("dissatisfied", _("Dissatisfied"))
    very_dissatisfied = ("very_dissatisfied", _("Very dissatisfied"))

    @property
    def score(self) -> int:
        return RATING_SCORES[self]

    @property
    def is_bad(self) -> bool:
        return self in (Rating.dissatisfied, Rating.very_dissatisfied)


RATING_SCORES = {
    Rating.very_satisfied: 5,
    Rating.satisfied: 4,
    Rating.basically_satisfied: 3,
    Rating.dissatisfied: 2,
    Rating.very_dissatisfied: 1,
}


class AssessmentSubject(LabelledEnum):
    """Who an assessment is about (R-13.3)."""

    department = ("department", _("Department"))
    coordinator = ("coordinator", _("Coordinator"))


class Attendance(LabelledEnum):
    """Training attendance (R-13.4)."""

    present = ("present", _("Present"))
    absent = ("absent", _("Absent"))
    excused = ("excused", _("Excused"))


class CalendarDayKind(LabelledEnum):
    """A calendar override: a holiday on a weekday, or a working weekend (调休), R-12.1."""

    holiday = ("holiday", _("Holiday"))
    workday = ("workday", _("Adjusted working day"))


class Channel(LabelledEnum):
    """Notification channels (R-11.1)."""

    sms = ("sms", _("SMS"))
    wechat = ("wechat", _("WeChat"))
    email = ("email", _("Email"))
    log = ("log", _("Log only"))


class Confidentiality(LabelledEnum):
    """保密 marking of a material (Art.5, R-14.3): none, or the kind of secret it holds."""

    none = ("none", _("Not confidential"))
    trade_secret = ("trade_secret", _("Trade secret"))
    technical_secret = ("technical_secret", _("Technical secret"))
    privacy = ("privacy", _("Personal privacy"))
