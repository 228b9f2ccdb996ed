"""YAML reading for every file a user gives: safe, and with YAML 1.2 booleans.

PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes`` and ``no`` are booleans; the scenario
contract uses ``on:`` as a key, and a supplier called ``NO`` must stay a string. Only
``true`` and ``false`` are booleans here.
"""

from __future__ import annotations

import re
from typing import Any

import yaml


# libyaml's parser when PyYAML was built with it (Debian's and the wheels are): the same
# safe constructors, about ten times faster on the workflow and parameter files every command
# reads.
SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class StrictLoader(SafeBase):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2 booleans and no duplicate keys."""


StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    # Duplicates are looked for among the mapping's own keys; a merge key (<<) brings
    # defaults that the mapping's own keys may override.
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        try:
            duplicate = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key {key!r}", key_node.start_mark) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    loader.flatten_mapping(node)
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _construct_timestamp_as_text(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    return loader.construct_scalar(node)


# Dates and times stay text: they are validated (with their offset) where they are used.
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
