"""YAML through libyaml when PyYAML has it (every PyPI wheel does): the pure-Python
parser costs ~0.1 s on the reference spec, a large share of a 0.5 s budget."""

from __future__ import annotations

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_Base):  # type: ignore[misc, valid-type]
    """Timestamps stay strings: the models parse dates themselves, so "2021-13-01" is a
    message naming the field rather than a crash inside the YAML parser."""


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def load(text: str):
    return yaml.load(text, Loader=SafeLoader)


def compose_and_construct(text: str):
    """(root node with line marks, plain data) from one parse."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        return node, data
    finally:
        loader.dispose()
