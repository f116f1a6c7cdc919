"""Extension points of the base app.

Higher apps (pledges, awards, meetings) add their items to pages the base app owns by registering a
provider here in their ``AppConfig.ready()``; ``blocs`` never imports them (DESIGN section 3).

A provider is a callable. Home-page providers receive ``(user, year, blocs)`` and return
``HomeContribution``; unit-page providers receive ``(user, unit)`` and return a list of ``Panel``.
Each provider must cost a fixed number of queries whatever the number of blocs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class AttentionItem:
    """One line of a user's "needs your attention" list."""

    text: str
    url: str = ""
    level: str = "warning"  # bootstrap contextual class


@dataclass
class HomeContribution:
    """What a provider adds to the home page: per-bloc badges and attention items."""

    bloc_badges: dict[int, list[str]] = field(default_factory=dict)
    attention: list[AttentionItem] = field(default_factory=list)


@dataclass
class Panel:
    """A titled block of HTML-safe content on an object's page."""

    title: str
    template: str
    context: dict = field(default_factory=dict)


home_providers: list[Callable] = []
unit_page_providers: list[Callable] = []


def register_home_provider(provider: Callable) -> Callable:
    if provider not in home_providers:
        home_providers.append(provider)
    return provider


def register_unit_page_provider(provider: Callable) -> Callable:
    if provider not in unit_page_providers:
        unit_page_providers.append(provider)
    return provider
