"""The approval-item catalogue of reference-data.md as data (R-1.4, R-6.5, R-6.6).

Promised limits are plausible Guangdong defaults, not verified for Jiangcheng: they are
shipped as editable catalogue rows marked ``limit_is_default`` and never used as constants
in code. Legal limits are filled only where reference-data.md gives a statutory anchor.
A material whose name starts with "?" is optional (required=False).

Scope rules (R-1.5) are data here too: items of one ``alternative_group`` exclude each other
(the first in catalogue order is a full delegation's default), and ``investment_kind``
names the one kind of investment an item applies to. ``PREREQUISITES`` (R-5.5) names, for
an item, the items decided before it is submitted, within or across stages.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.choices import InvestmentKind, Stage

DEFAULT_NOTE = "承诺时限为广东省常见默认值，待江城区核定后修改。"
INTERMEDIARY_NOTE = "中介技术服务，不纳入委托协办，由建设单位自主选择技术服务机构（第二条）。"


@dataclass(frozen=True)
class CatalogueEntry:
    """One catalogue row: stage, name, department, promised and legal days, materials."""

    stage: Stage
    name: str
    department: str
    promised_days: int
    materials: tuple[str, ...]
    legal_days: int | None = None
    legal_note: str | None = None
    is_intermediary: bool = False
    alternative_group: str | None = None
    investment_kind: InvestmentKind | None = None

    @property
    def description(self) -> str:
        """The text shown with the item: the legal anchor (if any) and where limits come from."""
        if self.is_intermediary:
            return INTERMEDIARY_NOTE
        parts = [f"法定时限：{self.legal_note}。"] if self.legal_note else []
        parts.append(DEFAULT_NOTE)
        return "".join(parts)


NDRC = "区发展和改革局"
LAND = "市自然资源局江城分局"
ECO = "市生态环境局江城分局"
HOUSING = "区住房和城乡建设局"
WATER = "区农业农村和水利局"
CIVIL_DEFENCE = "区人民防空办公室"
URBAN = "区城市管理和综合执法局"
WEATHER = "区气象局"
ARCHIVE = "区城建档案馆"

GOV = InvestmentKind.government
SOCIAL = InvestmentKind.social
FILING = "立项方式"   # 企业投资项目 备案 or 核准 (企业投资项目核准和备案管理条例)
EIA = "环评文件"      # 环评 报告书, 报告表 or 登记表 (环境影响评价法 Art.16)

CATALOGUE: tuple[CatalogueEntry, ...] = (
    CatalogueEntry(Stage.s1, "企业投资项目备案", NDRC, 1, (
        "企业投资项目备案申请表", "企业营业执照（统一社会信用代码证书）", "项目基本情况说明"),
        alternative_group=FILING, investment_kind=SOCIAL),
    CatalogueEntry(Stage.s1, "企业投资项目核准", NDRC, 10, (
        "项目申请报告", "用地预审与选址意见书", "?城乡规划主管部门出具的选址意见书（划拨用地项目）",
        "项目单位营业执照"),
        legal_days=20, legal_note="20个工作日，可延长10个工作日（企业投资项目核准和备案管理条例）",
        alternative_group=FILING, investment_kind=SOCIAL),
    CatalogueEntry(Stage.s1, "政府投资项目建议书审批", NDRC, 5, (
        "项目建议书审批申请文件", "项目建议书", "项目资金来源说明"), investment_kind=GOV),
    CatalogueEntry(Stage.s1, "可行性研究报告审批", NDRC, 10, (
        "可行性研究报告审批申请文件", "可行性研究报告", "项目建议书批复文件",
        "用地预审与选址意见书", "社会稳定风险评估报告"), investment_kind=GOV),
    CatalogueEntry(Stage.s1, "初步设计及概算审批", NDRC, 10, (
        "初步设计及概算审批申请文件", "初步设计文件及概算书", "可行性研究报告批复文件",
        "?专家评审意见"), investment_kind=GOV),
    CatalogueEntry(Stage.s1, "节能审查", NDRC, 10, (
        "节能审查申请文件", "节能报告", "项目备案（核准、审批）文件")),
    CatalogueEntry(Stage.s1, "用地预审与选址意见书", LAND, 10, (
        "建设项目用地预审与选址申请表", "建设项目用地预审与选址申请报告", "拟选址位置图（勘测定界图）",
        "项目建议书批复或备案文件")),
    CatalogueEntry(Stage.s1, "建设用地规划许可证", LAND, 5, (
        "建设用地规划许可申请表", "国有土地使用权出让合同或划拨决定书", "建设项目批准、核准或备案文件",
        "宗地图")),
    CatalogueEntry(Stage.s1, "环境影响报告书审批", ECO, 15, (
        "环境影响报告书审批申请", "环境影响报告书（报批稿）", "公众参与说明", "技术评估意见"),
        legal_days=60, legal_note="自收到报告书之日起60日内（环境影响评价法第二十二条）",
        alternative_group=EIA),
    CatalogueEntry(Stage.s1, "环境影响报告表审批", ECO, 7, (
        "环境影响报告表审批申请", "环境影响报告表（报批稿）", "建设单位承诺书"),
        legal_days=30, legal_note="自收到报告表之日起30日内（环境影响评价法第二十二条）",
        alternative_group=EIA),
    CatalogueEntry(Stage.s1, "环境影响登记表备案", ECO, 1, (
        "建设项目环境影响登记表", "?建设单位承诺书"), alternative_group=EIA),
    CatalogueEntry(Stage.s1, "水土保持方案审批", WATER, 10, (
        "水土保持方案审批申请", "水土保持方案报告书（报告表）", "技术评审意见")),
    CatalogueEntry(Stage.s2, "建设工程设计方案审查", LAND, 10, (
        "建设工程设计方案审查申请表", "建设工程设计方案文本及图纸", "建设用地规划许可证",
        "规划设计条件")),
    CatalogueEntry(Stage.s2, "建设工程规划许可证", LAND, 5, (
        "建设工程规划许可申请表", "设计方案审查意见", "建设工程施工图（总平面图、建筑单体图）",
        "土地权属证明文件")),
    CatalogueEntry(Stage.s2, "防空地下室审批", CIVIL_DEFENCE, 5, (
        "防空地下室建设审批申请表", "人防工程设计图纸", "建设工程规划许可证")),
    CatalogueEntry(Stage.s2, "建筑垃圾处置核准", URBAN, 5, (
        "建筑垃圾处置核准申请表", "建筑垃圾处置方案", "运输单位及消纳场所证明")),
    CatalogueEntry(Stage.s3, "施工图联合审查", HOUSING, 15, (
        "施工图设计文件（含消防、人防、技防专篇）", "岩土工程勘察报告", "施工图审查申请表")),
    CatalogueEntry(Stage.s3, "特殊建设工程消防设计审查", HOUSING, 10, (
        "消防设计审查申请表", "消防设计文件", "依法需要办理的批准文件",
        "?特殊消防设计专家评审意见"),
        legal_days=15, legal_note="15个工作日（住房和城乡建设部令第51号）"),
    CatalogueEntry(Stage.s3, "雷电防护装置设计审核", WEATHER, 5, (
        "雷电防护装置设计审核申请书", "雷电防护装置设计说明书和设计图纸", "设计单位资质证明")),
    CatalogueEntry(Stage.s3, "建筑工程施工许可证核发", HOUSING, 3, (
        "建筑工程施工许可证申请表", "建设工程规划许可证", "施工合同及监理合同", "施工图审查合格书",
        "建设资金已落实承诺书"),
        legal_days=7, legal_note="7日内（建筑法、建筑工程施工许可管理办法）"),
    CatalogueEntry(Stage.s3, "占用、挖掘城市道路许可", URBAN, 5, (
        "占用挖掘城市道路申请表", "施工方案及交通疏导方案", "占用挖掘位置平面图")),
    CatalogueEntry(Stage.s3, "城镇污水排入排水管网许可", HOUSING, 5, (
        "城镇污水排入排水管网许可申请表", "排水管网平面图", "排水水质检测报告")),
    CatalogueEntry(Stage.s4, "规划条件核实", LAND, 5, (
        "规划条件核实申请表", "竣工测量报告", "建设工程规划许可证及附图")),
    CatalogueEntry(Stage.s4, "特殊建设工程消防验收", HOUSING, 10, (
        "消防验收申请表", "工程竣工验收报告", "涉及消防的建设工程竣工图纸")),
    CatalogueEntry(Stage.s4, "人防工程竣工验收备案", CIVIL_DEFENCE, 5, (
        "人防工程竣工验收备案表", "人防工程竣工验收报告", "人防工程竣工图")),
    CatalogueEntry(Stage.s4, "雷电防护装置竣工验收", WEATHER, 5, (
        "雷电防护装置竣工验收申请书", "雷电防护装置检测报告", "竣工图纸")),
    CatalogueEntry(Stage.s4, "城建档案验收", ARCHIVE, 5, (
        "建设工程档案验收申请表", "工程竣工档案（纸质及电子）", "竣工图")),
    CatalogueEntry(Stage.s4, "竣工联合验收", HOUSING, 10, (
        "竣工联合验收申请表", "工程竣工验收报告", "各专项验收资料", "工程质量检测报告")),
    CatalogueEntry(Stage.s4, "竣工验收备案", HOUSING, 1, (
        "竣工验收备案表", "工程竣工验收报告", "工程质量保修书",
        "?住宅质量保证书和住宅使用说明书（商品住宅）")),
    CatalogueEntry(Stage.parallel, "供水报装", "供水公司", 3, (
        "用水报装申请表", "给水设计图纸", "建设工程规划许可证")),
    CatalogueEntry(Stage.parallel, "供电报装", "供电局", 5, (
        "用电报装申请表", "用电负荷清单", "用电地址权属证明")),
    CatalogueEntry(Stage.parallel, "燃气报装", "燃气公司", 3, (
        "燃气报装申请表", "燃气管道设计图纸", "用气设备清单")),
    CatalogueEntry(Stage.parallel, "通信报装", "通信运营商", 5, (
        "通信报装申请表", "通信配套设施设计图纸")),
    # Intermediary technical services (中介服务): catalogued so that they can be named and
    # refused, never delegated.
    CatalogueEntry(Stage.s1, "环境影响评价文件编制", ECO, 20, (
        "环评委托合同", "项目基础资料"), is_intermediary=True),
    CatalogueEntry(Stage.s1, "测绘", LAND, 5, (
        "测绘委托合同", "宗地图或规划许可附图"), is_intermediary=True),
    CatalogueEntry(Stage.s2, "工程勘察", HOUSING, 15, (
        "勘察委托合同", "建设用地红线图"), is_intermediary=True),
    CatalogueEntry(Stage.s3, "施工图设计文件审查（审图机构）", HOUSING, 10, (
        "施工图设计文件", "岩土工程勘察报告", "审查委托合同"), is_intermediary=True),
)


# item → the items that must be decided before it is submitted. Each is a document
# the item's application requires (see the materials above) or a statutory order.
#: The statutory fees (规费) of an item (R-3.1): the only fees a 缴费通知书 may name.
STATUTORY_FEES: dict[str, tuple[str, ...]] = {
    "防空地下室审批": ("防空地下室易地建设费",),
    "水土保持方案审批": ("水土保持补偿费",),
    "占用、挖掘城市道路许可": ("城市道路挖掘修复费", "城市道路占用费"),
}

PREREQUISITES: dict[str, tuple[str, ...]] = {
    # 可研 needs the 建议书 reply, the 用地预审 opinion and (政府投资) the 节能审查 opinion
    "可行性研究报告审批": ("政府投资项目建议书审批", "用地预审与选址意见书", "节能审查"),
    "初步设计及概算审批": ("可行性研究报告审批",),
    # 核准 needs the 用地预审与选址 opinion (企业投资项目核准和备案管理条例 Art.7)
    "企业投资项目核准": ("用地预审与选址意见书",),
    "建设用地规划许可证": ("用地预审与选址意见书",),
    "建设工程设计方案审查": ("建设用地规划许可证",),
    "建设工程规划许可证": ("建设工程设计方案审查",),
    "施工图联合审查": ("初步设计及概算审批",),
    # 施工许可 needs the 规划许可证, the 施工图审查合格书 and the 消防设计审查 (建筑法 Art.8)
    "建筑工程施工许可证核发": ("施工图联合审查", "建设工程规划许可证", "特殊建设工程消防设计审查"),
    "特殊建设工程消防验收": ("特殊建设工程消防设计审查",),
    "雷电防护装置竣工验收": ("雷电防护装置设计审核",),
    "人防工程竣工验收备案": ("防空地下室审批",),
    # 竣工验收备案 files the joint acceptance with the 规划, 消防 and 档案 acceptances
    "竣工验收备案": ("竣工联合验收", "规划条件核实", "特殊建设工程消防验收", "城建档案验收"),
}


def material_rows(entry: CatalogueEntry) -> list[tuple[str, bool, str]]:
    """(name, required, copies) of an entry's checklist, in order."""
    rows = []
    for raw in entry.materials:
        required = not raw.startswith("?")
        name = raw.lstrip("?")
        rows.append((name, required, _copies(name)))
    return rows


def _copies(name: str) -> str:
    """A plausible 份数 for a material, from what kind of document it is."""
    if "图" in name:
        return "纸质1套及电子版"
    if any(word in name for word in ("执照", "证书", "合同", "决定书", "批复", "许可证")):
        return "复印件1份（核验原件）"
    return "原件1份"
