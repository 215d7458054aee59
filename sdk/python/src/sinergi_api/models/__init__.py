"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .agency import Agency
from .agency_list import AgencyList
from .aggregate import Aggregate
from .agreement import Agreement
from .agreement_change import AgreementChange
from .agreement_change_type import AgreementChangeType
from .agreement_list import AgreementList
from .agreement_ref import AgreementRef
from .agreement_state import AgreementState
from .agreement_status import AgreementStatus
from .agreement_version import AgreementVersion
from .agreement_versions import AgreementVersions
from .attributes import Attributes
from .batch_item_result import BatchItemResult
from .batch_results import BatchResults
from .change_type import ChangeType
from .client_list import ClientList
from .client_view import ClientView
from .client_with_secret import ClientWithSecret
from .consistency_proof import ConsistencyProof
from .created_subscription import CreatedSubscription
from .delivery import Delivery
from .delivery_list import DeliveryList
from .ec_jwk import EcJwk
from .ec_jwk_alg_type_0 import EcJwkAlgType0
from .ec_jwk_crv import EcJwkCrv
from .ec_jwk_kty import EcJwkKty
from .enrollment import Enrollment
from .enrollment_batch import EnrollmentBatch
from .enrollment_change import EnrollmentChange
from .enrollment_change_type import EnrollmentChangeType
from .enrollment_history import EnrollmentHistory
from .enrollment_input import EnrollmentInput
from .enrollment_page import EnrollmentPage
from .enrollment_status import EnrollmentStatus
from .entry import Entry
from .entry_page import EntryPage
from .excluded import Excluded
from .feed_page import FeedPage
from .field_error import FieldError
from .follow_up_change import FollowUpChange
from .follow_up_change_type import FollowUpChangeType
from .get_jwks_response_200 import GetJwksResponse200
from .get_openapi_response_200 import GetOpenapiResponse200
from .graduation import Graduation
from .graduation_batch import GraduationBatch
from .graduation_change import GraduationChange
from .graduation_change_type import GraduationChangeType
from .graduation_history import GraduationHistory
from .graduation_input import GraduationInput
from .graduation_page import GraduationPage
from .graduation_type import GraduationType
from .household import Household
from .household_event import HouseholdEvent
from .household_event_kind import HouseholdEventKind
from .household_event_source import HouseholdEventSource
from .household_member_move import HouseholdMemberMove
from .identity import Identity
from .inclusion_proof import InclusionProof
from .item_result import ItemResult
from .jwk_set_schema import JwkSetSchema
from .lawful_basis import LawfulBasis
from .lineage import Lineage
from .list_entries_outcome import ListEntriesOutcome
from .list_programs_kind import ListProgramsKind
from .member_move import MemberMove
from .new_agreement import NewAgreement
from .new_client import NewClient
from .new_household_event import NewHouseholdEvent
from .new_referral import NewReferral
from .new_subscription import NewSubscription
from .o_auth_error import OAuthError
from .offer_state import OfferState
from .offer_to import OfferTo
from .okp_jwk import OkpJwk
from .okp_jwk_alg_type_0 import OkpJwkAlgType0
from .okp_jwk_crv import OkpJwkCrv
from .okp_jwk_kty import OkpJwkKty
from .outcome import Outcome
from .problem import Problem
from .program import Program
from .program_kind import ProgramKind
from .program_list import ProgramList
from .purpose import Purpose
from .purpose_list import PurposeList
from .reason_use import ReasonUse
from .record_kind import RecordKind
from .referral import Referral
from .referral_change import ReferralChange
from .referral_change_type import ReferralChangeType
from .referral_list import ReferralList
from .referral_offer import ReferralOffer
from .referral_priority import ReferralPriority
from .referral_reason import ReferralReason
from .referral_reason_list import ReferralReasonList
from .referral_status import ReferralStatus
from .referral_subject import ReferralSubject
from .referral_target import ReferralTarget
from .region import Region
from .region_level import RegionLevel
from .related_kk import RelatedKk
from .rsa_jwk import RsaJwk
from .rsa_jwk_alg_type_0 import RsaJwkAlgType0
from .rsa_jwk_kty import RsaJwkKty
from .scope import Scope
from .search_enrollments_status import SearchEnrollmentsStatus
from .search_key import SearchKey
from .signal import Signal
from .signal_kind import SignalKind
from .signal_list import SignalList
from .state import State
from .stats_cell import StatsCell
from .stats_column import StatsColumn
from .stats_conversion import StatsConversion
from .stats_group_by import StatsGroupBy
from .stats_row import StatsRow
from .stats_suppression import StatsSuppression
from .stats_table import StatsTable
from .stats_table_name import StatsTableName
from .stats_totals import StatsTotals
from .status import Status
from .subject import Subject
from .subscription import Subscription
from .subscription_list import SubscriptionList
from .terms import Terms
from .token_request import TokenRequest
from .token_response import TokenResponse
from .transition_request import TransitionRequest
from .version_state import VersionState
from .webhook_delivery import WebhookDelivery

__all__ = (
    "Action",
    "Agency",
    "AgencyList",
    "Aggregate",
    "Agreement",
    "AgreementChange",
    "AgreementChangeType",
    "AgreementList",
    "AgreementRef",
    "AgreementState",
    "AgreementStatus",
    "AgreementVersion",
    "AgreementVersions",
    "Attributes",
    "BatchItemResult",
    "BatchResults",
    "ChangeType",
    "ClientList",
    "ClientView",
    "ClientWithSecret",
    "ConsistencyProof",
    "CreatedSubscription",
    "Delivery",
    "DeliveryList",
    "EcJwk",
    "EcJwkAlgType0",
    "EcJwkCrv",
    "EcJwkKty",
    "Enrollment",
    "EnrollmentBatch",
    "EnrollmentChange",
    "EnrollmentChangeType",
    "EnrollmentHistory",
    "EnrollmentInput",
    "EnrollmentPage",
    "EnrollmentStatus",
    "Entry",
    "EntryPage",
    "Excluded",
    "FeedPage",
    "FieldError",
    "FollowUpChange",
    "FollowUpChangeType",
    "GetJwksResponse200",
    "GetOpenapiResponse200",
    "Graduation",
    "GraduationBatch",
    "GraduationChange",
    "GraduationChangeType",
    "GraduationHistory",
    "GraduationInput",
    "GraduationPage",
    "GraduationType",
    "Household",
    "HouseholdEvent",
    "HouseholdEventKind",
    "HouseholdEventSource",
    "HouseholdMemberMove",
    "Identity",
    "InclusionProof",
    "ItemResult",
    "JwkSetSchema",
    "LawfulBasis",
    "Lineage",
    "ListEntriesOutcome",
    "ListProgramsKind",
    "MemberMove",
    "NewAgreement",
    "NewClient",
    "NewHouseholdEvent",
    "NewReferral",
    "NewSubscription",
    "OAuthError",
    "OfferState",
    "OfferTo",
    "OkpJwk",
    "OkpJwkAlgType0",
    "OkpJwkCrv",
    "OkpJwkKty",
    "Outcome",
    "Problem",
    "Program",
    "ProgramKind",
    "ProgramList",
    "Purpose",
    "PurposeList",
    "ReasonUse",
    "RecordKind",
    "Referral",
    "ReferralChange",
    "ReferralChangeType",
    "ReferralList",
    "ReferralOffer",
    "ReferralPriority",
    "ReferralReason",
    "ReferralReasonList",
    "ReferralStatus",
    "ReferralSubject",
    "ReferralTarget",
    "Region",
    "RegionLevel",
    "RelatedKk",
    "RsaJwk",
    "RsaJwkAlgType0",
    "RsaJwkKty",
    "Scope",
    "SearchEnrollmentsStatus",
    "SearchKey",
    "Signal",
    "SignalKind",
    "SignalList",
    "State",
    "StatsCell",
    "StatsColumn",
    "StatsConversion",
    "StatsGroupBy",
    "StatsRow",
    "StatsSuppression",
    "StatsTable",
    "StatsTableName",
    "StatsTotals",
    "Status",
    "Subject",
    "Subscription",
    "SubscriptionList",
    "Terms",
    "TokenRequest",
    "TokenResponse",
    "TransitionRequest",
    "VersionState",
    "WebhookDelivery",
)
