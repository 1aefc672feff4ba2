"""The tool's persistent records; importing this package registers every table with the metadata."""

from lti_app.models.career import (
    CareerTargetRecord,
    CheckInRecord,
    CohortLevelTally,
    DevelopmentPlanRecord,
    EvidenceRecordRow,
    LatestSkillLevel,
    ReflectionRecord,
    SelfAssessmentDraftRecord,
    SelfAssessmentRecord,
    SkillFrameworkRecord,
)
from lti_app.models.grades import DeliveryAttempt, PlatformAccessToken, ScoreDelivery
from lti_app.models.keys import SigningKey
from lti_app.models.mentoring import (
    MentoringAskRecord,
    MentoringFeedbackRecord,
    MentoringRequestRecord,
    MentoringSessionPair,
    MentoringSessionRecord,
    MentorOfferRecord,
)
from lti_app.models.partners import PartnerLink, PartnerShare, RecognitionRecord
from lti_app.models.people import Context, LaunchSession, LtiUser, Membership, ResourceLink
from lti_app.models.platform import Deployment, Platform
from lti_app.models.profile import ErasureLog, LearnerProfile, ProfileLinkCode, RecordAccess, RecordShare
from lti_app.models.roster import RosterMember
from lti_app.models.state import ExpiringValue
from lti_app.models.xapi import XapiSource, XapiStatementRow

__all__ = [
    "CareerTargetRecord",
    "CheckInRecord",
    "CohortLevelTally",
    "Context",
    "DeliveryAttempt",
    "Deployment",
    "DevelopmentPlanRecord",
    "ErasureLog",
    "EvidenceRecordRow",
    "ExpiringValue",
    "LatestSkillLevel",
    "LaunchSession",
    "LearnerProfile",
    "LtiUser",
    "Membership",
    "MentorOfferRecord",
    "MentoringAskRecord",
    "MentoringFeedbackRecord",
    "MentoringRequestRecord",
    "MentoringSessionPair",
    "MentoringSessionRecord",
    "PartnerLink",
    "PartnerShare",
    "Platform",
    "PlatformAccessToken",
    "ProfileLinkCode",
    "RecognitionRecord",
    "RecordAccess",
    "RecordShare",
    "ReflectionRecord",
    "ResourceLink",
    "RosterMember",
    "ScoreDelivery",
    "SelfAssessmentDraftRecord",
    "SelfAssessmentRecord",
    "SigningKey",
    "SkillFrameworkRecord",
    "XapiSource",
    "XapiStatementRow",
]
