"""Course rosters: the platform's Names and Role Provisioning service, cached, with launch-seen learners as fallback."""

from lti_app.roster.nrps import RosterUnavailable
from lti_app.roster.service import CohortMember, Roster, cohort, refresh_roster, roster

__all__ = ["CohortMember", "Roster", "RosterUnavailable", "cohort", "refresh_roster", "roster"]
