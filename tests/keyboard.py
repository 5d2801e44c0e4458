"""The keyboard alone in the browser tests (issue 19, R-20.1): Tab to a control, Enter,
typing, arrow keys; never a click. Each control reached must show that it has the focus.
"""
from __future__ import annotations

#: how many Tab presses a control may lie behind (the menu comes first)
MAX_TABS = 200

_FOCUSED = """(args) => {
  const [selector, text] = args;
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const target = el.matches(selector) ? el : null;
  if (!target) return false;
  return !text || target.textContent.includes(text);
}"""

_SELECT2_OF = """(name) => {
  const el = document.activeElement;
  const box = el && el.closest('.select2-container');
  const select = box && box.previousElementSibling;
  return !!select && select.name === name;
}"""

_SEARCHING = """() => document.activeElement.matches('.select2-search__field')"""

_FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
         || style.boxShadow !== 'none';
}"""


def _tab_until(page, check, arg, what: str) -> None:
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(check, arg):
            assert page.evaluate(_FOCUS_SHOWN), f"{what} has the focus but does not show it"
            return
    raise AssertionError(f"{what}: not reached with {MAX_TABS} Tab presses")


def tab_to(page, selector: str, text: str = "") -> None:
    """Press Tab until the focused element matches ``selector`` (and holds ``text``)."""
    _tab_until(page, _FOCUSED, [selector, text], f"{selector} {text}".strip())


def press_on(page, selector: str, text: str = "") -> None:
    """Tab to a link or button and press Enter; wait for the page it opens."""
    tab_to(page, selector, text)
    enter(page)


def enter(page) -> None:
    """Press Enter on what has the focus and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, name: str, text: str) -> None:
    """Tab to the field ``name`` and type ``text``."""
    tab_to(page, f"[name='{name}']")
    page.keyboard.type(text)


def choose(page, name: str, value: str) -> None:
    """Choose the option ``value`` of the select ``name``: in a Select2 box, Enter opens it,
    the option's text is typed into its search field (where it has one), the arrow keys
    move to it and Enter takes it; in a plain select the arrow keys move to it."""
    select = page.locator(f"select[name='{name}']")
    text = select.locator(f"option[value='{value}']").inner_text().strip()
    if "select2-hidden-accessible" in (select.get_attribute("class") or ""):
        _tab_until(page, _SELECT2_OF, name, f"the select {name}")
        page.keyboard.press("Enter")
        if page.evaluate(_SEARCHING):       # a box with a search field: type to find
            page.keyboard.type(text)
        highlighted = page.locator(".select2-results__option--highlighted")
        for _ in range(50):                 # then (or else) the arrow keys to the option
            highlighted.wait_for()
            if highlighted.inner_text().strip() == text:
                break
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
    else:
        tab_to(page, f"select[name='{name}']")
        for _ in range(50):
            if select.input_value() == value:
                break
            page.keyboard.press("ArrowDown")
    assert select.input_value() == value, (name, value, select.input_value())
