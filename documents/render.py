"""HTML → PDF for printed documents (docs/architecture.md, "Documents"), with WeasyPrint, offline and in Vietnamese.

Three things matter here and are easy to get wrong:

* Fonts. Debian ships two "Liberation Serif" families: ``fonts-liberation`` 1.x has no Vietnamese
  glyphs (ộ, ữ, ặ … would silently fall back to another font), ``fonts-liberation2`` has them. Which one
  fontconfig picks by name is up to the machine, so the renderer finds the files that really cover
  Vietnamese and declares them with ``@font-face`` under the family name "Liberation Serif".
* Network. A document must never fetch anything from outside: the URL fetcher serves static and media
  files from Django's finders and storages and refuses every other URL.
* Language. The fixed text of a document is Vietnamese whatever the reader's interface language, so
  templates are rendered with Vietnamese active.
"""

from __future__ import annotations

import functools
import glob
import logging
import mimetypes
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage, storages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)

# Documents are Vietnamese administrative documents, whatever the interface language.
DOCUMENT_LANGUAGE = "vi"
FONT_FAMILY = "Liberation Serif"
# A base URL that can never reach a network: relative URLs resolve against it and the fetcher maps
# its paths to local files.
BASE_URL = "https://document.invalid/"

# Where metric-compatible Times New Roman fonts live on Debian and friends; settings may add more.
_FONT_PATTERNS = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-{style}.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-{style}.ttf",
    "/usr/share/fonts/liberation-serif*/LiberationSerif-{style}.ttf",
    "/usr/share/fonts/**/LiberationSerif-{style}.ttf",
    "/usr/share/fonts/truetype/croscore/Tinos-{style}.ttf",
    "/usr/share/fonts/**/Tinos-{style}.ttf",
]
_FONT_STYLES = {  # file style name → (CSS font-weight, CSS font-style)
    "Regular": ("400", "normal"),
    "Bold": ("700", "normal"),
    "Italic": ("400", "italic"),
    "BoldItalic": ("700", "italic"),
}
# Letters a Vietnamese font must have (a sample of the precomposed Latin Extended Additional block).
_VIETNAMESE_SAMPLE = "ĂăÂâĐđÊêÔôƠơƯưẠạẶặẦầỘộỮữỸỹ"


def _covers_vietnamese(path: str) -> bool:
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # an unreadable file is simply not a candidate
        return False
    return all(ord(ch) in cmap for ch in _VIETNAMESE_SAMPLE)


@functools.lru_cache(maxsize=1)
def document_fonts() -> dict[str, str]:
    """The font file for each style ({"Regular": path, …}); first candidate with Vietnamese glyphs wins."""
    patterns = [*getattr(settings, "DOCUMENT_FONT_PATTERNS", []), *_FONT_PATTERNS]
    found: dict[str, str] = {}
    for style in _FONT_STYLES:
        for pattern in patterns:
            candidates = sorted(glob.glob(pattern.format(style=style), recursive=True))
            path = next((c for c in candidates if _covers_vietnamese(c)), None)
            if path:
                found[style] = str(Path(path).resolve())
                break
        else:
            logger.warning("No %s %s font with Vietnamese glyphs found; install fonts-liberation2", FONT_FAMILY, style)
    return found


def _font_face_css() -> str:
    rules = []
    for style, path in document_fonts().items():
        weight, font_style = _FONT_STYLES[style]
        rules.append(
            f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{Path(path).as_uri()}"); '
            f"font-weight: {weight}; font-style: {font_style}; }}"
        )
    return "\n".join(rules)


def _local_fetcher_class() -> Any:  # a subclass of WeasyPrint's URLFetcher, which has no types
    # Imported lazily: WeasyPrint loads Pango through cffi, which pages that never print do not need.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
        """Serves static files, media files and the document fonts from disk or storage; nothing else."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                path = str(Path(unquote(parts.path)).resolve())
                if path in set(document_fonts().values()):
                    return URLFetcherResponse(url, Path(path).read_bytes(), {"Content-Type": "font/ttf"})
                raise ValueError(f"Documents may not read local file {url}")
            if parts.scheme in ("http", "https"):
                body = _local_body(unquote(parts.path))
                if body is not None:
                    content_type = mimetypes.guess_type(parts.path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body, {"Content-Type": content_type})
            raise ValueError(f"Documents load nothing from the network: {url}")

    return LocalURLFetcher


def _local_body(path: str) -> bytes | None:
    """The bytes of a static or media URL path, or None if it is neither or does not exist."""
    static_url = urlsplit(settings.STATIC_URL or "/static/").path
    media_url = urlsplit(settings.MEDIA_URL or "/media/").path
    if static_url and path.startswith(static_url):
        relative = path[len(static_url) :]
        found = finders.find(relative)
        if found:
            return Path(found).read_bytes()
        storage = storages["staticfiles"]
        if storage.exists(relative):
            with storage.open(relative, "rb") as handle:
                static_body: bytes = handle.read()
                return static_body
        return None
    if media_url and media_url != "/" and path.startswith(media_url):
        relative = path[len(media_url) :]
        if default_storage.exists(relative):
            with default_storage.open(relative, "rb") as handle:
                media_body: bytes = handle.read()
                return media_body
    return None


def render_html(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> str:
    """The document's HTML, rendered in the document language."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_to_string(template_name, context, request=request)


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None) -> bytes:
    """Render a document template (extending ``documents/base_document.html``) to PDF bytes."""
    # Imported lazily, like the fetcher's: only a request that prints loads Pango.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_html(template_name, context, request=request)
    fetcher = _local_fetcher_class()(timeout=5)
    font_config = FontConfiguration()
    fonts = CSS(string=_font_face_css(), font_config=font_config, url_fetcher=fetcher, base_url=BASE_URL)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=[fonts], font_config=font_config)
    return pdf


# Date lines (Decree 30/2020, Appendix I): days under 10 and the months January and February are
# written with two digits ("ngày 05 tháng 02"), so nobody can add a digit in front; March to December
# are not padded ("tháng 3", "tháng 12").


def date_words(d: date) -> str:
    """ "ngày 02 tháng 02 năm 2021"."""
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def date_line(place: str, d: date) -> str:
    """ "An Giang, ngày 02 tháng 02 năm 2021": the place and date line of a document header."""
    place = (place or "").strip()
    return f"{place}, {date_words(d)}" if place else date_words(d).capitalize()


def file_name_safe(text: str) -> str:
    """An ASCII file name fragment (for Content-Disposition): "01/DS-KTĐ6" → "01-DS-KTD6"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    cleaned = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in ascii_text)
    return "-".join(part for part in cleaned.split("-") if part) or "document"


CONTENT_TEMPLATE = "documents/document.html"


def content_context(content: Any, *, number_text: str, draft: bool) -> dict[str, Any]:
    """The template context of a ``DocumentContent`` (``documents/document.html``)."""
    return {
        "content": content,
        "header": content.header,
        "number_text": number_text,
        "place": content.place_name,
        "issue_date": content.date,
        "doc_type": content.doc_type,
        "subject": content.subject,
        "draft": draft,
    }


def content_pdf(content: Any, *, number_text: str = "", draft: bool = False) -> bytes:
    """A ``documents.content.DocumentContent`` as PDF bytes (``documents.docx.content_docx`` writes the
    same content as a Word file)."""
    return render_pdf(CONTENT_TEMPLATE, content_context(content, number_text=number_text, draft=draft))


def document_file_name(*, type_code: str, number_text: str | None, issuer_code: str, on: date | None, ext: str) -> str:
    """One scheme for every document's file: ``<type>-<number>-<issuer>-<date>.<ext>``.

    ``BB-01-KTD6-20211228.pdf``; a draft's number (empty or "…") is "du-thao"
    (``BB-du-thao-KTD6-20211228.docx``); a document that is never numbered (``number_text=None``, the
    council's proposal list) has no number part; a part that is unknown is left out, never invented.
    """
    number = (number_text or "").split("/", 1)[0].strip()
    if number_text is None:
        number_part = ""
    else:
        number_part = "du-thao" if not number or number == "…" else number
    parts = [type_code, number_part, issuer_code, on.strftime("%Y%m%d") if on else ""]
    return f"{file_name_safe('-'.join(part for part in parts if part))}.{ext}"
