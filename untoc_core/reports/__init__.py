"""Reports built from the recorded events: models, not rendering.

The country review report per the blueprint (ToR 25, 32), the executive summary
(ToR 35), the thematic implementation report (ToR 34), the technical expert group
report (ToR 37 bis-septies) and the performance report (ToR 46).
"""

from __future__ import annotations
