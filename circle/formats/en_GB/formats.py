# British English, in words: "3 March 2026" rather than Django's "3 Mar 2026".
DATE_FORMAT = "j F Y"  # 3 March 2026
DATETIME_FORMAT = "j M Y, H:i"  # 3 Mar 2026, 14:30 (the admin's lesson versions)
MONTH_DAY_FORMAT = "j F"  # 3 March
WEEKDAY_MONTH_DAY_FORMAT = "l j F"  # Monday 3 March
WEEKDAY_DATE_FORMAT = "l j F Y"  # Monday 3 March 2026
