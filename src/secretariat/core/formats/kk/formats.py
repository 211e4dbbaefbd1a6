"""Kazakh date and number formats (Django ships Kazakh translations but no format module).

Kazakh puts the year first and names it in the adjectival form, as the state's documents
write dates: "2026 жылғы 17 маусым" ("of the year 2026, 17 June"). CLDR's long date is the
abbreviated "2026 ж. 17 маусым"; the full word reads better in notes and minutes, and the
note templates already write it so. Month names inside a date are lower case in Kazakh:
``E`` (Django's "alternative" month name) is lower-cased by the project catalogue, while
``F`` stays capitalised for a month standing alone. Numbers: decimal comma, non-breaking
space between thousands (CLDR kk).
"""

# The *_FORMAT strings use Django's date format syntax; Cyrillic letters are not format
# characters, so they pass through unescaped.
DATE_FORMAT = "Y жылғы j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j E, H:i"
YEAR_MONTH_FORMAT = "Y жылғы E"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# Python strftime syntax; Django adds the ISO formats (what date inputs send) itself.
DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '17.06.2026'
    "%d.%m.%y",  # '17.06.26'
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M:%S.%f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M:%S.%f",
    "%d.%m.%y %H:%M",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
