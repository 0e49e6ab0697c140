"""YAML through libyaml when PyYAML has it (every PyPI wheel does): the pure-Python
parser costs ~0.1 s on the reference spec, a large share of a 0.5 s budget."""

from __future__ import annotations

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
