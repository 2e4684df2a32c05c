"""Exports of a plan for the people in it: calendars, a spreadsheet and a board report.

Every exporter is a pure function of (scenario, plan) returning text or bytes, with a
separate `write_*` function that writes atomically.
"""

from .csv import csv_text, write_csv
from .html import html_report, write_html
from .ics import ics_calendars, write_ics
from .ics_update import CalendarUpdate, plan_update, write_update
from .view import ExportRefused, check_exportable

__all__ = [
    "CalendarUpdate",
    "ExportRefused",
    "check_exportable",
    "csv_text",
    "html_report",
    "ics_calendars",
    "plan_update",
    "write_csv",
    "write_html",
    "write_ics",
    "write_update",
]
