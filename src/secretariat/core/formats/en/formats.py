"""English dates as diplomatic documents write them: "17 June 2006", "1 December 2026, 17:00".

Russian (and any other language) keeps Django's own formats, whose month is in the genitive
("17 июня 2006 г."). Templates use the named formats (`|date:"DATE_FORMAT"`), never a literal
month pattern, so each reader sees their own language's form.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
