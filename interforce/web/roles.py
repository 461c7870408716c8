"""Who may sign in to the dashboard, and what each role may see."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A dashboard user's one role."""

    COORDINATOR = "coordinator"
    """Transfer coordinators: every case, every list and measure."""
    MAPPA_LEAD = "mappa_lead"
    """The force's MAPPA lead: MAPPA cases only, in every list, measure and record."""
    AUDITOR = "auditor"
    """Read-only: every case and measure, and the audit log itself."""

    @property
    def label(self) -> str:
        return {"coordinator": "Coordinator", "mappa_lead": "MAPPA lead", "auditor": "Auditor"}[
            self.value
        ]

    @property
    def mappa_only(self) -> bool:
        """Whether this role sees MAPPA cases and nothing else."""
        return self is Role.MAPPA_LEAD

    @property
    def reads_audit_log(self) -> bool:
        """Whether this role may read the audit log."""
        return self is Role.AUDITOR
