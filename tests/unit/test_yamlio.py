import pytest
import yaml

from tenderflow import yamlio


def test_yaml12_booleans_and_text_times() -> None:
    data = yamlio.safe_load("on: CN-1\nyes: no\nflag: true\nat: 2023-03-01T09:00+08:00\n")
    assert data == {"on": "CN-1", "yes": "no", "flag": True, "at": "2023-03-01T09:00+08:00"}


def test_duplicate_keys_refused_but_merge_keys_may_be_overridden() -> None:
    with pytest.raises(yaml.YAMLError, match="duplicate key 'a'"):
        yamlio.safe_load("a: 1\nb: 2\na: 3\n")
    data = yamlio.safe_load("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert data["other"] == {"x": 1, "y": 3}


def test_no_python_objects() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlio.safe_load("!!python/object/apply:os.system ['true']")
