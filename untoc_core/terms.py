"""The resolution's fixed vocabularies: instruments, languages, regional groups.

Names follow the project glossary; values are the stable strings stored in events.
"""

from __future__ import annotations

import datetime as dt
import enum


class Instrument(enum.StrEnum):
    """The Convention and its three Protocols."""

    UNTOC = "UNTOC"
    TIP = "TIP"
    SOM = "SOM"
    FIREARMS = "FIREARMS"

    @property
    def full_name(self) -> str:
        """The instrument's short English title."""
        return _INSTRUMENT_TITLES[self]

    @property
    def entered_into_force(self) -> dt.date:
        """The day the instrument itself entered into force."""
        return _ENTRY_INTO_FORCE[self]

    @classmethod
    def protocols(cls) -> tuple[Instrument, ...]:
        """The three Protocols, in the order they were adopted."""
        return (cls.TIP, cls.SOM, cls.FIREARMS)


_ENTRY_INTO_FORCE = {
    Instrument.UNTOC: dt.date(2003, 9, 29),
    Instrument.TIP: dt.date(2003, 12, 25),
    Instrument.SOM: dt.date(2004, 1, 28),
    Instrument.FIREARMS: dt.date(2005, 7, 3),
}

_INSTRUMENT_TITLES = {
    Instrument.UNTOC: "United Nations Convention against Transnational Organized Crime",
    Instrument.TIP: "Trafficking in Persons Protocol",
    Instrument.SOM: "Smuggling of Migrants Protocol",
    Instrument.FIREARMS: "Firearms Protocol",
}


class Language(enum.StrEnum):
    """The six working languages of the mechanism (ToR 48)."""

    AR = "ar"
    ZH = "zh"
    EN = "en"
    FR = "fr"
    RU = "ru"
    ES = "es"


class RegionalGroup(enum.StrEnum):
    """The five United Nations regional groups."""

    AFRICAN = "African States"
    ASIA_PACIFIC = "Asia-Pacific States"
    EASTERN_EUROPEAN = "Eastern European States"
    GRULAC = "Latin American and Caribbean States"
    WEOG = "Western European and other States"

    @property
    def short(self) -> str:
        """The usual abbreviation, for narrow tables."""
        return _GROUP_SHORT[self]


_GROUP_SHORT = {
    RegionalGroup.AFRICAN: "African",
    RegionalGroup.ASIA_PACIFIC: "Asia-Pacific",
    RegionalGroup.EASTERN_EUROPEAN: "Eastern European",
    RegionalGroup.GRULAC: "GRULAC",
    RegionalGroup.WEOG: "WEOG",
}


class TreatyStatus(enum.StrEnum):
    """Where a State stands towards one instrument."""

    PARTY = "party"
    SIGNATORY = "signatory"
    NONE = "none"


class EntityType(enum.StrEnum):
    """What kind of entity a registry entry is."""

    MEMBER_STATE = "member_state"
    NON_MEMBER_STATE = "non_member_state"
    REGIONAL_ORGANIZATION = "regional_economic_integration_organization"
