"""A list's paging, page-size and order links are built once per kind and request
(issue 16, item 3; app/views/list_links.py) and are FAB's addresses, character for
character, whatever the request's arguments."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.views import list_links
from tests.helpers import numbered_case

REQUESTS = [
    "/commissionview/list/",
    "/commissionview/list/?page_CommissionView=3",
    "/commissionview/list/?_oc_CommissionView=applied_on&_od_CommissionView=asc",
    "/commissionview/list/?_od_CommissionView=desc&_oc_CommissionView=state&psize_CommissionView=50",
    "/commissionview/list/?_flt_0_state=in_progress&_flt_0_state=terminated&page_CommissionView=2",
    "/commissionview/list/?_flt_2_project=%E6%B1%9F%E5%9F%8E+a%26b&q=%2F%3F",
    f"/commissionview/list/?_flt_3_application_no={list_links.MARK}",
]
VALUES = {"link_page": [0, 1, 12, "x y"], "link_page_size": [25, 100],
          "link_order": ["applied_on", "project.name", "state", "名 称"]}


@pytest.mark.parametrize("path", REQUESTS)
def test_links_are_fabs(app, ctx, path):
    fab = list_links._fab
    for view in ("CommissionView", "OtherView"):
        with app.test_request_context(path):
            app.preprocess_request()
            for name, values in VALUES.items():
                for value in values:
                    ours = list_links._OURS[name](value, view)
                    assert ours == fab[name](value, view), (name, value, view)


def test_the_list_page_uses_them(app, client, ctx):
    numbered_case("JCXB-2026-0001")
    db.session.commit()
    html = client.get("/commissionview/list/?_oc_CommissionView=state&_od_CommissionView=asc"
                      ).get_data(as_text=True)
    assert "_oc_CommissionView=state&amp;_od_CommissionView=desc" in html
    assert list_links.MARK not in html
