"""The division table and the resolver of what people type for a province, city or district."""

import pytest

from guanxi.parties import regions
from guanxi.parties.management.commands.cn_divisions_import import table_from_source
from guanxi.parties.regions import CITY, DISTRICT, PROVINCE


def names(match):
    return [d.name for d in match.divisions]


def codes(match):
    return [d.code for d in match.divisions]


def test_the_table_has_every_province_city_and_district():
    tbl = regions.table()
    levels = [d.level for d in tbl.by_code.values()]
    assert levels.count(PROVINCE) == 31  # Hong Kong, Macau and Taiwan are countries of their own here
    assert 330 < levels.count(CITY) < 400
    assert 2700 < levels.count(DISTRICT) < 2900
    assert [d.name for d in regions.children()][:3] == ["北京市", "天津市", "河北省"]
    assert "深圳市" in [d.name for d in regions.children("440000")]
    assert "南山区" in [d.name for d in regions.children("440300")]
    assert regions.children("999999") == [] and regions.children("440305") == []


def test_municipalities_have_one_city_named_like_them():
    for province, name in (
        ("110000", "北京市"),
        ("120000", "天津市"),
        ("310000", "上海市"),
        ("500000", "重庆市"),
    ):
        (city,) = regions.children(province)
        assert (city.code, city.name) == (province[:2] + "0100", name)
    chongqing = [d.name for d in regions.children("500100")]
    assert "渝中区" in chongqing and "城口县" in chongqing  # its counties (code 5002xx) too
    assert regions.get("500200").code == "500100"  # the raw code of 重庆's 县 level
    assert regions.table().path(regions.get("110105")) == "北京市朝阳区"


def test_county_level_cities_under_a_province_are_its_cities():
    hubei = [d.name for d in regions.children("420000")]
    assert {"仙桃市", "潜江市", "天门市", "神农架林区"} <= set(hubei)
    assert "省直辖县级行政区划" not in hubei
    assert regions.children("429004") == []
    assert regions.get("441900").name == "东莞市" and regions.children("441900") == []  # no districts


def test_development_zones_are_not_divisions():
    assert regions.get("320576") is None  # 苏州工业园区: a statistical unit, not in GB/T 2260
    assert regions.get("320505").name == "虎丘区"


@pytest.mark.parametrize(
    "typed, level, expected",
    [
        ("广东", PROVINCE, ["440000"]),
        ("广东省", PROVINCE, ["440000"]),
        ("guangdong", PROVINCE, ["440000"]),
        ("Guangdong Province", PROVINCE, ["440000"]),
        ("GUANGDONG", PROVINCE, ["440000"]),
        ("ｇｕａｎｇｄｏｎｇ", PROVINCE, ["440000"]),  # full-width
        ("廣東省", PROVINCE, ["440000"]),  # traditional characters, through their pinyin
        (" 广 东 ", PROVINCE, ["440000"]),
        ("440000", PROVINCE, ["440000"]),
        ("广西", PROVINCE, ["450000"]),
        ("Inner Mongolia Autonomous Region", PROVINCE, ["150000"]),
        ("shaanxi", PROVINCE, ["610000"]),
        ("shanxi", PROVINCE, ["140000", "610000"]),  # 山西 and 陕西: both, never a guess
        ("深圳", CITY, ["440300"]),
        ("深圳市", CITY, ["440300"]),
        ("shenzhen", CITY, ["440300"]),
        ("Shenzhen City", CITY, ["440300"]),
        ("北京", CITY, ["110100"]),
        ("xi'an", CITY, ["610100"]),
        ("chaoyang", CITY, ["211300"]),  # 朝阳 reads chao here, not zhao
        ("恩施", CITY, ["422800"]),  # 恩施土家族苗族自治州
        ("suzhou", CITY, ["320500", "341300"]),  # 苏州 and 宿州
        ("朝阳区", DISTRICT, ["110105", "220104"]),
        ("深圳", PROVINCE, []),
        ("火星", PROVINCE, []),
        ("", PROVINCE, []),
        ("440300", PROVINCE, []),  # a city's code is not a province
    ],
)
def test_resolve(typed, level, expected):
    assert codes(regions.resolve(typed, level)) == expected


def test_resolve_within_a_parent():
    assert names(regions.resolve("朝阳区", DISTRICT, {"110000"})) == ["朝阳区"]
    assert codes(regions.resolve("朝阳区", DISTRICT, {"220100"})) == ["220104"]
    assert codes(regions.resolve("nanshan", DISTRICT, {"440300"})) == ["440305"]
    assert codes(regions.resolve("suzhou", CITY, {"320000"})) == ["320500"]
    assert codes(regions.resolve("市辖区", CITY, {"310000"})) == ["310100"]
    assert codes(regions.resolve("深圳", CITY, {"110000"})) == []


def test_initials_only_when_asked_and_never_a_guess():
    assert codes(regions.resolve("gd", PROVINCE)) == []
    assert codes(regions.resolve("gd", PROVINCE, initials=True)) == ["440000"]
    assert codes(regions.resolve("hb", PROVINCE, initials=True)) == ["130000", "420000"]  # 河北, 湖北
    assert codes(regions.resolve("guangdong", PROVINCE, initials=True)) == ["440000"]  # a name first


@pytest.mark.parametrize(
    "typed, country",
    [
        ("香港", "HK"),
        ("香港特别行政区", "HK"),
        ("Hong Kong SAR", "HK"),
        ("澳门", "MO"),
        ("Macao", "MO"),
        ("台湾省", "TW"),
    ],
)
def test_places_outside_the_table(typed, country):
    assert regions.outside_country(typed) == country
    assert regions.resolve(typed, PROVINCE).divisions == []


@pytest.mark.parametrize(
    "name, short",
    [
        ("广东省", "广东"),
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("恩施土家族苗族自治州", "恩施"),
        ("博尔塔拉蒙古自治州", "博尔塔拉"),
        ("互助土族自治县", "互助"),
        ("神农架林区", "神农架"),
        ("大兴安岭地区", "大兴安岭"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("城区", "城区"),  # too short to lose its ending
    ],
)
def test_short_names(name, short):
    assert regions.short_name(name) == short


def test_latin_labels():
    assert regions.get("440000").latin == "Guangdong"
    assert regions.get("610000").latin == "Shaanxi"
    assert regions.get("140000").latin == "Shanxi"


def test_locate_fills_the_levels_above():
    place = regions.locate(district_code="440305")
    assert place.fields() == {
        "province_code": "440000",
        "province": "广东省",
        "city_code": "440300",
        "city": "深圳市",
        "district_code": "440305",
        "district": "南山区",
    }
    assert regions.locate().fields()["province_code"] == ""


def test_the_table_is_built_from_the_source_package_format():
    tree = [
        {
            "code": "44",
            "name": "广东省",
            "children": [
                {
                    "code": "4403",
                    "name": "深圳市",
                    "children": [
                        {"code": "440305", "name": "南山区"},
                        {"code": "440371", "name": "某开发区"},  # 71-79: a statistical unit
                    ],
                },
                {"code": "4419", "name": "东莞市", "children": [{"code": "441900003", "name": "东城街道"}]},
            ],
        }
    ]
    assert table_from_source(tree) == {
        "440000": "广东省",
        "440300": "深圳市",
        "440305": "南山区",
        "441900": "东莞市",
    }


def test_the_import_command_rebuilds_the_shipped_file(tmp_path):
    """Round trip: the shipped rows, nested as the package nests them, give the same file back."""
    import json

    from django.core.management import CommandError, call_command

    shipped = json.loads(regions.DATA_FILE.read_text(encoding="utf-8"))
    tree: dict[str, dict] = {}
    for code, name in shipped["divisions"].items():
        if code.endswith("0000"):
            tree[code[:2]] = {"code": code[:2], "name": name, "children": {}}
        elif code.endswith("00"):
            tree[code[:2]]["children"][code[:4]] = {"code": code[:4], "name": name, "children": []}
        else:
            tree[code[:2]]["children"][code[:4]]["children"].append({"code": code, "name": name})
    nested = [{**p, "children": list(p["children"].values())} for p in tree.values()]
    source, output = tmp_path / "pca-code.json", tmp_path / "out.json"
    source.write_text(json.dumps(nested, ensure_ascii=False), encoding="utf-8")
    call_command(
        "cn_divisions_import", str(source), package_version="2.7.0", as_of="2023-06-30", output=str(output)
    )
    assert output.read_text(encoding="utf-8") == regions.DATA_FILE.read_text(encoding="utf-8")
    source.write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("cn_divisions_import", str(source), package_version="x", as_of="x", output=str(output))
