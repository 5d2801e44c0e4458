"""The schema: one module per aggregate, all on FAB's declarative base (layer 1)."""
from __future__ import annotations

from flask_appbuilder import Model
from flask_appbuilder.security.sqla import models as _fab_security_models  # noqa: F401

from app.models.account import AccountSecurity, RoleDefinitions
from app.models.assessment import Assessment
from app.models.audit import AuditAction, AuditLog, AuditResult
from app.models.calendar import CalendarDay, CalendarYear
from app.models.casework import (
    Consultation,
    Escalation,
    MaterialNotice,
    MaterialNoticeLine,
    WorkLogEntry,
)
from app.models.client import Project, Unit
from app.models.counter import ApplicationCounter
from app.models.commission import Commission, CommissionStateChange, CoordinatorAssignment
from app.models.delivery import Delivery, FeeNotice, ResultReceipt
from app.models.document import DocumentKind, IssuedDocument
from app.models.export_job import ExportJob, ExportStatus
from app.models.items import CommissionItem, ItemSupplement, JointApproval
from app.models.material import Material
from app.models.meetings import CoordinationMeeting, MeetingActionItem
from app.models.notification import Notification
from app.models.online import (
    ContactChange,
    LookupCode,
    LookupRequest,
    RatingInvitation,
    UnitConfirmation,
)
from app.models.organisation import Department, RosterChange, StaffMember
from app.models.plan import PlanStep, PlanVersion
from app.models.prereview import PreReview
from app.models.reference import ApprovalItem, ItemMaterial, Town
from app.models.revisits import Rectification, Revisit
from app.models.row_count import RowCount
from app.models.termination import Announcement, Termination
from app.models.training import Training, TrainingAttendance

metadata = Model.metadata

__all__ = [
    "AccountSecurity", "RoleDefinitions",
    "Announcement", "ApplicationCounter", "ApprovalItem", "Assessment", "AuditAction", "AuditLog",
    "AuditResult", "CalendarDay", "CalendarYear", "Commission",
    "CommissionItem", "CommissionStateChange", "Consultation", "CoordinationMeeting",
    "ContactChange", "CoordinatorAssignment", "Delivery", "Department", "DocumentKind",
    "Escalation", "ExportJob", "ExportStatus", "FeeNotice",
    "IssuedDocument",
    "ItemMaterial", "ItemSupplement", "JointApproval", "LookupCode", "LookupRequest", "Material",
    "MaterialNotice",
    "MaterialNoticeLine", "MeetingActionItem", "Notification", "PlanStep", "PlanVersion",
    "PreReview", "Project", "RatingInvitation",
    "Rectification", "ResultReceipt", "Revisit", "RosterChange", "RowCount", "StaffMember",
    "Termination", "Town", "Training", "TrainingAttendance", "Unit", "UnitConfirmation", "WorkLogEntry",
    "metadata",
]
