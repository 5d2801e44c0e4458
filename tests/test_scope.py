"""R-1.5: a full delegation is the items the project still needs, chosen with the clerk;
alternatives and investment-kind restrictions are catalogue data, refused together."""
from __future__ import annotations

import pytest

from app.choices import DelegationScope, InvestmentKind, Stage
from app.domain import intake, scope
from app.domain.errors import DomainError
from app.extensions import db
from app.states import PreReviewOutcome
from tests import factories as f

GOV, SOCIAL = InvestmentKind.government, InvestmentKind.social


def _catalogue():
    """A small catalogue with both kinds of rule, in catalogue order."""
    rows = [
        (Stage.s1, "企业投资项目备案", dict(alternative_group="立项方式", investment_kind=SOCIAL)),
        (Stage.s1, "企业投资项目核准", dict(alternative_group="立项方式", investment_kind=SOCIAL)),
        (Stage.s1, "政府投资项目建议书审批", dict(investment_kind=GOV)),
        (Stage.s1, "环境影响报告书审批", dict(alternative_group="环评文件")),
        (Stage.s1, "环境影响报告表审批", dict(alternative_group="环评文件")),
        (Stage.s2, "建设工程规划许可证", {}),
        (Stage.s3, "建筑工程施工许可证核发", {}),
        (Stage.s3, "施工图设计文件审查（审图机构）", dict(is_intermediary=True)),
        (Stage.parallel, "供水报装", {}),
    ]
    return {name: f.approval_item(stage, 5, name=name, sort_order=order, **kw)
            for order, (stage, name, kw) in enumerate(rows, start=1)}


def _review(**project):
    review = f.pre_review(f.project(**project))
    intake.decide_pre_review(review, PreReviewOutcome.eligible)
    return review


def _names(items):
    return [i.name for i in items]


def test_full_delegation_defaults_to_the_remaining_applicable_items(ctx):
    """R-1.5: the default is the applicable items of the project's remaining stages: one of
    each group of alternatives, none of the other investment kind, no intermediary service."""
    _catalogue()
    social = _review()
    assert _names(scope.default_items(db.session, social.project)) == [
        "企业投资项目备案", "环境影响报告书审批", "建设工程规划许可证", "建筑工程施工许可证核发",
        "供水报装"]
    government = _review(investment_kind=GOV)
    assert _names(scope.default_items(db.session, government.project)) == [
        "政府投资项目建议书审批", "环境影响报告书审批", "建设工程规划许可证",
        "建筑工程施工许可证核发", "供水报装"]
    later = _review(current_stage=Stage.s3)
    assert _names(scope.default_items(db.session, later.project)) == [
        "建筑工程施工许可证核发", "供水报装"]
    commission = intake.open_commission(db.session, later, scope=DelegationScope.full)
    assert sorted(i.approval_item.name for i in commission.items) == [
        "供水报装", "建筑工程施工许可证核发"]


def test_full_delegation_takes_the_items_the_clerk_chose(ctx):
    """R-1.5: 全部委托 delegates the clerk's selection, as 部分委托 does; never the catalogue."""
    items = _catalogue()
    review = _review()
    chosen = [items["企业投资项目核准"], items["环境影响报告表审批"], items["建设工程规划许可证"]]
    commission = intake.open_commission(db.session, review, scope=DelegationScope.full,
                                        items=chosen)
    assert commission.scope == DelegationScope.full
    assert sorted(i.approval_item.name for i in commission.items) == sorted(_names(chosen))


@pytest.mark.parametrize("delegation", list(DelegationScope))
def test_alternatives_are_refused_together_naming_them(ctx, delegation):
    """R-1.5: 备案 and 核准 (or 环评报告书 and 报告表) in one selection are refused, named."""
    items = _catalogue()
    review = _review()
    with pytest.raises(DomainError, match="企业投资项目备案、企业投资项目核准互相排斥"):
        intake.open_commission(db.session, review, scope=delegation,
                               items=[items["企业投资项目备案"], items["企业投资项目核准"]])
    with pytest.raises(DomainError, match="环境影响报告书审批、环境影响报告表审批"):
        intake.open_commission(db.session, review, scope=delegation,
                               items=[items["环境影响报告书审批"], items["环境影响报告表审批"]])


def test_items_of_the_other_investment_kind_are_refused(ctx):
    """R-1.5: a government-investment-only item is refused for a social-investment project
    (and 企业投资项目备案 for a government one), with the items and kinds named."""
    items = _catalogue()
    with pytest.raises(DomainError, match="政府投资项目建议书审批仅适用于政府投资项目，本项目为社会投资"):
        intake.open_commission(db.session, _review(), scope=DelegationScope.partial,
                               items=[items["政府投资项目建议书审批"]])
    with pytest.raises(DomainError, match="企业投资项目备案仅适用于社会投资项目"):
        intake.open_commission(db.session, _review(investment_kind=GOV),
                               scope=DelegationScope.full, items=[items["企业投资项目备案"]])


def test_intermediary_items_stay_refused_from_a_full_selection(ctx):
    """R-1.4, R-1.5: a chosen intermediary service is refused whatever the scope."""
    items = _catalogue()
    with pytest.raises(DomainError, match="施工图设计文件审查（审图机构）"):
        intake.open_commission(db.session, _review(), scope=DelegationScope.full,
                               items=[items["施工图设计文件审查（审图机构）"]])


def test_adding_an_item_to_an_open_commission_follows_the_same_rules(ctx):
    """R-1.5: an alternative of a delegated item, or an item of the other investment kind,
    cannot be added to an open commission; an applicable item can."""
    items = _catalogue()
    commission = intake.open_commission(db.session, _review(), scope=DelegationScope.partial,
                                        items=[items["企业投资项目备案"]])
    with pytest.raises(DomainError, match="互相排斥"):
        intake.check_add_item(db.session, commission, items["企业投资项目核准"])
    with pytest.raises(DomainError, match="仅适用于政府投资项目"):
        intake.check_add_item(db.session, commission, items["政府投资项目建议书审批"])
    f.add_item(commission, items["环境影响报告表审批"])  # the item screen's check passes
    with pytest.raises(DomainError, match="环境影响报告表审批、环境影响报告书审批"):
        intake.check_add_item(db.session, commission, items["环境影响报告书审批"])


def test_open_commission_form_opens_on_the_default_selection(app, client):
    """R-1.5: the open-commission step form preselects the project's default items; the
    clerk's deselection is what is delegated."""
    with app.app_context():
        items = _catalogue()
        review = _review(current_stage=Stage.s2)
        db.session.commit()
        review_id = review.id
        ids = {name: str(item.id) for name, item in items.items()}
    html = client.get(f"/workflow/pre_review/{review_id}/open_commission").get_data(as_text=True)
    selected = {name for name, pk in ids.items() if f'value="{pk}" selected' in html
                or f'selected value="{pk}"' in html}
    assert selected == {"建设工程规划许可证", "建筑工程施工许可证核发", "供水报装"}
    response = client.post(f"/workflow/pre_review/{review_id}/open_commission",
                           data={"scope": "full", "items": [ids["企业投资项目备案"],
                                                            ids["企业投资项目核准"]]})
    assert response.status_code == 200
    assert "互相排斥" in response.get_data(as_text=True)


def test_catalogue_screen_edits_the_scope_rules(app, client):
    """R-1.5: alternatives and the investment kind are edited on the catalogue screen."""
    with app.app_context():
        item = f.approval_item(Stage.s1, 5, name="环境影响登记表备案")
        db.session.commit()
        pk = item.id
    form = client.get(f"/approvalitemview/edit/{pk}").get_data(as_text=True)
    assert "alternative_group" in form and "investment_kind" in form
