"""
The facilitator's view of a group's learning, one job per module:

- members.py: the group's members and what each has done, the whole group at once (counts
  per parent and module, for the summary and "who may need a hand") and a page of them in
  full (a status per lesson, for the table);
- group.py: the report page: the lessons by module with the group's plan, the one set of
  whole-group counts per lesson (done, started, reflected, shared, the knowledge checks) and
  the page of rows; the CSV uses the same counts;
- export.py: the CSV, streamed a chunk of members at a time;
- shared.py: the reflections parents shared on one lesson, a page at a time.

Only members count: a parent who left the group, was removed or deleted their account has no
membership row, so neither their progress nor their reflections reach any of it. The rows are
drawn by templates (templates/courses/facilitator/report.html and the report_cells filter).
"""

from courses.reports.export import report_csv_lines, report_filename
from courses.reports.group import REPORT_PAGE_SIZE, GroupReport, group_report
from courses.reports.members import QUIET_AFTER_DAYS, Member, MemberProgress, ReportRow
from courses.reports.shared import SHARED_PER_PAGE, shared_reflections_page

__all__ = [
    "QUIET_AFTER_DAYS",
    "REPORT_PAGE_SIZE",
    "SHARED_PER_PAGE",
    "GroupReport",
    "Member",
    "MemberProgress",
    "ReportRow",
    "group_report",
    "report_csv_lines",
    "report_filename",
    "shared_reflections_page",
]
