"""Calculated query cost from the query AST (B3; the exact formula is UNCONFIRMED).

The formula the sandbox uses, documented in the README:
- scalar and enum fields cost 0; an object field costs 1 plus its selections;
- a connection (type name ending in `Connection`) costs 2 + n x (cost of one node), where n is
  `first`/`last` for the requested cost and the number of returned nodes for the actual cost;
  `pageInfo` and `cursor` are free; plain lists of objects cost like one object;
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

    def _selections(self, selection_set: SelectionSetNode | None, parent: Any, data: Any) -> int:
        total = 0
        for node in self._fields(selection_set):
            key = node.alias.value if node.alias else node.name.value
            if data is not _MISSING and (not isinstance(data, dict) or key not in data):
                continue  # a fragment on another type, or an errored field
            total += self._field(node, parent, _MISSING if data is _MISSING else data[key])
        return total

    def _field(self, node: FieldNode, parent: Any, data: Any) -> int:
        field_type = _field_type(self._schema, parent, node.name.value)
        if field_type is None or is_leaf_type(field_type):
            return 0
        if field_type.name.endswith("Connection"):
            return self._connection(node, field_type, data)
        if isinstance(data, list):
            data = data[0] if data else None
        if data is None:
            return 1
        return 1 + self._selections(node.selection_set, field_type, data)

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
        for argument in node.arguments or ():
            if argument.name.value in ("first", "last"):
                value = value_from_ast_untyped(argument.value, self._variables)
                if isinstance(value, int):
                    return value
        return 0


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
