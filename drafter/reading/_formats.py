"""Excel's number formats and serial dates as openpyxl reads them, without importing
openpyxl (0.06 s of every ``check --facts``): the built-in format table, which formats
are dates or durations, and a serial number as the date, time or duration it stands
for. Tests compare each with openpyxl's own over many formats and serials.

One deliberate difference: the East-Asian built-in date formats (ids 27–36 and 50–58,
:data:`EAST_ASIAN_DATE_FORMATS`). Chinese Excel and WPS save a cell shown as
2024年6月30日 with ``numFmtId="31"`` and no definition of the format; openpyxl does not
know these ids and reads the cell as the number 45473. drafter reads it as the date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache

#: Built-in number formats by id, as openpyxl has them (ECMA-376 Part 1 §18.8.30, en-us).
BUILTIN_FORMATS: dict[int, str] = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)', 42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}

#: The built-in date and time formats of East-Asian Excel (ECMA-376 Part 1 §18.8.30,
#: zh-cn), which a file names by id only. Every East-Asian locale has dates and times
#: at these ids (the texts differ); 32–35, 55 and 56 are times of day.
EAST_ASIAN_DATE_FORMATS: dict[int, str] = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 29: 'm"月"d"日"', 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 35: '上午/下午h"时"mm"分"ss"秒"',
    36: 'yyyy"年"m"月"', 50: 'yyyy"年"m"月"', 51: 'm"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
    54: 'm"月"d"日"', 55: '上午/下午h"时"mm"分"', 56: '上午/下午h"时"mm"分"ss"秒"', 57: 'yyyy"年"m"月"',
    58: 'm"月"d"日"',
}

#: Custom formats are numbered from here; a lower id is a built-in one.
FIRST_CUSTOM_ID = 164

BUILTIN_IDS = {fmt: i for i, fmt in BUILTIN_FORMATS.items()}

WINDOWS_EPOCH = datetime(1899, 12, 30)
MAC_EPOCH = datetime(1904, 1, 1)

_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')  # literals, colours and locales
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


@lru_cache(maxsize=256)
def is_date_format(fmt: str | None) -> bool:
    """A format that shows a date or time (openpyxl's ``is_date_format``)."""
    if fmt is None:
        return False
    return _DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])) is not None


@lru_cache(maxsize=256)
def is_timedelta_format(fmt: str | None) -> bool:
    """A format that shows a duration, ``[h]:mm:ss`` (openpyxl's ``is_timedelta_format``)."""
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(value: float, epoch: datetime = WINDOWS_EPOCH, duration: bool = False) -> object:
    """A serial number as openpyxl's ``from_excel`` reads it: a duration for a
    duration format, a time of day below 1, else a datetime (in the 1900 calendar a
    serial below 60 counts Excel's phantom 1900-02-29)."""
    if duration:
        td = timedelta(days=value)
        if td.microseconds:  # to the millisecond
            td = timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + timedelta(days=day) + diff


_ISO = re.compile(r"""
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?""", re.VERBOSE)
_ISO_DURATION = re.compile(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def from_iso8601(text: str) -> object:
    """A ``t="d"`` cell's text as openpyxl's ``from_ISO8601`` reads it; ValueError for
    text it does not read."""
    if not text:
        return None
    m = _ISO.match(text)
    if m and any(m.groups()):
        parts = m.groupdict(0)
        for key in ("year", "month", "day", "hour", "minute", "second"):
            if parts[key]:
                parts[key] = int(parts[key])
        if parts["microsecond"]:
            parts["microsecond"] = int(float(parts["microsecond"]) * 1_000_000)
        if not parts["date"]:
            return time(parts["hour"], parts["minute"], parts["second"], parts["microsecond"])
        if not parts["time"]:
            return date(parts["year"], parts["month"], parts["day"])
        return datetime(parts["year"], parts["month"], parts["day"], parts["hour"], parts["minute"],
                        parts["second"], parts["microsecond"])
    m = _ISO_DURATION.match(text)
    if m and any(m.groups()):
        return timedelta(**{k: float(v) if v else 0 for k, v in m.groupdict(0).items()})
    raise ValueError(f"Invalid datetime value {text}")
