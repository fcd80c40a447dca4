"""All SQLModel tables. Importing this package registers every table on the metadata."""

from tutela_app.models.audit import AuditEvent
from tutela_app.models.base import SQLModel, utcnow
from tutela_app.models.cases import Case, CaseAssignment, CaseStageChange, IndividualProject, NetworkContact
from tutela_app.models.court import (
    CourtMeasure,
    DeadlineRuleSet,
    Obligation,
    Placement,
    ProbationLogEntry,
    ProbationPrescription,
    ProbationProject,
)
from tutela_app.models.intake import Accesso, IseeDeclaration, Referral
from tutela_app.models.people import Household, HouseholdMember, Person
from tutela_app.models.tenants import AuthSession, CalendarFeedToken, RoleGrant, Staff, Tenant
from tutela_app.models.work import (
    CourtReport,
    CourtReportSignoff,
    DiaryEntry,
    Evaluation,
    Goal,
    Intervention,
    ServiceReport,
)

metadata = SQLModel.metadata

__all__ = [
    "Accesso", "AuditEvent", "AuthSession", "CalendarFeedToken", "Case", "CaseAssignment",
    "CaseStageChange", "CourtMeasure", "CourtReport", "CourtReportSignoff", "DeadlineRuleSet",
    "DiaryEntry", "Evaluation", "Goal", "Household", "HouseholdMember", "IndividualProject",
    "Intervention", "IseeDeclaration", "NetworkContact", "Obligation", "Person", "Placement",
    "ProbationLogEntry", "ProbationPrescription", "ProbationProject", "Referral", "RoleGrant",
    "ServiceReport", "SQLModel", "Staff", "Tenant", "metadata", "utcnow",
]
