"""The function length rule (ADR 0013): no production function over 50 lines.

A function's length runs from its `def` line to its last line, so nested functions count
towards the function that holds them (and are checked on their own as well).
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_LINES = 50
PRODUCTION_CODE = ("libs/*/src", "services/*/src")

# Functions allowed to stay long (none: add one only with a reason next to it).
ALLOWED: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class LongFunction:
    """A function over the cap, where it starts and how long it is."""

    path: str
    name: str
    line: int
    lines: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.name} is {self.lines} lines (max {MAX_LINES})"


def long_functions(source: str, path: str, *, max_lines: int = MAX_LINES) -> Iterator[LongFunction]:
    """Every function (nested ones too) in `source` longer than `max_lines`."""
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > max_lines:
                yield LongFunction(path, node.name, node.lineno, lines)


def production_files(root: Path) -> list[Path]:
    """The Python files of every library's and service's `src`, tests excluded."""
    return sorted(p for pattern in PRODUCTION_CODE for p in root.glob(f"{pattern}/**/*.py"))


def all_long_functions(root: Path) -> list[LongFunction]:
    """Every long function in the production code under `root`, allowed or not."""
    found: list[LongFunction] = []
    for file in production_files(root):
        path = file.relative_to(root).as_posix()
        found += long_functions(file.read_text(), path)
    return found


def violations(root: Path, allowed: frozenset[tuple[str, str]] = ALLOWED) -> list[str]:
    """What breaks the rule: long functions not allowed, and allowances no longer needed.

    A stale allowance fails too, so the allowlist shrinks as the functions are shortened.
    """
    found = all_long_functions(root)
    long_ones = {(f.path, f.name) for f in found}
    problems = [str(f) for f in found if (f.path, f.name) not in allowed]
    problems += [
        f"{path}: {name} is allowed to be long but is not (remove it from ALLOWED)"
        for path, name in sorted(allowed - long_ones)
    ]
    return problems
