"""Path converters of the portal's URLs, registered once (``BlocsConfig.ready``) for every app's urls.py.

``<year:year>``: an emulation year is four digits. Django's ``<int:…>`` matches any run of digits, so
``/blocs/1/members/99999999999999999999/issue/`` reached the views and the database with a 20-digit
year; with this converter such a path is not a URL at all (404), and the views then check the year
against the bloc's years (``blocs.web.bloc_year_or_404``).
"""

from __future__ import annotations


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        # reverse() checks the result against ``regex``: a year outside 0000..9999 has no URL.
        return f"{int(value):04d}"
