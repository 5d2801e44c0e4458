"""The app starts, migrates, and shows the commission list in Chinese."""


def test_commission_list_renders_in_chinese(client):
    response = client.get("/commissionview/list/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "申请编号" in html or "Application number" in html


def test_item_add_form_does_not_list_every_commission(client):
    """Large relations render only the current value and are searched through /lookup
    (commissions themselves are opened by the pre-review's step, not on a form)."""
    html = client.get("/commissionitemview/add").get_data(as_text=True)
    assert 'class="form-control xb-lookup"' in html
    assert client.get("/lookup/project?q=").get_json() == {"results": [], "more": False}
    assert client.get("/lookup/nosuch").status_code == 404
