"""R-12.2: the State Council's holiday notice, read into days off and worked weekends.

The 2024, 2025 and 2026 notices (tests/data/holiday_notices/, the published texts) must give
the same working days as chinesecalendar, day by day.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from app.choices import CalendarDayKind
from app.domain.errors import DomainError
from app.domain.holiday_notice import parse_notice

D = dt.date.fromisoformat
NOTICES = Path(__file__).parent / "data" / "holiday_notices"


def notice_text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_real_notices_agree_with_chinesecalendar_day_by_day(year):
    """R-12.2: the parsed notice, applied to weekends-only, gives chinesecalendar's working
    days for every day of the year."""
    notice = parse_notice(notice_text(year))
    assert notice.year == year
    day, wrong = dt.date(year, 1, 1), []
    while day.year == year:
        working = day in notice.workdays or (day.weekday() < 5 and day not in notice.holidays)
        if working != chinese_calendar.is_workday(day):
            wrong.append(day)
        day += dt.timedelta(days=1)
    assert wrong == []


def test_2025_days_named_and_changes_against_weekends_only():
    """R-12.2: holidays carry their name; changes() holds only days that differ from
    weekends-only (a Saturday off does not change anything)."""
    notice = parse_notice(notice_text(2025))
    assert notice.holidays[D("2025-01-28")] == "春节"
    assert notice.holidays[D("2025-10-08")] == "国庆节、中秋节"
    assert notice.workdays[D("2025-09-28")] == "国庆节、中秋节调休上班"
    changed = {c.day: c.kind for c in notice.changes()}
    assert changed[D("2025-10-01")] == CalendarDayKind.holiday
    assert changed[D("2025-02-08")] == CalendarDayKind.workday  # a Saturday worked
    assert D("2025-05-31") not in changed  # a Saturday holiday: off anyway
    assert D("2025-05-31") in notice.holidays
    assert D("2024-02-09") not in parse_notice(notice_text(2024)).holidays  # 鼓励……除夕休息


def test_forms_of_the_sentences():
    """R-12.2: a single day 与周末连休, a range within a month, a range across months, several
    working days in one sentence; the year from the text or from the supervisor."""
    text = ("一、元旦：1月1日放假，与周末连休。\n"
            "二、春节：2月6日（农历除夕）至13日（农历正月初七）放假调休，共8天。2月14日（星期日）上班。\n"
            "四、劳动节：5月1日至5日放假调休，共5天。4月25日（星期日）、5月8日（星期六）上班。\n"
            "七、国庆节：9月29日至10月6日放假调休，共8天。9月26日（星期日）上班。")
    notice = parse_notice(text, 2027)
    assert notice.year == 2027
    assert D("2027-01-01") in notice.holidays
    assert [d for d in notice.holidays if d.month == 2] == [
        D("2027-02-06") + dt.timedelta(days=n) for n in range(8)]
    assert {D("2027-04-25"), D("2027-05-08"), D("2027-02-14")} <= set(notice.workdays)
    assert D("2027-09-30") in notice.holidays and D("2027-10-06") in notice.holidays
    assert D("2027-10-07") not in notice.holidays


@pytest.mark.parametrize("text, year, reason", [
    ("今年国庆放八天", 2027, "没有“元旦：”“春节：”等段落"),
    ("春节：2月6日至13日放假调休，共8天。", None, "未能读出年份"),
    ("国务院办公厅关于2027年部分节假日安排的通知\n春节：春节期间放假调休。", None,
     "未能读出放假日期"),
    ("春节：2月6日至13日放假调休，共9天。", 2027, "共9天"),
    ("春节：2月6日至13日放假调休，共8天。2月14日（星期六）上班。", 2027, "不是"),
    ("春节：2月30日放假。", 2027, "不存在"),
    ("春节：2月6日至13日放假调休，共8天。2月7日上班。", 2027, "既是放假日又是上班日"),
    ("春节：2月13日至6日放假。", 2027, "首尾颠倒"),
    ("国务院办公厅关于2026年部分节假日安排的通知\n元旦：1月1日放假。", 2027, "不一致"),
    ("春节：2月6日至13日放假调休，共8天。节后上班。", 2027, "调休上班的日期"),
])
def test_unreadable_text_is_refused_in_chinese(text, year, reason):
    """R-12.2: text the parser cannot read is refused with a Chinese reason, never guessed."""
    with pytest.raises(DomainError, match=reason):
        parse_notice(text, year)
