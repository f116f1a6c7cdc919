"""Vietnamese first: the portal speaks Vietnamese unless the user chose another language.

Django's LocaleMiddleware follows the browser's Accept-Language, and many officers' computers run an
English browser; the portal must still show Vietnamese. Only an explicit choice (the language cookie that
Django's ``set_language`` view writes) changes the language.
"""

from django.conf import settings
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the language that was active before, once the response is built.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
