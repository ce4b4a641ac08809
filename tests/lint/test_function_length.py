"""The function length rule (ADR 0013): the checker `make lint` runs, and the tree it runs on."""

from pathlib import Path

from connector_devstack.function_length import MAX_LINES, long_functions, violations

REPO = Path(__file__).resolve().parents[2]


def function_of(lines: int, name: str = "f") -> str:
    """Source of a function spanning exactly `lines` lines, `def` line included."""
    body = "".join(f"    x{i} = {i}\n" for i in range(lines - 2))
    return f"def {name}() -> None:\n{body}    return None\n"


def test_a_function_of_fifty_lines_passes() -> None:
    assert list(long_functions(function_of(MAX_LINES), "m.py")) == []


def test_a_function_of_fifty_one_lines_fails_with_its_place_and_length() -> None:
    source = "import os\n\n\n" + function_of(MAX_LINES + 1, "too_long")

    (found,) = long_functions(source, "pkg/m.py")

    assert (found.path, found.name, found.line, found.lines) == ("pkg/m.py", "too_long", 4, 51)
    assert str(found) == "pkg/m.py:4: too_long is 51 lines (max 50)"


def test_nested_functions_count_towards_the_function_that_holds_them() -> None:
    inner = "".join(f"    {line}\n" for line in function_of(30, "inner").splitlines())
    outer = f"def outer() -> None:\n{inner}{inner.replace('inner', 'other')}    return None\n"

    assert [f.name for f in long_functions(outer, "m.py")] == ["outer"]


def test_async_functions_and_methods_are_checked_too() -> None:
    method = function_of(MAX_LINES + 1, "run").replace("def run", "async def run")
    source = "class C:\n" + "".join(f"    {line}\n" for line in method.splitlines())

    assert [f.name for f in long_functions(source, "m.py")] == ["run"]


def test_an_allowance_no_longer_needed_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "libs/lib/src/lib/m.py"
    module.parent.mkdir(parents=True)
    module.write_text(function_of(MAX_LINES + 1, "long") + "\n\n" + function_of(10, "short"))

    problems = violations(tmp_path, frozenset({("libs/lib/src/lib/m.py", "short")}))

    assert problems == [
        "libs/lib/src/lib/m.py:1: long is 51 lines (max 50)",
        "libs/lib/src/lib/m.py: short is allowed to be long but is not (remove it from ALLOWED)",
    ]


def test_tests_are_not_production_code(tmp_path: Path) -> None:
    module = tmp_path / "services/svc/tests/test_m.py"
    module.parent.mkdir(parents=True)
    module.write_text(function_of(MAX_LINES + 1))

    assert violations(tmp_path, frozenset()) == []


def test_the_production_code_meets_the_rule() -> None:
    assert violations(REPO) == []
