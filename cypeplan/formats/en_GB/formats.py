"""Django's British English formats, with the 24-hour clock the pages write ("2 Jun 2023,
00:30"), not "12:30 a.m.", "midnight" or "noon": the admin and anything else that shows a
moment in the default format. Only what differs from Django's en_GB is here."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
