"""The layering contracts (ADR 0013): `make lint` fails when a package breaks one.

Each case copies one package of ours into a temporary folder, adds a module with a forbidden
import, and runs `lint-imports` with the repository's own contracts while that copy shadows the
installed package.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path, *, shadowing: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the repository's contracts; `shadowing` goes first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(shadowing or "")}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(REPO / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tree_keeps_every_layering_contract() -> None:
    result = lint_imports(REPO)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("source", "package", "module", "statement", "contract"),
    [
        (
            "services/gateway/src",
            "gateway",
            "core/violation.py",
            "import asyncpg",
            "a service's core is pure",
        ),
        (
            "services/order-relay/src",
            "order_relay",
            "core/violation.py",
            "from order_relay import store",
            "a service's core is pure",
        ),
        (
            "services/order-relay/src",
            "order_relay",
            "violation.py",
            "import gateway.store",
            "no service imports another service",
        ),
        (
            "services/catalog-sync/src",
            "catalog_sync",
            "violation.py",
            "import shopify_sandbox",
            "services import no sandbox and no devstack",
        ),
        (
            "libs/contracts/src",
            "connector_contracts",
            "violation.py",
            "import connector_runtime",
            "contracts are data only",
        ),
        (
            "libs/shopify/src",
            "shopify",
            "violation.py",
            "from connector_runtime import db",
            "platform clients stand alone",
        ),
        (
            "libs/tiktok-shop-sandbox/src",
            "tiktok_shop_sandbox",
            "violation.py",
            "import connector_devstack",
            "sandboxes stand alone",
        ),
        (
            "libs/runtime/src",
            "connector_runtime",
            "violation.py",
            "import price_promotions",
            "the runtime imports no service",
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, source: str, package: str, module: str, statement: str, contract: str
) -> None:
    copy = tmp_path / package
    shutil.copytree(REPO / source / package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / module).write_text(f'"""A deliberate layering violation."""\n\n{statement}\n')

    result = lint_imports(tmp_path, shadowing=tmp_path)

    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken
    violator = f"{package}.{module.removesuffix('.py').replace('/', '.')}"
    assert violator in broken
