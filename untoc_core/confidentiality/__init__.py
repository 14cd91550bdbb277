"""Confidentiality of review information (ToR 30): sealed values, grants, refusals.

The core holds only plain data here: where a sealed value belongs
(:class:`SealContext`), the name of a data key (:class:`DataKeyId`), the sealed
value itself (:class:`SealedValue`), a data key wrapped for one principal
(:class:`Grant`), the record of a destroyed key (:class:`KeyShredded`), the detailed
reason of a refused open for the access log (:class:`Denial`) and the one refusal
every failed open raises (:class:`AccessDenied`). The cryptography is in
``untoc_adapters.crypto``, behind the ``Sealer`` and ``KeyService`` ports.
"""

from __future__ import annotations

from untoc_core.confidentiality.errors import ACCESS_DENIED_MESSAGE, AccessDenied
from untoc_core.confidentiality.values import (
    SEALED_FORMAT,
    DataKeyId,
    Denial,
    DenialHook,
    Grant,
    KeyShredded,
    SealContext,
    SealedValue,
    canonical_json,
)

__all__ = [
    "ACCESS_DENIED_MESSAGE",
    "SEALED_FORMAT",
    "AccessDenied",
    "DataKeyId",
    "Denial",
    "DenialHook",
    "Grant",
    "KeyShredded",
    "SealContext",
    "SealedValue",
    "canonical_json",
]
