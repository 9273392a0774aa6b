import pytest

from dockgen.detectors.node._semver import allowed_majors, exact_major

MAJORS = list(range(10, 30))


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (">=18", list(range(18, 30))),
        ("^20.9.0", [20]),
        ("18.x", [18]),
        ("20 || 22", [20, 22]),
        (">=18 <21", [18, 19, 20]),
        ("~20.1", [20]),
        ("*", MAJORS),
        (">= 20.9.0", list(range(20, 30))),
        ("16 - 20", [16, 17, 18, 19, 20]),
        ("<=22", list(range(10, 23))),
        (">20", list(range(21, 30))),
        (">20.1.0", list(range(20, 30))),
        ("<20", list(range(10, 20))),
        ("^22.0.0-rc.1", [22]),
        ("v20.x", [20]),
        ("=24", [24]),
    ],
)
def test_allowed_majors(spec: str, expected: list[int]) -> None:
    assert allowed_majors(spec, MAJORS) == expected


def test_caret_below_one() -> None:
    assert allowed_majors("^0.9", [0, 1]) == [0]


@pytest.mark.parametrize("spec", ["latest", ">=abc", "20.1.2.3"])
def test_unparseable_range_raises(spec: str) -> None:
    with pytest.raises(ValueError):
        allowed_majors(spec, MAJORS)


@pytest.mark.parametrize(
    ("text", "major"), [("22", 22), ("v22.1.0", 22), ("20.x", 20), ("lts/*", None), (">=20", None)]
)
def test_exact_major(text: str, major: int | None) -> None:
    assert exact_major(text) == major
