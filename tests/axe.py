"""axe-core in the browser tests (issue 19, R-20.1): the bundled engine, run on a page.

``tests/assets/axe-core/axe.min.js`` (axe-core 4.14.1, MPL-2.0, see its README) is a
test-only asset: installed into a Playwright context as an init script (which the pages'
Content-Security-Policy does not apply to), never served by the app, never downloaded.
``serious_violations`` runs every rule axe-core has (WCAG 2.0/2.1 A and AA and its best
practices) and keeps the results of impact critical or serious: what the UI must not have.
"""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "assets" / "axe-core" / "axe.min.js"
FAILING = ("critical", "serious")

_RUN = """async (failing) => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.filter(v => failing.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + '  ' + n.html.slice(0, 160) +
      '  ' + ((n.any[0] || n.all[0] || n.none[0] || {}).message || '')),
    count: v.nodes.length}));
}"""


def install(context) -> None:
    """Load axe-core into every page ``context`` opens (before the page's own scripts)."""
    context.add_init_script(path=str(AXE))


#: two animation frames: app/static/js/a11y.js names what the page's scripts add late (a
#: lookup's answer, a re-rendered Select2) on the frame after the change
_SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def serious_violations(page) -> list[dict]:
    """The critical and serious axe-core violations of the page ``page`` shows, once its
    requests have ended and a11y.js has named what they added. A page found wanting is
    looked at once more a second later, and what is still there counts: a transition or a
    script still at work on a loaded machine is not a violation, a missing name stays one."""
    page.wait_for_load_state("networkidle")
    page.evaluate(_SETTLED)
    found = page.evaluate(_RUN, list(FAILING))
    if found:
        page.wait_for_timeout(1000)
        page.evaluate(_SETTLED)
        found = page.evaluate(_RUN, list(FAILING))
    return found


def report(found: dict[str, list[dict]]) -> str:
    """The violations by page, readable in a failed assertion."""
    lines = []
    for url, violations in found.items():
        for v in violations:
            lines.append(f"{url}: {v['impact']} {v['id']} ×{v['count']} ({v['help']})")
            lines += [f"      {node}" for node in v["nodes"]]
    return f"{len(lines)} lines of violations:\n" + "\n".join(lines)
