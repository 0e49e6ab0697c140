"""YAML through libyaml when PyYAML has it (every PyPI wheel does): the pure-Python
parser costs ~0.1 s on the reference spec, a large share of a 0.5 s budget.

Every document is composed first and looked at before it is built: aliases that
would expand it beyond :data:`MAX_ALIAS_NODES` extra nodes (a 1 KB "billion
laughs" expands to 10**8), an alias that contains itself, nesting deeper than
:data:`MAX_DEPTH` and integers too long to convert are refused with a
:class:`YAMLLimitError` naming the line, before any memory is spent on them.
"""

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

#: How many nodes aliases may add to a document when expanded. Reusing a list or an
#: object a few times stays far below; an alias bomb does not.
MAX_ALIAS_NODES = 10_000
#: Nesting deeper than this is no hand-written spec or word list (a spec is ~8 deep).
MAX_DEPTH = 100
#: Longer integers are refused (Python refuses to convert more than 4300 digits).
MAX_INT_DIGITS = 100

_INT_TAG = "tag:yaml.org,2002:int"


class YAMLLimitError(yaml.YAMLError):
    """A document refused before it is built. ``problem`` is the Chinese reason and
    ``problem_mark`` the place (0-based line and column), as PyYAML's own errors."""

    def __init__(self, problem: str, mark):
        self.problem = problem
        self.problem_mark = mark
        super().__init__(problem)

    def __str__(self) -> str:
        if self.problem_mark is None:
            return self.problem
        return f"第 {self.problem_mark.line + 1} 行：{self.problem}"


def load(text: str):
    """The data of one YAML document (None for an empty one)."""
    return compose_and_construct(text)[1]


def compose_and_construct(text: str):
    """(root node with line marks, plain data) from one parse."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        check_node_graph(node)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def check_node_graph(root: yaml.Node) -> None:
    """Refuse a composed document that would be too big or too deep once built.

    Aliases make the node graph a DAG (or a cycle); its expanded size is computed
    once per distinct node, so this walk is linear in the text, never in the
    expansion."""
    expanded: dict[int, int] = {}   # id(collection node) -> nodes in its expanded subtree
    height: dict[int, int] = {}     # id(collection node) -> levels below it, expanded
    entered: set[int] = set()       # the current path (entered, not finished)
    distinct = 0
    stack: list[tuple[yaml.Node, int, list | None]] = [(root, 1, None)]
    while stack:
        node, depth, kids = stack.pop()
        key = id(node)
        if kids is not None:  # all children measured: measure the node
            entered.discard(key)
            size, levels = 1, 0
            for c in kids:
                if isinstance(c, yaml.ScalarNode):
                    size += 1
                    levels = levels or 1
                else:
                    size += expanded[id(c)]
                    levels = max(levels, height[id(c)])
            expanded[key], height[key] = size, levels + 1
            if size - distinct > MAX_ALIAS_NODES:
                raise YAMLLimitError(f"别名（*名称）展开后超过 {MAX_ALIAS_NODES} 个节点，拒绝读取（疑为“别名炸弹”）",
                                     node.start_mark)
            if levels + depth > MAX_DEPTH:
                raise YAMLLimitError(f"嵌套超过 {MAX_DEPTH} 层（别名展开后），拒绝读取", node.start_mark)
            continue
        if isinstance(node, yaml.ScalarNode):
            distinct += 1
            if node.tag == _INT_TAG and len(node.value) > MAX_INT_DIGITS and \
                    sum(ch.isdigit() for ch in node.value) > MAX_INT_DIGITS:
                raise YAMLLimitError(f"整数位数过多（超过 {MAX_INT_DIGITS} 位）", node.start_mark)
            continue
        if key in expanded:
            continue  # a node met again through an alias: already measured
        if key in entered:
            raise YAMLLimitError("别名（*名称）引用了包含它自己的内容（循环引用），拒绝读取", node.start_mark)
        if depth > MAX_DEPTH:
            raise YAMLLimitError(f"嵌套超过 {MAX_DEPTH} 层，拒绝读取", node.start_mark)
        distinct += 1
        entered.add(key)
        kids = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        stack.append((node, depth, kids))
        for c in kids:
            if isinstance(c, yaml.ScalarNode) and c.tag != _INT_TAG:
                distinct += 1  # a plain scalar needs no visit (even through an alias it is one node)
            else:
                stack.append((c, depth + 1, None))


def load_data_file(path, what: str):
    """An organisation's (or the bundled) YAML data file — a kind file, a word list — read
    as a regular file of bounded size (never a FIFO or /dev/zero); malformed YAML is an
    InputError that names ``what`` it is, the file and the line."""
    from ._errors import InputError
    from ._safe_read import read_utf8

    text = read_utf8(path, what)
    try:
        return load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark is not None else ""
        raise InputError(f"{what} {path} {where}不是有效的 YAML", path=str(path), problems=[str(exc)]) from None
