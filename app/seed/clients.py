"""Demo clients: 20 construction units and their 40 projects in Jiangcheng (R-1.1, R-4.1, R-4.3).

Credit codes follow GB 32100 (registration authority, kind, division 441702, a GB 11714
organisation code with its own check digit, then the GB 32100 check character); project
codes follow the demo pattern of reference-data.md (2026-441702-70-03-0xxxxx).
"""
from __future__ import annotations

import decimal
import random

from sqlalchemy.orm import Session

from app.choices import (
    ConstructionKind,
    FundSource,
    InvestmentKind,
    KeyProjectLevel,
    LandNature,
    UnitNature,
)
from app.domain.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
from app.models import Project, Town, Unit
from app.seed.reference import DISTRICT_CODE

FIRST_UNIT = "阳江市江城区城市建设投资集团有限公司"
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "158", "159", "180", "188", "189",
                   "199")

E, G, I, A = UnitNature.enterprise, UnitNature.government, UnitNature.institution, \
    UnitNature.association
# GB 32100 registration authority + kind per unit nature (9 1 = 工商/企业, 1 1 = 机构编制/机关,
# 1 2 = 机构编制/事业单位, 5 1 = 民政/社会团体).
AUTHORITY = {E: "91", G: "11", I: "12", A: "51"}

# (name, nature, address, leader, leader title, handler, handler title, e-mail)
UNITS: tuple[tuple[str, UnitNature, str, str, str, str, str, str], ...] = (
    (FIRST_UNIT, E, "阳江市江城区东风三路38号", "梁国栋", "董事长", "陈嘉欣", "工程部主管",
     "jcct_gcb@163.com"),
    ("阳江市江城区教育局", G, "阳江市江城区新江北路168号", "黄志明", "局长", "林晓峰", "计划财务股股长",
     "jcjyj_jjb@126.com"),
    ("阳江市江城区人民医院", I, "阳江市江城区东山路6号", "冯伟", "院长", "谭丽娟", "基建科科长",
     "jcrmyy_jjk@163.com"),
    ("阳江市鸿江房地产开发有限公司", E, "阳江市江城区金山路92号鸿江大厦", "关永强", "总经理", "何静",
     "报建专员", "hongjiang_bj@163.com"),
    ("阳江市漠阳置业有限公司", E, "阳江市江城区漠阳路231号", "叶志坚", "董事长", "吴晓彤", "报建经理",
     "moyang_zy@126.com"),
    ("阳江市金刃五金制品有限公司", E, "阳江市江城区埠场镇工业园金刃路8号", "许锦雄", "总经理", "莫家明",
     "行政经理", "jinren_hw@163.com"),
    ("阳江市海陵湾物流有限公司", E, "阳江市江城区双捷镇物流园1号", "严伟强", "总经理", "苏敏", "项目经理",
     "hlw_logistics@163.com"),
    ("阳江市南恩食品有限公司", E, "阳江市江城区南恩路36号", "林汉文", "董事长", "曾丽珍", "办公室主任",
     "nanen_food@126.com"),
    ("阳江市漠江水务有限公司", E, "阳江市江城区江湾路12号", "陈立新", "总经理", "梁伟豪", "工程部经理",
     "mojiang_sw@163.com"),
    ("阳江市鸿业新材料科技有限公司", E, "阳江市江城区平冈镇平冈工业区鸿业路3号", "王建华", "总经理",
     "李婉清", "项目专员", "hongye_nm@163.com"),
    ("阳江市碧海湾文旅发展有限公司", E, "阳江市江城区闸坡镇海滨路88号", "郭俊豪", "董事长", "杨晓燕",
     "开发部经理", "bhw_wenlv@163.com"),
    ("阳江市江城区城东街道办事处", G, "阳江市江城区城东街道东华路16号", "刘振宇", "主任", "陈志伟",
     "规划建设办主任", "jcqcdjd@126.com"),
    ("阳江市恒达建材有限公司", E, "阳江市江城区岗列街道对岸工业区", "钟永华", "总经理", "何丽娟",
     "行政主管", "hengda_jc@163.com"),
    ("阳江市金海湾酒店管理有限公司", E, "阳江市江城区江城二路116号", "邱国伟", "总经理", "黄美玲",
     "工程总监", "jhw_hotel@163.com"),
    ("阳江市顺安汽车销售服务有限公司", E, "阳江市江城区城西街道阳江大道西288号", "卢志明", "总经理",
     "彭晓东", "行政经理", "shunan_auto@126.com"),
    ("阳江市江城区城市更新发展有限公司", E, "阳江市江城区中洲街道中洲路58号", "杜文辉", "总经理", "欧阳婷",
     "前期部经理", "jc_gengxin@163.com"),
    ("阳江市百利达电子科技有限公司", E, "阳江市江城区白沙街道科技园6号", "沈家明", "总经理", "谢雨欣",
     "基建专员", "bailida_et@163.com"),
    ("阳江市锦绣华庭置业有限公司", E, "阳江市江城区城北街道北环路99号", "彭泽林", "董事长", "袁静怡",
     "报建主管", "jxht_zy@126.com"),
    ("阳江市江城区商会", A, "阳江市江城区东风四路20号", "吴锦荣", "会长", "区慧敏", "秘书长",
     "jcsh_office@126.com"),
    ("阳江市江城区职业技术学校", I, "阳江市江城区白沙街道学府路2号", "潘振华", "校长", "黎志刚",
     "总务处主任", "jczyjsxx@126.com"),
)

GOV, SOC = InvestmentKind.government, InvestmentKind.social
NEW, REBUILD, EXPAND = ConstructionKind.new, ConstructionKind.rebuild, ConstructionKind.expansion
FG, FP, FH, FF, FO = (FundSource.government, FundSource.private, FundSource.hmt,
                      FundSource.foreign, FundSource.other)
LA, LT, LC, LO = LandNature.allocated, LandNature.transferred, LandNature.collective, LandNature.own
KP, KM, KD, KT = (KeyProjectLevel.provincial, KeyProjectLevel.municipal, KeyProjectLevel.district,
                  KeyProjectLevel.town)
# Art.2 exclusions: the project is ineligible.
SPECIAL, MAJOR = "special", "major"

# (unit index, name, town suffix, construction, investment, 万元, m² or None, fund, land, key
# level, exclusion)
PROJECTS: tuple[tuple, ...] = (
    (0, "江城区东部新城市政道路工程（一期）", "006", NEW, GOV, 28600, None, FG, LA, KM, None),
    (0, "江城区城市综合管廊试点工程", "001", NEW, GOV, 15800, None, FG, LA, KD, None),
    (0, "江城区人才公寓建设项目", "003", NEW, GOV, 42000, 86000, FG, LA, KM, None),
    (1, "江城区第十五小学新建工程", "002", NEW, GOV, 12600, 24500, FG, LA, KD, None),
    (1, "江城区实验中学教学综合楼扩建工程", "009", EXPAND, GOV, 6800, 15600, FG, LA, KD, None),
    (1, "城北街道公办幼儿园建设项目", "003", NEW, GOV, 2900, 6200, FG, LA, KT, None),
    (2, "江城区人民医院住院综合大楼建设项目", "001", NEW, GOV, 36500, 58000, FG, LA, KM, None),
    (2, "江城区人民医院门诊楼改造工程", "001", REBUILD, GOV, 3200, 11000, FG, LA, KD, None),
    (8, "城北污水处理厂提标改造工程", "003", REBUILD, GOV, 9800, 4200, FG, LA, KD, None),
    (8, "埠场镇供水管网延伸工程", "102", EXPAND, GOV, 4600, None, FG, LA, KT, None),
    (11, "城东街道老旧小区改造工程", "006", REBUILD, GOV, 3500, None, FG, LA, KT, None),
    (15, "中洲街道城中村改造安置房项目", "004", NEW, GOV, 52000, 132000, FG, LA, KM, None),
    (15, "南恩街道历史街区活化利用工程", "001", REBUILD, GOV, 8600, 18000, FG, LA, KD, None),
    (19, "江城区职业技术学校实训楼建设项目", "011", NEW, GOV, 5400, 12800, FG, LA, KD, None),
    (3, "鸿江·滨江华府住宅小区项目", "002", NEW, SOC, 68000, 165000, FP, LT, None, None),
    (3, "鸿江商业广场项目", "009", NEW, SOC, 45000, 98000, FP, LT, KD, None),
    (4, "漠阳·江湾壹号住宅项目", "003", NEW, SOC, 54000, 128000, FP, LT, None, None),
    (4, "漠阳置业城南商住楼项目", "002", NEW, SOC, 23000, 52000, FP, LT, None, None),
    (5, "金刃五金智能制造产业园（一期）", "102", NEW, SOC, 32000, 76000, FP, LT, KM, None),
    (5, "金刃五金表面处理车间扩建项目", "102", EXPAND, SOC, 4800, 9600, FP, LT, None, None),
    (6, "海陵湾冷链物流中心项目", "106", NEW, SOC, 26000, 48000, FH, LT, KD, None),
    (7, "南恩食品生产线技术改造项目", "001", REBUILD, SOC, 3600, 8500, FP, LO, None, None),
    (7, "南恩食品中央厨房建设项目", "008", NEW, SOC, 8800, 16400, FP, LT, KT, None),
    (9, "鸿业新材料年产5万吨高性能复合材料项目", "103", NEW, SOC, 58000, 62000, FF, LT, KP, None),
    (10, "闸坡碧海湾滨海度假酒店项目", "105", NEW, SOC, 72000, 86000, FH, LT, KM, None),
    (10, "闸坡渔港风情街改造项目", "105", REBUILD, SOC, 9600, 21000, FP, LC, KT, None),
    (12, "恒达新型环保建材生产基地项目", "008", NEW, SOC, 15600, 32000, FP, LT, None, None),
    (13, "金海湾酒店扩建工程", "009", EXPAND, SOC, 7800, 14500, FP, LT, None, None),
    (14, "顺安汽车4S店建设项目", "009", NEW, SOC, 4200, 8600, FP, LT, None, None),
    (16, "百利达电子智能终端生产基地项目", "011", NEW, SOC, 21000, 45000, FF, LT, KD, None),
    (16, "百利达研发中心大楼项目", "011", NEW, SOC, 9500, 18600, FF, LT, None, None),
    (17, "锦绣华庭住宅小区项目", "003", NEW, SOC, 39000, 92000, FP, LT, None, None),
    (18, "江城区商会大厦项目", "006", NEW, SOC, 12800, 26000, FO, LT, None, None),
    (3, "鸿江·江畔花园二期项目", "002", NEW, SOC, 31000, 74000, FP, LT, None, None),
    (9, "鸿业新材料仓储配套工程", "103", EXPAND, SOC, 3800, 7200, FF, LT, None, None),
    (6, "海陵湾物流园二期仓库扩建工程", "106", EXPAND, SOC, 5200, 12000, FH, LT, None, None),
    (13, "金海湾酒店停车楼建设项目", "009", NEW, SOC, 2600, 9800, FP, LT, None, None),
    (0, "阳江至阳春高速公路江城段连接线工程", "103", NEW, GOV, 186000, None, FG, LA, KP, MAJOR),
    (8, "漠阳江江城段堤防加固工程", "004", REBUILD, GOV, 24000, None, FG, LA, KM, MAJOR),
    (11, "城东街道应急抢险救灾临时安置点工程", "006", NEW, GOV, 1200, 3600, FG, LA, KT, SPECIAL),
)

# Stored text is Chinese data, not a UI label: do not depend on the active locale.
KIND_TEXT = {NEW: "新建", REBUILD: "改建", EXPAND: "扩建"}
STREETS = ("东风路", "新江北路", "金山路", "漠阳路", "江城二路", "二环路", "北环路", "阳江大道",
           "石湾路", "东门南路", "工业大道", "滨江路")


def credit_code(rng: random.Random, nature: UnitNature) -> str:
    """A valid 统一社会信用代码 for a unit registered in Jiangcheng (GB 32100)."""
    if nature == UnitNature.enterprise:
        body = "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY")
                              for _ in range(6))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    first17 = AUTHORITY[nature] + DISTRICT_CODE + body + organisation_check_char(body)
    return first17 + credit_code_check_char(first17)


def organisation_check_char(body: str) -> str:
    """The GB 11714 check character of an 8-character organisation code."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body, weights))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def mobile(rng: random.Random) -> str:
    """A plausible mainland mobile number."""
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))


def seed_units(session: Session, rng: random.Random) -> list[Unit]:
    """Add the 20 demo units (建设单位)."""
    units = []
    for name, nature, address, leader, leader_title, handler, handler_title, email in UNITS:
        unit = Unit(
            name=name, credit_code=credit_code(rng, nature), address=address, nature=nature,
            leader_name=leader, leader_title=leader_title, leader_phone=mobile(rng),
            handler_name=handler, handler_title=handler_title, handler_phone=mobile(rng),
            email=email,
        )
        session.add(unit)
        units.append(unit)
    return units


def seed_projects(session: Session, rng: random.Random, units: list[Unit],
                  towns: dict[str, Town]) -> list[Project]:
    """Add the 40 demo projects, each with a unique valid project code (R-4.3)."""
    serials = rng.sample(range(10000, 99999), len(PROJECTS))
    projects = []
    for row, serial in zip(PROJECTS, serials):
        unit_index, name, town_suffix, kind, investment_kind, investment, area, fund, land, \
            level, exclusion = row
        town = towns[DISTRICT_CODE + town_suffix]
        project = Project(
            unit=units[unit_index], name=name, town=town,
            address=f"阳江市江城区{town.name}{rng.choice(STREETS)}{rng.randint(1, 300)}号",
            project_code=f"2026-{DISTRICT_CODE}-70-03-0{serial}",
            total_investment=decimal.Decimal(investment), fund_source=fund,
            floor_area=decimal.Decimal(area) if area else None, land_nature=land, key_level=level,
            construction_kind=kind, investment_kind=investment_kind,
            is_special_project=exclusion == SPECIAL, is_major_infrastructure=exclusion == MAJOR,
            brief=_brief(name, town, kind, investment, area),
        )
        session.add(project)
        projects.append(project)
    return projects


def _brief(name: str, town: Town, kind: ConstructionKind, investment: int,
           area: int | None) -> str:
    size = f"，总建筑面积约{area:,}平方米" if area else ""
    return f"{name}位于江城区{town.name}，属{KIND_TEXT[kind]}项目，总投资约{investment:,}万元{size}。"
