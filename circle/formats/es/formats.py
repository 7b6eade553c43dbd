# Spanish: "lunes 7 de diciembre" (weekdays and months are written in lower case).
DATE_FORMAT = r"j \d\e F \d\e Y"  # 3 de marzo de 2026
DATETIME_FORMAT = r"j M Y, H:i"  # 3 mar 2026, 14:30 (the admin's lesson versions)
MONTH_DAY_FORMAT = r"j \d\e F"  # 3 de marzo
WEEKDAY_MONTH_DAY_FORMAT = r"l j \d\e F"  # lunes 3 de marzo
WEEKDAY_DATE_FORMAT = r"l j \d\e F \d\e Y"  # lunes 3 de marzo de 2026
