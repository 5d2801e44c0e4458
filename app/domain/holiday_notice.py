"""The State Council's yearly holiday notice, read (R-12.2).

国务院办公厅关于YYYY年部分节假日安排的通知 lists each holiday as one paragraph::

    二、春节：2月6日（农历除夕）至13日（农历正月初七）放假调休，共8天。2月14日（星期日）上班。

``parse_notice`` turns the pasted text into the days off and the worked weekends (调休上班);
``changes`` says which of them differ from the weekend-only default. Pure functions: no
database, no clock. Text that cannot be read is refused with a Chinese reason (DomainError),
never guessed at: a misread notice would move every deadline of the year.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from app.choices import CalendarDayKind
from app.domain.errors import DomainError

HOLIDAY_NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
_NAME = "|".join(HOLIDAY_NAMES)
#: a holiday paragraph's heading: "二、春节：" or "六、国庆节、中秋节：" (the number optional)
HEADING = re.compile(rf"(?:[一二三四五六七八九十]+\s*[、.．]\s*)?((?:{_NAME})(?:\s*[、和]\s*(?:{_NAME}))*)\s*[：:]")
TITLE_YEAR = re.compile(r"关于\s*(\d{4})\s*年\s*部分节假日安排")
#: a date as the notice writes it: 2月6日, 2027年2月6日; a range's end may omit the month
DATE = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
RANGE = re.compile(DATE + r"(?:\s*(?:至|到|—|－|-|~|～)\s*(?:(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*)?(\d{1,2})\s*日)?")
SINGLE = re.compile(DATE)
#: a date followed by its weekday in brackets: 2月14日（星期日）, 1月26日（周日）
WEEKDAY_NOTE = re.compile(DATE + r"\s*[（(][^）)]*?(?:星期|周)([一二三四五六日天])")
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
BRACKETS = re.compile(r"（[^）]*）|\([^)]*\)")
TOTAL = re.compile(r"共\s*(\d{1,2})\s*天")


@dataclass(frozen=True)
class DayChange:
    """One day of the notice against the weekend-only default."""

    day: dt.date
    kind: CalendarDayKind
    name: str

    @property
    def changes_default(self) -> bool:
        """A weekday off or a weekend worked: the notice changes what weekends-only says."""
        weekend = self.day.weekday() >= 5
        return weekend == (self.kind == CalendarDayKind.workday)


@dataclass
class HolidayNotice:
    """What a notice says for its year: every day off and every worked weekend, named."""

    year: int
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)

    def days(self) -> list[DayChange]:
        """Every day the notice names, in date order."""
        found = [DayChange(d, CalendarDayKind.holiday, n) for d, n in self.holidays.items()]
        found += [DayChange(d, CalendarDayKind.workday, n) for d, n in self.workdays.items()]
        return sorted(found, key=lambda change: change.day)

    def changes(self) -> list[DayChange]:
        """The days that differ from weekends only: what is saved as overrides."""
        return [change for change in self.days() if change.changes_default]


def _year_of(text: str, year: int | None) -> int:
    found = TITLE_YEAR.search(text)
    if found:
        stated = int(found.group(1))
        if year is not None and stated != year:
            raise DomainError(f"通知标题写的是{stated}年，与所选的{year}年不一致，未保存。")
        return stated
    if year is None:
        raise DomainError("未能读出年份：请粘贴含标题“国务院办公厅关于YYYY年部分节假日安排的通知”"
                          "的全文，或选择年份。")
    return year


def _date(year: int, y: str | None, m: str, d: str, where: str) -> dt.date:
    try:
        return dt.date(int(y) if y else year, int(m), int(d))
    except ValueError:
        raise DomainError(f"“{where}”中的日期{m}月{d}日不存在，请核对通知原文。") from None


def _range(year: int, match: re.Match, where: str) -> list[dt.date]:
    y1, m1, d1, y2, m2, d2 = match.groups()
    start = _date(year, y1, m1, d1, where)
    if d2 is None:
        return [start]
    end = _date(int(y2) if y2 else start.year, None, m2 or str(start.month), d2, where)
    if end < start:
        raise DomainError(f"“{where}”的放假区间{start:%m月%d日}至{end:%m月%d日}首尾颠倒，"
                          "请核对通知原文。")
    if (end - start).days > 15:
        raise DomainError(f"“{where}”的放假区间超过15天，不像节假日安排，请核对通知原文。")
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _check_weekdays(year: int, sentence: str, where: str) -> None:
    """A weekday the notice states must be the date's weekday: catches a wrong year."""
    for y, m, d, weekday in WEEKDAY_NOTE.findall(sentence):
        day = _date(year, y or None, m, d, where)
        if day.weekday() != WEEKDAYS[weekday]:
            raise DomainError(f"“{where}”写{day.month}月{day.day}日是星期{weekday}，"
                              f"但{day.year}年{day.month}月{day.day}日不是：通知与年份不符，"
                              "未保存。")


def _read_paragraph(notice: HolidayNotice, name: str, body: str) -> None:
    found_off = False
    for sentence in re.split(r"[。；;\n]", body):
        if "放假" not in sentence and "上班" not in sentence:
            continue  # 鼓励……安排职工在除夕（2月9日）休息: advice, not the schedule
        _check_weekdays(notice.year, sentence, name)
        plain = BRACKETS.sub("", sentence)
        if "放假" in plain:
            head = plain.split("放假", 1)[0]
            days = [day for match in RANGE.finditer(head)
                    for day in _range(notice.year, match, name)]
            if not days:
                raise DomainError(f"“{name}”一段未能读出放假日期：“{sentence.strip()}”。")
            total = TOTAL.search(plain)
            if total and int(total.group(1)) != len(days):
                raise DomainError(f"“{name}”写共{total.group(1)}天，但读出的放假日期是"
                                  f"{len(days)}天，请核对通知原文。")
            for day in days:
                notice.holidays[day] = name
            found_off = True
        if "上班" in plain:
            head = plain.split("上班", 1)[0]
            days = [_date(notice.year, *match.groups(), name) for match in SINGLE.finditer(head)]
            if not days:
                raise DomainError(f"“{name}”一段未能读出调休上班的日期：“{sentence.strip()}”。")
            for day in days:
                notice.workdays[day] = f"{name}调休上班"
    if not found_off:
        raise DomainError(f"“{name}”一段未能读出放假日期，请粘贴通知原文。")


def parse_notice(text: str, year: int | None = None) -> HolidayNotice:
    """Read the notice's days off and worked weekends; DomainError (Chinese) when unreadable.

    ``year``: the year the supervisor chose; the notice's title, when pasted, must agree.
    """
    text = (text or "").replace("\u3000", " ")
    headings = list(HEADING.finditer(text))
    if not headings:
        raise DomainError("未能读出任何节假日安排：粘贴的文字中没有“元旦：”“春节：”等段落。"
                          "请粘贴国务院办公厅关于部分节假日安排的通知原文。")
    notice = HolidayNotice(_year_of(text, year))
    for here, following in zip(headings, headings[1:] + [None]):
        end = following.start() if following else len(text)
        name = re.sub(r"\s+", "", here.group(1))
        _read_paragraph(notice, name, text[here.end():end])
    both = sorted(set(notice.holidays) & set(notice.workdays))
    if both:
        raise DomainError(f"{both[0]:%m月%d日}在通知中既是放假日又是上班日，请核对通知原文。")
    stray = sorted(d for d in (*notice.holidays, *notice.workdays)
                   if abs(d.year - notice.year) > 1)
    if stray:
        raise DomainError(f"读出的日期{stray[0].isoformat()}不在{notice.year}年前后，"
                          "请核对通知原文。")
    return notice
