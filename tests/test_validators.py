"""Format checks of app/domain/validators.py: project code, credit code, phone, e-mail, masking.

The checks return ``None`` for an acceptable value and a (lazy) message otherwise; these
tests call them directly, without the app. Messages are compared in English (no locale is
active outside a request).
"""
from __future__ import annotations

import pytest

from app.domain.validators import (
    CREDIT_CODE_ALPHABET,
    check_credit_code,
    check_email,
    check_phone,
    check_project_code,
    credit_code_check_char,
    mask_phone,
)

FORMAT_MSG = "Project code must look like"
YEAR_MSG = "year is not plausible"
CREDIT_FORMAT_MSG = "has 18 digits or capital letters"
CREDIT_CHECK_MSG = "check character is wrong"


def _msg(result) -> str:
    assert result is not None, "the value was accepted"
    return str(result)


# --- national project code (R-4.3) ---------------------------------------------------------

@pytest.mark.parametrize("code", [
    "2026-441702-70-03-012345",     # demo code of reference-data.md
    "2019-440115-36-02-800166",
    "2000-441702-01-01-000000",     # first plausible year
    "2099-441702-99-99-999999",     # last plausible year
    "2019-440115-36-02-800166-001",  # engineering code (reference-data.md example)
    "2026-441702-70-03-012345-999",
])
def test_project_code_valid(code):
    """R-4.3: YYYY-XXXXXX-NN-NN-NNNNNN (24 characters), optionally -NNN."""
    assert check_project_code(code) is None


@pytest.mark.parametrize("code", [
    "2026_441702_70_03_012345",     # wrong separator
    "2026/441702/70/03/012345",
    "2026 441702 70 03 012345",
    "2026441702700301234",          # no separators at all
    "2026-441702-70-03-012345-",    # dangling separator
    "2026-441702-70-03-012345.001",
    "2026-441702-7003-012345",      # a separator missing
    "2026--441702-70-03-012345",
    " 2026-441702-70-03-012345",    # surrounding blanks are not stripped
    "2026-441702-70-03-012345 ",
])
def test_project_code_wrong_separators(code):
    """R-4.3: the separators are hyphens in fixed places."""
    assert FORMAT_MSG in _msg(check_project_code(code))


@pytest.mark.parametrize("code", [
    "",
    "26-441702-70-03-012345",       # 2-digit year
    "2026-44170-70-03-012345",      # 5-digit division code
    "2026-4417022-70-03-012345",    # 7-digit division code
    "2026-441702-7-03-012345",
    "2026-441702-70-003-012345",
    "2026-441702-70-03-01234",      # 5 final digits
    "2026-441702-70-03-0123456",    # 7 final digits
    "2026-441702-70-03-012345-01",  # engineering suffix of 2 digits
    "2026-441702-70-03-012345-0001",
])
def test_project_code_wrong_lengths(code):
    """R-4.3: each group has its exact number of digits."""
    assert FORMAT_MSG in _msg(check_project_code(code))


@pytest.mark.parametrize("code", [
    "2026-44I702-70-03-012345",
    "2026-441702-AB-03-012345",
    "2026-441702-70-03-01234X",
    "YYYY-441702-70-03-012345",
    "2026-441702-70-03-012345-ABC",
])
def test_project_code_letters_refused(code):
    """R-4.3: digits only."""
    assert FORMAT_MSG in _msg(check_project_code(code))


def test_project_code_none_refused():
    assert FORMAT_MSG in _msg(check_project_code(None))


@pytest.mark.parametrize("code", [
    "0000-441702-70-03-012345",
    "1999-441702-70-03-012345",
    "2100-441702-70-03-012345",
    "9999-441702-70-03-012345-001",
])
def test_project_code_implausible_year(code):
    """R-4.3: the year must be plausible (2000–2099)."""
    assert YEAR_MSG in _msg(check_project_code(code))


def test_project_code_full_width_digits_refused():
    """R-4.3: a code typed with full-width digits (２０２６…) is not a national code."""
    assert check_project_code("２０２６-４４１７０２-７０-０３-０１２３４５") is not None


def test_project_code_trailing_newline_refused():
    """R-4.3: nothing may follow the code, not even a newline."""
    assert check_project_code("2026-441702-70-03-012345\n") is not None


# --- unified social credit code (GB 32100-2015) ---------------------------------------------

# Published codes of well-known organisations, plus the example of GB 32100 itself.
PUBLIC_CODES = [
    "91350100M000100Y43",   # the standard's own example
    "91440300708461136T",   # 深圳市腾讯计算机系统有限公司
    "914403001922038216",   # 华为技术有限公司
]


def _with_check_char(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


# Realistic codes for Jiangcheng (division 441702), completed with their check character.
COMPUTED_CODES = [
    _with_check_char("91441702MA4UABCD1"),
    _with_check_char("12441702007012345"),   # public institution (事业单位)
    _with_check_char("11441702MB2C00001"),   # organ (机关)
    _with_check_char("52441702MJL000012"),   # social organisation
    _with_check_char("92441702MA5000000"),   # individual business
]


@pytest.mark.parametrize("code", PUBLIC_CODES + COMPUTED_CODES)
def test_credit_code_valid(code):
    """统一社会信用代码: 18 characters with a correct check character are accepted."""
    assert check_credit_code(code) is None


def test_credit_code_check_char_matches_the_standard_example():
    """GB 32100-2015 example: 91350100M000100Y4 → 3."""
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_credit_code_lower_case_is_accepted():
    """The check is case-insensitive (the form may upper-case before saving)."""
    assert check_credit_code("91350100m000100y43") is None


@pytest.mark.parametrize("code", PUBLIC_CODES + COMPUTED_CODES)
def test_credit_code_every_wrong_check_char_refused(code):
    """Any other check character is refused, with the check-character message."""
    for ch in CREDIT_CODE_ALPHABET:
        if ch != code[-1]:
            assert CREDIT_CHECK_MSG in _msg(check_credit_code(code[:-1] + ch)), ch


def test_credit_code_single_typo_is_detected():
    """A changed character in the body breaks the check character (mod-31 check)."""
    code = "91350100M000100Y43"
    for pos in range(17):
        for ch in "0A":
            if code[pos] != ch:
                typo = code[:pos] + ch + code[pos + 1:]
                assert check_credit_code(typo) is not None, typo


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("position", [8, 12, 17])
def test_credit_code_forbidden_letters(letter, position):
    """GB 32100 does not use I, O, Z, S, V (anywhere, check character included)."""
    code = "91350100M000100Y43"
    bad = code[:position] + letter + code[position + 1:]
    assert CREDIT_FORMAT_MSG in _msg(check_credit_code(bad))


@pytest.mark.parametrize("code", [
    "",
    "91350100M000100Y4",       # 17 characters
    "91350100M000100Y433",     # 19 characters
    "91350100-M000100Y43",     # a separator
    " 91350100M000100Y43",
    "91350100M000100Y4３",      # full-width digit
    "913501001234567",        # an old 15-digit registration number
])
def test_credit_code_wrong_length_or_characters(code):
    """18 characters from the GB 32100 alphabet, nothing else."""
    assert CREDIT_FORMAT_MSG in _msg(check_credit_code(code))


def test_credit_code_none_refused():
    assert CREDIT_FORMAT_MSG in _msg(check_credit_code(None))


# --- phone ----------------------------------------------------------------------------------

@pytest.mark.parametrize("phone", [
    "13812341234",
    "15912345678",
    "19912345678",
    "138 1234 1234",        # spaces are ignored
    "0662-3312345",          # Yangjiang landline, 7 digits
    "06623312345",           # without hyphen
    "0662 3312345",
    "020-83331234",          # Guangzhou, 3-digit area code, 8 digits
    "0662-3312345-801",      # with extension
])
def test_phone_valid(phone):
    """A mobile number or a landline with its area code (Yangjiang 0662)."""
    assert check_phone(phone) is None


@pytest.mark.parametrize("phone", [
    "",
    "1381234123",            # 10 digits
    "138123412345",          # 12 digits
    "12812341234",           # no mobile prefix 12x
    "23812341234",
    "3312345",               # landline without area code
    "662-3312345",           # area code without the leading 0
    "0662-331234",           # 6-digit local number
    "0662-331234567",        # 9-digit local number
    "0662-33I2345",
    "138-1234-1234x",
    "tel:13812341234",
    "+86 138 1234 1234",     # international prefix not accepted
])
def test_phone_invalid(phone):
    """Anything else gets the phone message."""
    assert "11-digit mobile number" in _msg(check_phone(phone))


def test_phone_none_refused():
    assert check_phone(None) is not None


def test_phone_trailing_newline_refused():
    assert check_phone("13812341234\n") is not None


# --- e-mail ---------------------------------------------------------------------------------

@pytest.mark.parametrize("email", [
    "zhangsan@example.com",
    "zhang.san+xb@mail.yj.gov.cn",
    "ZS_01@163.com",
    "a-b@sub-domain.example.org",
])
def test_email_valid(email):
    assert check_email(email) is None


@pytest.mark.parametrize("email", [
    "",
    "zhangsan",
    "zhangsan@",
    "@example.com",
    "zhang san@example.com",
    "zhangsan@example",
    "zhangsan@example.c",
    "zhangsan@@example.com",
    "张三@example.com",
    "zhangsan@example.com ",
])
def test_email_invalid(email):
    assert "valid e-mail" in _msg(check_email(email))


def test_email_none_refused():
    assert check_email(None) is not None


def test_email_trailing_newline_refused():
    assert check_email("zhangsan@example.com\n") is not None


# --- masking (R-14.5) -----------------------------------------------------------------------

def test_mask_mobile():
    """R-14.5: 138****1234."""
    assert mask_phone("13812341234") == "138****1234"


@pytest.mark.parametrize("phone, masked", [
    ("0662-3312345", "********2345"),
    ("06623312345", "*******2345"),
    ("1234", "1234"),
])
def test_mask_other_numbers_keep_last_four(phone, masked):
    """R-14.5: other numbers show only their last four characters, length preserved."""
    assert mask_phone(phone) == masked


@pytest.mark.parametrize("value", [None, ""])
def test_mask_empty(value):
    assert mask_phone(value) == ""


@pytest.mark.parametrize("phone", ["13812341234", "0662-3312345", "020-83331234-801"])
def test_mask_hides_the_middle(phone):
    """R-14.5: the masked form never reveals the digits between prefix and last four."""
    masked = mask_phone(phone)
    assert len(masked) == len(phone)
    assert masked.endswith(phone[-4:])
    assert set(masked[3:-4]) == {"*"}
