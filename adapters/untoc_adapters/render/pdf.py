"""A worded report as a PDF, printed by WeasyPrint from its HTML page.

:func:`render_pdf` prints the page :func:`~untoc_adapters.render.html.render_html`
lays out (with the text of runs in another language isolated, see
:func:`~untoc_adapters.render.html.page`). WeasyPrint shapes text with HarfBuzz
and Pango, so Arabic is joined and set right to left, and takes its fonts from
fontconfig: the Noto fonts the page's CSS names must be installed (Debian:
``fonts-noto-core`` and ``fonts-noto-cjk``; ``.ci/fonts`` installs them), or
Chinese and Arabic text would print as empty boxes. The fonts used are embedded,
subset, in the PDF. With HarfBuzz's subsetter (``libharfbuzz-subset0``) the same
document prints to the same bytes.

Rendering fetches nothing: the page holds its stylesheet, and any other resource
(a URL that is not a ``data:`` URL) is refused and stops the rendering.
"""

from __future__ import annotations

from typing import Any, Final

from untoc_adapters.render.html import page
from untoc_adapters.render.plain import PlainDocument

__all__ = ["render_pdf"]

_ALLOWED: Final = frozenset({"data"})


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URLs and refuses the rest."""
    # WeasyPrint is imported when a PDF is made: it loads Pango when imported.
    from weasyprint.urls import (  # type: ignore[import-untyped]  # noqa: PLC0415
        FatalURLFetchingError,
        URLFetcher,
    )

    class _DataOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme not in _ALLOWED:
                msg = f"a report fetches nothing; refused {url!r}"
                raise FatalURLFetchingError(msg)
            return super().fetch(url, headers)

    return _DataOnly(allowed_protocols=sorted(_ALLOWED), fail_on_errors=True)


def render_pdf(doc: PlainDocument) -> bytes:
    """Prints a worded document as a PDF.

    Args:
        doc: The document, worded in its language.

    Returns:
        The bytes of the PDF (A4, the marking at the top of every page).

    Raises:
        ImportError: WeasyPrint, or a system library it needs (Pango), is not
            installed.
        weasyprint.urls.FatalURLFetchingError: The page referred to a resource
            other than a ``data:`` URL.
    """
    import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415 - see above

    html = weasyprint.HTML(
        string=page(doc, isolate=True),
        base_url=None,
        url_fetcher=_fetcher(),
        encoding="utf-8",
    )
    pdf: bytes = html.write_pdf()
    return pdf
