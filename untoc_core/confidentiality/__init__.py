"""Confidentiality of review information (ToR 30): sealed values, grants, refusals.

The core holds only plain data here: where a sealed value belongs
(:class:`SealContext`), the name of a data key (:class:`DataKeyId`), the sealed
value itself (:class:`SealedValue`), a data key wrapped for one principal
(:class:`Grant`), the record of a destroyed key (:class:`KeyShredded`), the detailed
reason of a refused open for the access log (:class:`Denial`) and the one refusal
every failed open raises (:class:`AccessDenied`). The cryptography is in
``untoc_adapters.crypto``, behind the ``Sealer`` and ``KeyService`` ports.

Access to review information is recorded as events (:mod:`.events`): principals
and their key fingerprints, scopes and epochs, grants, revocations, requests and
consents (ToR 37), publications (ToR 36), breach reports (GL 5) and the access log.
:func:`decide_access` is the pure decision of who may read what; the commands of
:mod:`.commands` refuse, citing the provision, what the rules do not allow.
"""

from __future__ import annotations

from untoc_core.canonical import canonical_json
from untoc_core.confidentiality.commands import (
    IMPLEMENTATION_OVERSIGHT_GROUP,
    MAX_GRANTS_PER_EPOCH,
    GiveConsent,
    GrantAccess,
    OpenScope,
    PublishSections,
    RegisterPrincipal,
    ReportBreach,
    RequestReport,
    RevokeAccess,
    RotateEpoch,
)
from untoc_core.confidentiality.errors import ACCESS_DENIED_MESSAGE, AccessDenied
from untoc_core.confidentiality.events import (
    ACCESS_EVENTS,
    COMPILATIONS,
    REVIEW_SCOPES,
    AccessDecided,
    AccessGranted,
    AccessRevoked,
    Action,
    Basis,
    BreachReported,
    ConsentGiven,
    EpochRotated,
    Outcome,
    PrincipalKind,
    PrincipalRegistered,
    ReportRequested,
    Role,
    Scope,
    ScopeOpened,
    SectionsPublished,
    is_compilations,
)
from untoc_core.confidentiality.model import (
    AccessDecision,
    AccessState,
    Principal,
    Principals,
    ReviewAccess,
    ScopeAccess,
    decide_access,
    role_of,
)
from untoc_core.confidentiality.refusals import (
    ExpertGroupAccessRefused,
    GrantRefused,
    PublicationRefused,
    ReportAccessRefused,
)
from untoc_core.confidentiality.values import (
    SEALED_FORMAT,
    DataKeyId,
    Denial,
    DenialHook,
    Grant,
    KeyShredded,
    SealContext,
    SealedValue,
)

__all__ = [
    "ACCESS_DENIED_MESSAGE",
    "ACCESS_EVENTS",
    "COMPILATIONS",
    "IMPLEMENTATION_OVERSIGHT_GROUP",
    "MAX_GRANTS_PER_EPOCH",
    "REVIEW_SCOPES",
    "SEALED_FORMAT",
    "AccessDecided",
    "AccessDecision",
    "AccessDenied",
    "AccessGranted",
    "AccessRevoked",
    "AccessState",
    "Action",
    "Basis",
    "BreachReported",
    "ConsentGiven",
    "DataKeyId",
    "Denial",
    "DenialHook",
    "EpochRotated",
    "ExpertGroupAccessRefused",
    "GiveConsent",
    "Grant",
    "GrantAccess",
    "GrantRefused",
    "KeyShredded",
    "OpenScope",
    "Outcome",
    "Principal",
    "PrincipalKind",
    "PrincipalRegistered",
    "Principals",
    "PublicationRefused",
    "PublishSections",
    "RegisterPrincipal",
    "ReportAccessRefused",
    "ReportBreach",
    "ReportRequested",
    "RequestReport",
    "ReviewAccess",
    "RevokeAccess",
    "Role",
    "RotateEpoch",
    "Scope",
    "ScopeAccess",
    "ScopeOpened",
    "SealContext",
    "SealedValue",
    "SectionsPublished",
    "canonical_json",
    "decide_access",
    "is_compilations",
    "role_of",
]
