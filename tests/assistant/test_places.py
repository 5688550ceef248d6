"""Places of reports: a government's name split into its levels, the most specific last."""

import pytest

from assistant.places import english_name, place_units


@pytest.mark.parametrize(("place", "units"), [
    ("大同市云冈区", ["大同市", "云冈区"]),
    ("忻州市五台县", ["忻州市", "五台县"]),  # 州 ends a city's name; it is not a level
    ("长治市潞州区", ["长治市", "潞州区"]),
    ("阿坝藏族羌族自治州汶川县", ["阿坝藏族羌族自治州", "汶川县"]),
    ("山西省", ["山西省"]),
])
def test_a_place_splits_into_its_levels(place: str, units: list[str]) -> None:
    assert [u.name for u in place_units(place)] == units


@pytest.mark.parametrize(
    ("name", "english"),
    [("南乐县", "Nanle County"), ("云冈区", "Yungang District"), ("六安市", "Lu'an City"),
     ("乐亭县", "Laoting County"), ("县5", "县5")],
)
def test_a_place_has_an_english_name_read_as_the_place_is_read(name: str, english: str) -> None:
    assert english_name(name) == english
