"""Calculated query cost from the query AST (B3; the exact formula is UNCONFIRMED).

The formula the sandbox uses, documented in the README:
- scalar and enum fields cost 0; an object field costs 1 plus its selections;
- a connection (type name ending in `Connection`) costs 2 + n x (cost of one node), where n is
  `first`/`last` for the requested cost and the number of returned nodes for the actual cost;
  `pageInfo` and `cursor` are free; plain lists of objects cost like one object;
- a list read by ids (`nodes(ids:)`) costs one object per id requested, and per node returned
  (a missing id's null costs 1), so 250 ids are never priced like one (ADR 0420);
- fields under a type condition (`... on InventoryItem`) are priced on that type; an interface
  costs its shared fields plus the dearest of its type conditions;
- each mutation root field costs 10, whatever it selects.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
    value_from_ast_untyped,
)

MUTATION_COST = 10
CONNECTION_BASE = 2
_MISSING: Any = object()


class CostCalculator:
    """Computes requested (from arguments) and actual (from the result) cost of one operation."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self._schema = schema
        self._operation = operation
        self._fragments = fragments
        self._variables = variables

    def requested(self) -> int:
        """Cost charged before execution."""
        return self._root(_MISSING)

    def actual(self, data: dict[str, Any] | None) -> int:
        """Cost of what was returned."""
        return self._root(data if data is not None else {})

    def _root(self, data: Any) -> int:
        if self._operation.operation.value == "mutation":
            return MUTATION_COST * len(self._fields(self._operation.selection_set))
        root = self._schema.query_type
        assert root is not None
        return self._selections(self._operation.selection_set, root, data)

    def _fields(self, selection_set: SelectionSetNode | None) -> list[FieldNode]:
        fields: list[FieldNode] = []
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                fields.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                fields.extend(self._fields(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                fields.extend(self._fields(fragment.selection_set if fragment else None))
        return fields

    def _typed_fields(
        self, selection_set: SelectionSetNode | None, on: str | None = None
    ) -> dict[str | None, list[FieldNode]]:
        """The selected fields by the type condition they sit under (None: the parent's own)."""
        groups: dict[str | None, list[FieldNode]] = {}
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                groups.setdefault(on, []).append(selection)
                continue
            inner: SelectionSetNode | None = None
            condition = on
            if isinstance(selection, InlineFragmentNode):
                inner = selection.selection_set
                if selection.type_condition:
                    condition = selection.type_condition.name.value
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self._fragments.get(selection.name.value)
                if fragment is not None:
                    inner, condition = fragment.selection_set, fragment.type_condition.name.value
            for name, fields in self._typed_fields(inner, condition).items():
                groups.setdefault(name, []).extend(fields)
        return groups

    def _selections(self, selection_set: SelectionSetNode | None, parent: Any, data: Any) -> int:
        costs: dict[str | None, int] = {}
        for on, nodes in self._typed_fields(selection_set).items():
            owner = self._schema.get_type(on) if on else parent
            costs[on] = sum(self._priced(node, owner or parent, data) for node in nodes)
        shared = costs.pop(None, 0)
        return shared + max(costs.values(), default=0)

    def _priced(self, node: FieldNode, parent: Any, data: Any) -> int:
        key = node.alias.value if node.alias else node.name.value
        if data is not _MISSING and (not isinstance(data, dict) or key not in data):
            return 0  # a fragment on another type, or an errored field
        return self._field(node, parent, _MISSING if data is _MISSING else data[key])

    def _field(self, node: FieldNode, parent: Any, data: Any) -> int:
        field_type = _field_type(self._schema, parent, node.name.value)
        if field_type is None or is_leaf_type(field_type):
            return 0
        if field_type.name.endswith("Connection"):
            return self._connection(node, field_type, data)
        ids = self._argument(node, "ids")
        if isinstance(ids, list):
            return self._by_ids(node, field_type, len(ids), data)
        if isinstance(data, list):
            data = data[0] if data else None
        if data is None:
            return 1
        return 1 + self._selections(node.selection_set, field_type, data)

    def _by_ids(self, node: FieldNode, field_type: Any, count: int, data: Any) -> int:
        """A list read by ids: one object per id asked for, or per entry returned."""
        if data is _MISSING:
            return count * (1 + self._selections(node.selection_set, field_type, _MISSING))
        entries = data if isinstance(data, list) else []
        return sum(
            1 + (self._selections(node.selection_set, field_type, e) if e is not None else 0)
            for e in entries
        )

    def _connection(self, node: FieldNode, conn_type: Any, data: Any) -> int:
        if data is _MISSING:
            count = self._page_size(node)
            return CONNECTION_BASE + count * self._per_item(node, conn_type, _MISSING)
        if data is None:
            return CONNECTION_BASE
        items = _items(data)
        return CONNECTION_BASE + sum(self._per_item(node, conn_type, item) for item in items)

    def _per_item(self, node: FieldNode, conn_type: Any, item: Any) -> int:
        """Cost of one node of a connection, selected through `edges { node }` or `nodes`."""
        total = 0
        for sub in self._fields(node.selection_set):
            name = sub.name.value
            if name == "nodes":
                node_type = _field_type(self._schema, conn_type, "nodes")
                total += 1 + self._selections(sub.selection_set, node_type, item)
            elif name == "edges":
                edge_type = _field_type(self._schema, conn_type, "edges")
                for edge_sub in self._fields(sub.selection_set):
                    if edge_sub.name.value == "node":
                        node_type = _field_type(self._schema, edge_type, "node")
                        total += 1 + self._selections(edge_sub.selection_set, node_type, item)
        return total

    def _page_size(self, node: FieldNode) -> int:
        for name in ("first", "last"):
            value = self._argument(node, name)
            if isinstance(value, int):
                return value
        return 0

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self._variables)
        return None


def _items(connection: Any) -> list[Any]:
    if not isinstance(connection, dict):
        return []
    if isinstance(connection.get("nodes"), list):
        return list(connection["nodes"])
    return [e.get("node") for e in connection.get("edges") or [] if isinstance(e, dict)]


def _field_type(schema: GraphQLSchema, parent: Any, name: str) -> Any:
    named = get_named_type(parent)
    if isinstance(named, GraphQLObjectType) or hasattr(named, "fields"):
        field = named.fields.get(name)
        return get_named_type(field.type) if field else None
    return None
