"""Renderers: checklist forms as files that people fill offline, and back."""

from __future__ import annotations

from untoc_adapters.render.workbook import (
    WorkbookRefused,
    read_meta,
    read_workbook,
    write_workbook,
)

__all__ = ["WorkbookRefused", "read_meta", "read_workbook", "write_workbook"]
