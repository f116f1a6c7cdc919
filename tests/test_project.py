"""Project-wide promises: production settings pass Django's deploy checks, the Vietnamese catalogue is
complete and compiled, the UI speaks Vietnamese by default, and no page loads anything from the internet."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "k" * 20 + "-production-like-secret-0123456789-abcdefghijklmnop",
        "DJANGO_ALLOWED_HOSTS": "thidua.example.gov.vn",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of the same worker
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_vietnamese_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert len(catalogue.translated_entries()) > 200


def test_compiled_catalogue_matches_the_source():
    # Keyed by context and message: one English word may mean two things (pgettext).
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)).translated_entries() if not e.msgid_plural}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(PO.with_suffix(".mo"))) if not e.msgid_plural}
    assert compiled == source


# What makemessages extracts from a template: Django turns each template into Python-like source in which
# every translatable string is one gettext/ngettext/pgettext/npgettext call with literal arguments, so
# single- and double-quoted {% translate %}, `context`, and {% blocktranslate %} with its variables,
# `trimmed` and `count` give exactly the msgid (and msgctxt) that the catalogue holds.
_GETTEXT_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\(")


def template_messages(source: str) -> list[tuple[str | None, str]]:
    """(msgctxt, msgid) of every translatable string of a template, as `make messages` would extract it."""
    from django.utils.translation.template import templatize

    code = templatize(source)
    found = []
    for call in _GETTEXT_CALL.finditer(code):
        end = call.end()
        while True:  # the call ends at the first ")" that closes a complete expression
            end = code.index(")", end) + 1
            try:
                parsed = ast.parse(code[call.start() : end], mode="eval").body
                break
            except SyntaxError:
                continue
        assert isinstance(parsed, ast.Call)
        args = [str(arg.value) for arg in parsed.args if isinstance(arg, ast.Constant)]
        context = args.pop(0) if call.group(1).startswith("p") or call.group(1).startswith("np") else None
        found.append((context, args[0]))
    return found


def test_template_messages_reads_every_form_of_translate():
    source = """{% load i18n %}{% translate "double" %}{% translate 'single' %}{% translate "x" context "ctx" %}
    {% blocktranslate with n=a.b %}Hello {{ n }}{% endblocktranslate %}
    {% blocktranslate trimmed count k=items|length %}
      one row
    {% plural %}
      {{ k }} rows
    {% endblocktranslate %}"""
    assert template_messages(source) == [
        (None, "double"),
        (None, "single"),
        ("ctx", "x"),
        (None, "Hello %(n)s"),
        (None, "one row"),
    ]


def test_every_template_string_is_in_the_catalogue():
    """A msgid added to a template without running `make messages` would show in English."""
    catalogue = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = []
    count = 0
    for template in sorted((ROOT / "templates").rglob("*.html")):
        for context, msgid in template_messages(template.read_text(encoding="utf-8")):
            count += 1
            if (context, msgid) not in catalogue:
                missing.append(f"{template.relative_to(ROOT)}: {context or ''} {msgid!r}")
    assert not missing, missing
    assert count > 700  # the extraction still finds the templates' strings


@pytest.mark.django_db
def test_the_ui_is_vietnamese_by_default(client):
    page = client.get(reverse("blocs:login")).content.decode()
    assert 'lang="vi"' in page
    assert "Đăng nhập" in page


@pytest.mark.django_db
def test_dates_are_shown_day_month_year(client_as, users, bloc):
    from datetime import date

    from django.template import Context, Template

    assert Template("{{ d|date }}").render(Context({"d": date(2021, 2, 2)})) == "02/02/2021"


def test_no_template_loads_anything_from_the_internet():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"""(?:src|href)\s*=\s*["'](https?:)?//(?!localhost|127\.0\.0\.1)""", text):
            offenders.append(f"{template.relative_to(ROOT)}: {text[match.start() : match.start() + 60]}")
        for match in re.finditer(r"""@import\s+url\(\s*["']?https?://""", text):
            offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, offenders


def test_static_css_and_js_are_served_by_the_portal():
    from django.contrib.staticfiles import finders

    for path in ["bootstrap/css/bootstrap.min.css", "bootstrap/js/bootstrap.bundle.min.js", "css/portal.css"]:
        assert finders.find(path), path


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    page = client.get(reverse("blocs:login"), headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Đăng nhập" in page


@pytest.mark.django_db
def test_the_language_cookie_is_an_explicit_choice(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("blocs:login")).content.decode()
    assert "Log in" in page and "Đăng nhập" not in page


def _locked(lock: Path) -> dict[str, str]:
    """``name -> version`` of a pip-compile lock file (names normalised as pip compares them)."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            pins[re.sub(r"[-_.]+", "-", name.strip()).lower()] = version.split()[0]
    return pins


@pytest.mark.parametrize(("lock", "extras"), [("dev.lock", ["dev"]), ("prod.lock", [])])
def test_the_lock_files_pin_every_declared_dependency(lock, extras):
    """`make` installs requirements/dev.lock and nothing else: a dependency added to pyproject.toml without
    `make lock` would be missing, one whose range changed would be installed outside it."""
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"])
    for extra in extras:
        declared += project["optional-dependencies"][extra]
    pins = _locked(ROOT / "requirements" / lock)
    wrong = []
    for requirement in map(Requirement, declared):
        version = pins.get(re.sub(r"[-_.]+", "-", requirement.name).lower())
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement} (locked: {version})")
    assert not wrong, f"run `make lock`: {wrong}"
