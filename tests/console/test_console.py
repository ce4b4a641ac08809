"""The merchant console in a real browser (Debian's Chromium driven by Playwright) against a
running stack and both sandboxes: the guide's login, connection wizard ("Connect a store",
Shopify and TikTok authorization), Home, Products (Pull, select the page, Sync, status tabs with
reasons; a failed product fixed through the forms and pushed again), Tasks (followed live),
Categories (change, bulk brand, CSV), Global Products, Global Categories and Orders pages, Settings
(changes kept after a reload, the API's 422 under its field), Users (an invitation mailed to the
local SMTP server, accepted through its link; the admin it made sees users and changes none),
Email notifications and the password reset; on a Brazil store, the Orders page's Sync missed
orders (its task in Tasks), oversold pop-up and invoice upload (verified on TikTok); each checked with axe-core (no serious or critical
violation) and kept as a screenshot at 1280 and 390 px wide."""

import asyncio
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from connector_devstack.accounts import PASSWORD, create_owner
from connector_devstack.mailbox import Mailbox, text_of
from connector_devstack.polling import poll
from connector_devstack.sandboxes import Sandboxes, create_unauthorized_shops
from connector_devstack.services import ServiceProcess
from gateway.api.console import STATIC
from playwright.sync_api import Browser, Page, expect, sync_playwright

if TYPE_CHECKING:  # the fixture's class, in this directory's conftest
    from conftest import Store

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "services/gateway/console/node_modules/axe-core/axe.min.js"
SHOTS = ROOT / "test-artifacts/console"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS = {"desktop": 1280, "phone": 390}
# The machine is shared and slow at times: pages get longer than Playwright's 5 s default.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from the machine (browsers cannot be downloaded here)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (.ci/run does)")
        pytest.skip("no chromium on this machine: apt-get install chromium")
    assert (STATIC / "index.html").is_file(), "the console is not built: run `make console`"
    assert AXE.is_file(), "axe-core is missing: run `make console`"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def check_page(page: Page, name: str) -> None:
    """No serious or critical accessibility violation, and screenshots at both widths."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.add_script_tag(content=AXE.read_text())
    result: dict[str, Any] = page.evaluate("axe.run()")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], json.dumps([(v["id"], v["help"], v["nodes"][0]["html"]) for v in bad])
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})


def test_public_openapi_document_covers_every_owner(stack: dict[str, ServiceProcess]) -> None:
    """The console is typed from one document: the gateway's routes and each owner's."""
    document = httpx.get(f"{stack['gateway'].url}/api/openapi.json", timeout=30).json()
    owners = {path.split("/")[3] for path in document["paths"] if path.startswith("/api/v1/")}
    assert {"connections", "orders", "catalog", "inventory", "pricing", "tasks"} <= owners


# The whole journey in one browser session; on a loaded machine it outlasts the 600 s default.
@pytest.mark.timeout(900)
def test_merchant_logs_in_connects_a_store_and_sees_home_and_tasks(
    stack: dict[str, ServiceProcess], sandboxes: Sandboxes, browser: Browser, mailbox: Mailbox
) -> None:
    gateway = stack["gateway"]
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    assert create_owner(gateway, email).returncode == 0
    suffix = uuid.uuid4().hex[:8]
    domain = f"console-{suffix}.myshopify.com"
    # Playwright's sync API keeps an event loop in this thread: the sandboxes' set-up runs beside.
    with ThreadPoolExecutor(1) as side:
        shop = side.submit(asyncio.run, create_unauthorized_shops(sandboxes, domain, "US")).result()
    seed = {"products": 3, "variants_per_product": 1, "seed": 3, "product_types": ["Candle"]}
    httpx.post(
        f"{sandboxes.shopify_url}/_sandbox/shops/{domain}/seed", json=seed, timeout=60
    ).raise_for_status()
    page = browser.new_page(base_url=gateway.url)

    # Not logged in: the console asks for a login; a wrong password is said, not which part.
    page.goto("/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    check_page(page, "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Connections")).to_be_visible()

    # The wizard's first step: the API's 422 is shown next to the field it names.
    page.get_by_label("Connection name").fill("My store")
    page.get_by_label("Shopify store (name.myshopify.com)").fill("not a shop domain")
    page.get_by_role("button", name="Create connection").click()
    expect(page.locator("#shopify_shop_domain-error")).to_be_visible()
    page.get_by_label("Shopify store (name.myshopify.com)").fill(domain)
    page.get_by_role("button", name="Create connection").click()
    shopify_link = page.get_by_role("link", name="Authorize Shopify")
    expect(shopify_link).to_be_visible()
    check_page(page, "connections-created")
    tiktok_url = page.get_by_role("link", name="Authorize TikTok Shop").get_attribute("href")
    assert tiktok_url is not None

    # Shopify: the merchant approves the install; Shopify redirects to the gateway's callback.
    shopify_link.click()
    page.wait_for_url(f"{gateway.url}/oauth/shopify/callback*")
    # TikTok: the seller approves in Seller Center, which redirects with a one-time code.
    code = httpx.post(
        f"{sandboxes.tiktok_url}/_sandbox/shops/{shop['shop_id']}/auth_codes", timeout=30
    ).json()["code"]
    state = httpx.URL(tiktok_url).params["state"]
    page.goto(f"/oauth/tiktok/callback?code={code}&state={state}")

    page.goto("/#/connections")
    row = page.get_by_role("row").filter(has_text=domain)
    expect(row).to_contain_text("active")
    expect(row).to_contain_text("US (")
    check_page(page, "connections")

    row.get_by_role("link", name="My store").click()
    expect(page.get_by_role("heading", name="Home")).to_be_visible()
    expect(page.get_by_text("Fulfilled", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Download revenue (CSV)")).to_be_visible()
    check_page(page, "home")

    # Products: Pull from Shopify, then sync the pulled page to TikTok Shop; both are tasks.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Products").click()
    expect(page.get_by_role("heading", name="Products")).to_be_visible()
    page.get_by_role("button", name="Pull from Shopify").click()
    expect(page.get_by_role("status")).to_contain_text("Pull started")
    assert poll(lambda: _reload_tab(page, "Not Synced (3)"), bool, timeout=120), "no pull"
    check_page(page, "products")
    page.get_by_label("Select this page").check()
    page.get_by_role("button", name="Sync 3 to TikTok Shop").click()
    expect(page.get_by_role("status")).to_contain_text("Sync started")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tasks").click()
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()
    # No reload: the page follows the gateway's task stream until both tasks end.
    expect(page.get_by_role("cell", name="Completed")).to_have_count(2, timeout=180_000)
    expect(page.get_by_role("row").filter(has_text="push")).to_contain_text("of 3")
    check_page(page, "tasks")

    # Whatever TikTok made of them, every product is in a status tab with its reasons.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Products").click()
    synced = page.get_by_role("tab", name=re.compile(r"^Synced \(\d+\)"))
    failed = page.get_by_role("tab", name=re.compile(r"^Sync Failed \(\d+\)"))
    expect(synced).to_be_visible()
    counts = [int(re.findall(r"\d+", t.inner_text())[0]) for t in (synced, failed)]
    assert sum(counts) == 3, counts
    # Candles list in "Candles & Holders", whose rules require Material: the push fails there.
    assert counts[1] > 0, counts
    failed.click()  # each failure says why, under its expandable sync status
    page.locator("details summary").first.click()
    expect(page.locator("details li").first).not_to_be_empty()
    check_page(page, "products-after-sync")
    _fix_a_failed_product_through_the_forms(page, sandboxes, shop["shop_id"])
    _categories_and_global_pages(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Orders").click()
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name="Unfulfilled (0)")).to_be_visible()
    check_page(page, "orders")

    change_settings_and_see_them_after_a_reload(page)
    change_email_notifications(page)
    invite_a_user_who_accepts_by_the_mailed_link(page, browser, mailbox, gateway.url)


def _fix_a_failed_product_through_the_forms(page: Page, sandboxes: Sandboxes, shop_id: str) -> None:
    """The journey's "fix a failed product through the forms, push": the red tag opens Fill in
    attributes with TikTok's required Material marked; saved, synced, and listed with it."""
    # A product whose reasons the forms can fix (one without images must be fixed in Shopify).
    connection_id = page.url.split("/connections/")[1].split("/")[0]
    listed = page.request.get(f"/api/v1/catalog/{connection_id}/products?status=sync_failed").json()
    fixable = [
        p["title"]
        for p in listed["products"]
        if "missing_attribute" in {i["code"] for i in p["issues"]}
        and "missing_images" not in {i["code"] for i in p["issues"]}
    ]
    assert fixable, listed
    title = fixable[0]
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("button", name=f"Fill in attributes: {title}").click()
    material = page.get_by_label("Material")
    expect(material).to_have_attribute("aria-required", "true")
    expect(page.get_by_label("Occasion")).not_to_have_attribute("aria-required", "true")
    check_page(page, "product-form-attributes")
    page.get_by_role("button", name="Save attributes").click()
    expect(page.locator("#attribute-101001-error")).to_contain_text("requires Material")
    material.select_option(label="Wax")
    page.get_by_label("Weight", exact=True).fill("0")
    page.get_by_role("button", name="Save attributes").click()
    expect(page.locator("#package-weight-error")).to_be_visible()  # the API's 422, at its field
    page.get_by_label("Weight", exact=True).fill("1")
    page.get_by_label("Weight unit").select_option(label="pounds")
    page.get_by_role("button", name="Save attributes").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    # The other forms of the same product; a platform's refusal is said next to its field.
    page.get_by_role("tab", name="Choose brand").click()
    page.get_by_label("Brand name").fill("Acme")
    page.get_by_role("button", name="Search brands").click()
    expect(page.get_by_role("radio", name=re.compile("^Acme"))).to_be_visible()
    check_page(page, "product-form-brand")
    page.get_by_role("tab", name="Map product").click()
    page.get_by_label("TikTok product id").fill("1729000000000000000")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#tiktok-product-id-error")).to_contain_text("TikTok Shop")
    check_page(page, "product-form-map")
    for form in ("Fill in compliance", "Size chart"):
        page.get_by_role("tab", name=form).click()
        expect(page.get_by_role("heading", name=form)).to_be_visible()
    check_page(page, "product-form-size-chart")
    page.get_by_role("button", name="Close").click()

    row.get_by_label(f"Select {title}").check()
    page.get_by_role("button", name="Sync 1 to TikTok Shop").click()
    expect(page.get_by_role("status")).to_contain_text("Sync started")

    def listed() -> list[dict[str, Any]]:
        shop = httpx.get(f"{sandboxes.tiktok_url}/_sandbox/shops/{shop_id}", timeout=30).json()
        return [p for p in shop["products"] if p["title"] == title]

    products = poll(listed, bool, timeout=180)
    assert products, f"{title} never reached TikTok Shop"
    attributes = {a["id"]: a["values"] for a in products[0]["product_attributes"]}
    assert [v.get("id") for v in attributes["101001"]] == ["1010012"], attributes
    assert products[0]["package_weight"]["unit"] == "POUND", products[0]
    assert poll(lambda: _reload_tab(page, re.compile(r"^Synced \([1-9]")), bool, timeout=120)
    page.get_by_role("tab", name=re.compile(r"^Synced")).click()
    expect(page.get_by_role("row").filter(has_text=title)).to_contain_text("synced")


def _categories_and_global_pages(page: Page) -> None:
    """Categories: TikTok's recommendation, a change by hand, bulk brand, the CSV round trip
    with its error report; Global Products with publish's consent; Global Categories."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Categories").click()
    candle = page.get_by_role("row").filter(has_text="Candle")
    expect(candle).to_contain_text("Candles & Holders")
    expect(candle).to_contain_text("TikTok's recommendation")
    check_page(page, "categories")
    page.get_by_role("button", name="Change category of Candle").click()
    page.get_by_role("searchbox", name="TikTok Shop category").fill("candle")
    page.get_by_role("button", name="Search categories").click()
    page.get_by_role("radio", name="Candles & Holders").check()
    page.get_by_role("button", name="Save category").click()
    expect(page.get_by_role("status")).to_contain_text("now maps to Candles & Holders")
    expect(candle).to_contain_text("chosen by you")
    check_page(page, "categories-change")

    candle.get_by_label("Select Candle").check()
    page.get_by_role("button", name="Choose brand (1)").click()
    page.get_by_label("Brand name").fill("Acme")
    page.get_by_role("button", name="Search brands").click()
    page.get_by_role("radio", name=re.compile("^Acme")).check()
    page.get_by_role("button", name="Save brand").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    page.get_by_role("button", name="CSV of Candle").click()
    link = page.get_by_role("link", name="Download the template (CSV)")
    template = page.request.get(link.get_attribute("href") or "")
    assert template.ok, template.text()
    text = template.text()
    assert "product_id" in text.splitlines()[0], text
    page.get_by_label("Filled-in template").set_input_files(
        files=[
            {
                "name": "candle.csv",
                "mimeType": "text/csv",
                "buffer": (text.rstrip("\n") + "\n999999,Not a candle,\n").encode(),
            }
        ]
    )
    page.get_by_role("button", name="Upload CSV").click()
    expect(page.get_by_role("alert")).to_contain_text("with errors")
    errors = page.get_by_role("table", name="Rows not applied")
    expect(errors).to_contain_text("999999")
    expect(page.get_by_role("link", name="Download the error file")).to_be_visible()
    check_page(page, "categories-csv")

    # Global Products (EU; reached by address here, the nav shows them for EU regions).
    page.goto(page.url.replace("/categories", "/global"))
    expect(page.get_by_role("heading", name="Global Products")).to_be_visible()
    page.get_by_role("button", name="Pull to Global Products").click()
    expect(page.get_by_role("status")).to_contain_text("Pull started")
    assert poll(lambda: _reload_global(page), bool, timeout=120), "no global pull"
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Publish 1…").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator("#regions-error")).to_be_visible()
    check_page(page, "global-products")
    page.get_by_role("button", name="Cancel").click()

    page.goto(page.url.replace("/global", "/global-categories"))
    expect(page.get_by_role("heading", name="Global Categories")).to_be_visible()
    page.get_by_role("button", name="Recommend categories").click()
    expect(page.get_by_role("row").filter(has_text="Candle")).to_contain_text("Candles & Holders")
    check_page(page, "global-categories")


def _reload_global(page: Page) -> bool:
    page.reload()
    page.get_by_role("heading", name="Global Products").wait_for()
    return page.get_by_role("checkbox").count() > 0


def _reload_tab(page: Page, name: str | re.Pattern[str]) -> bool:
    page.reload()
    page.get_by_role("heading", name="Products").wait_for()
    return page.get_by_role("tab", name=name).count() > 0


def change_settings_and_see_them_after_a_reload(page: Page) -> None:
    """Product, stock and order settings each saved to their owner, and still there after a
    reload; a package size that is not a whole number is refused under its field."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Settings"))).to_be_visible()
    save_product = page.get_by_role("button", name="Save product settings")
    expect(save_product).to_be_visible()
    expect(page.get_by_role("button", name="Save order settings")).to_be_visible()
    expect(page.get_by_role("button", name="Save warehouse and template")).to_be_visible()
    expect(page.get_by_role("button", name="Save pricing")).to_be_visible()
    check_page(page, "settings")

    page.get_by_label("Length", exact=True).fill("1.5")
    save_product.click()
    expect(page.locator("#length-error")).to_be_visible()
    page.get_by_label("Length", exact=True).fill("30")
    page.get_by_label("Weight", exact=True).fill("2")
    page.get_by_label("Product name, Update").select_option("tiktok")
    save_product.click()
    expect(page.get_by_role("status").filter(has_text="Product settings saved")).to_be_visible()

    page.get_by_label("Low inventory threshold (empty: off)").fill("7")
    page.get_by_label("Set the SKU out of stock on TikTok Shop").check()
    page.get_by_label("Main warehouse").check()  # the store's one location, read from Shopify
    page.get_by_role("button", name="Save stock settings").click()
    expect(page.get_by_role("status").filter(has_text="Stock settings saved")).to_be_visible()

    page.get_by_role("switch", name="Retry Orders").check()
    page.get_by_role(
        "button", name="Add a mapping to Map Shopify Shipping Provider to TikTok Shop"
    ).click()
    page.get_by_label("Shopify shipping provider (exactly as in Shopify), row 1").fill("UPS Ground")
    page.get_by_label("TikTok Shop shipping provider id, row 1").fill("6617675021119438849")
    page.get_by_role("button", name="Save order settings").click()
    expect(page.get_by_role("status").filter(has_text="Order settings saved")).to_be_visible()

    page.reload()
    expect(page.get_by_label("Length", exact=True)).to_have_value("30")
    expect(page.get_by_label("Product name, Update")).to_have_value("tiktok")
    expect(page.get_by_label("Low inventory threshold (empty: off)")).to_have_value("7")
    expect(page.get_by_label("Set the SKU out of stock on TikTok Shop")).to_be_checked()
    expect(page.get_by_label("Main warehouse")).to_be_checked()
    expect(page.get_by_role("switch", name="Retry Orders")).to_be_checked()
    expect(
        page.get_by_label("Shopify shipping provider (exactly as in Shopify), row 1")
    ).to_have_value("UPS Ground")


def change_email_notifications(page: Page) -> None:
    """A malformed address is refused with the API's reason; a second address is kept."""
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Email notifications"
    ).click()
    expect(page.get_by_role("heading", name="Email notifications")).to_be_visible()
    expect(page.get_by_label("Email 1")).not_to_have_value("")  # pre-filled: the owner's address
    page.get_by_role("button", name="Add another email").click()
    page.get_by_label("Email 2").fill("not an address")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#recipients-error")).to_contain_text("is not an email address")
    page.get_by_label("Email 2").fill("ops@example.com")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    check_page(page, "notifications")
    page.reload()
    expect(page.get_by_label("Email 2")).to_have_value("ops@example.com")


def invite_a_user_who_accepts_by_the_mailed_link(
    page: Page, browser: Browser, mailbox: Mailbox, gateway_url: str
) -> None:
    """The owner invites by name and email; the mail's link opens the console's page that sets
    the password; the new admin logs in and sees the users, with nothing to change."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Add a user")).to_be_visible()
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    page.get_by_label("Name", exact=True).fill("Ada")
    page.get_by_label("Email", exact=True).fill("no address")
    page.get_by_role("button", name="Invite user").click()
    expect(page.locator("#new-user-email-error")).to_be_visible()
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Invite user").click()
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text("invited")
    page.get_by_role("button", name=f"Edit {email}").click()
    page.get_by_label(f"New name for {email}").fill("Ada Lovelace")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("row").filter(has_text=email)).to_contain_text("Ada Lovelace")
    check_page(page, "users")

    (mail,) = mailbox.wait_for(email)
    link = re.search(r"https?://\S+/#/accept-invitation\?token=[A-Za-z0-9_-]+", text_of(mail))
    assert link is not None, text_of(mail)
    assert link.group(0).startswith(gateway_url), link.group(0)
    invited = browser.new_page()
    invited.goto(link.group(0))
    expect(invited.get_by_role("heading", name="Set your password")).to_be_visible()
    check_page(invited, "accept-invitation")
    invited.get_by_label("New password (at least 12 characters)").fill("short")
    invited.get_by_label("New password again").fill("short")
    invited.get_by_role("button", name="Set password").click()
    expect(invited.locator("#new-password-error")).to_be_visible()
    invited.get_by_label("New password (at least 12 characters)").fill(PASSWORD)
    invited.get_by_label("New password again").fill(PASSWORD)
    invited.get_by_role("button", name="Set password").click()
    invited.get_by_role("link", name="Log in").click()
    invited.get_by_label("Email").fill(email)
    invited.get_by_label("Password").fill(PASSWORD)
    invited.get_by_role("button", name="Log in").click()
    expect(invited.get_by_role("heading", name="Connections")).to_be_visible()
    invited.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    expect(invited.get_by_text("Only an owner of the account can")).to_be_visible()
    expect(invited.get_by_role("row").filter(has_text=email)).to_contain_text("active")
    expect(invited.get_by_role("button", name="Invite user")).to_have_count(0)
    invited.close()

    # The owner deletes the user (the browser's confirmation accepted).
    page.reload()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Delete {email}").click()
    expect(page.get_by_role("row").filter(has_text=email)).to_have_count(0)

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.get_by_role("status")).to_contain_text("If a user has this email")
    check_page(page, "reset-password")


# An NF-e TikTok Shop verifies (the sandbox accepts an `nfeProc` document, ADR 0631).
NFE = b'<?xml version="1.0"?><nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"/>'


@pytest.mark.timeout(600)
def test_orders_page_syncs_missed_orders_shows_oversold_ones_and_uploads_brazil_invoices(
    brazil_store: "Store", browser: Browser, stack: dict[str, ServiceProcess]
) -> None:
    """The Orders page's guide parts on a Brazil store: Sync missed orders (a task in Tasks that
    brings a lost order to Shopify), the oversold banner and pop-up (checked away), and an
    invoice uploaded from its package's row that TikTok Shop verifies."""
    store = brazil_store
    missed = store.place_missed()
    oversold = store.place()
    store.wait_relayed(oversold)
    store.tiktok.post(
        f"/orders/{oversold}/cancellations",
        json={"role": "SYSTEM", "reason": "ecom_order_system_cancel_out_of_stock"},
    ).raise_for_status()
    alerts = poll(lambda: store.api.get("/order-alerts/oversold").json(), lambda a: len(a) == 1, 60)
    assert [a["tiktok_order_id"] for a in alerts] == [oversold], alerts
    assert store.order(missed) == {}, "the lost order reached the connector anyway"

    page = browser.new_page(base_url=stack["gateway"].url)
    page.goto("/")
    page.get_by_label("Email").fill(store.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Connections")).to_be_visible()
    page.goto(f"/#/connections/{store.merchant.connection_id}/orders?region=BR")
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    _sync_missed_orders(page, store, missed)
    _oversold_banner_and_pop_up(page, store, oversold)
    _upload_an_invoice(page, store, missed)
    page.close()


def _sync_missed_orders(page: Page, store: "Store", missed: str) -> None:
    """A window the API refuses says why under "Created to"; a good one starts the task, which
    Tasks shows finishing with the order found, and the order is in Shopify."""
    page.get_by_label("Created to").fill("2026-01-01T00:00")
    page.get_by_label("Created from").fill("2026-01-02T00:00")
    page.get_by_role("button", name="Sync All Missed Orders").click()
    expect(page.locator("#created_to-error")).to_contain_text("after created_from")
    expect(page.get_by_label("Created to")).to_have_attribute("aria-invalid", "true")
    check_page(page, "orders-sync-missed")
    page.get_by_label("Created from").fill(_local(-3600))
    page.get_by_label("Created to").fill(_local(120))
    page.get_by_role("button", name="Sync All Missed Orders").click()
    expect(page.get_by_role("status").filter(has_text="Sync started")).to_be_visible()
    page.get_by_role("link", name="Follow it in Tasks").click()
    task = page.get_by_role("row").filter(has_text="Sync missed orders created")
    expect(task).to_contain_text("Completed", timeout=120_000)
    expect(task).to_contain_text("1 succeeded, 0 failed of 1")  # the lost order, found
    check_page(page, "tasks-sync-missed")
    assert store.wait_relayed(missed)["paid_source"] == "missed-sync"
    page.go_back()


def _oversold_banner_and_pop_up(page: Page, store: "Store", oversold: str) -> None:
    """The banner opens the pop-up: the cancelled order, its products in their own tab, the
    way to Seller Center; "Checked" takes the order off and the banner goes."""
    page.reload()
    banner = page.get_by_role("region", name="Oversold orders")
    expect(banner).to_contain_text("canceled due to product unavailability")
    banner.get_by_role("button", name="View details").click()
    dialog = page.get_by_role("dialog", name="Orders cancelled for lack of stock")
    expect(dialog.get_by_role("row").filter(has_text=oversold)).to_be_visible()
    dialog.get_by_role("tab", name="Products (1)").click()
    expect(dialog.get_by_role("cell", name=store.variants[0].sku, exact=True)).to_be_visible()
    seller_center = dialog.get_by_role("link", name=re.compile("^Process to TikTok Shop"))
    expect(seller_center).to_have_attribute("target", "_blank")
    check_page(page, "orders-oversold")
    dialog.get_by_role("tab", name="Cancelled orders (1)").click()
    dialog.get_by_role("button", name=f"Checked: order {oversold}").click()
    expect(dialog).to_be_hidden()
    expect(banner).to_have_count(0)
    assert store.api.get("/order-alerts/oversold").json() == []
    page.reload()
    expect(page.get_by_role("heading", name="Orders", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Oversold orders")).to_have_count(0)


def _upload_an_invoice(page: Page, store: "Store", order_id: str) -> None:
    """The order's package needs an invoice: "Show Pending Invoice" lists it, a file that is
    no XML is refused in the pop-up with the API's reason, the NF-e is verified by TikTok."""
    [package] = [p["id"] for p in store.tiktok_order(order_id)["packages"]]
    invoices = page.get_by_role("region", name="Invoices (Brazil)")
    expect(invoices).to_contain_text(re.compile(r"\d+ packages? needs? an invoice"))
    invoices.get_by_role("button", name="Show Pending Invoice").click()
    expect(invoices.get_by_role("button", name="Show Pending Invoice")).to_have_attribute(
        "aria-pressed", "true"
    )
    row = invoices.get_by_role("row").filter(has_text=package)
    expect(row).to_contain_text("Need Invoice")
    row.get_by_role("button", name=f"Need Invoice for package {package}, order {order_id}").click()
    dialog = page.get_by_role("dialog", name="Upload invoice")
    expect(dialog).to_contain_text(order_id)
    upload = dialog.get_by_label("XML invoice (at most 1 MB)")
    upload.set_input_files(files=[{"name": "nota.xml", "mimeType": "text/xml", "buffer": b"no"}])
    dialog.get_by_role("button", name="Submit").click()
    expect(page.locator("#invoice-file-error")).to_be_visible()  # the API's reason, at the file
    check_page(page, "orders-invoice-upload")
    upload.set_input_files(files=[{"name": "nota.xml", "mimeType": "text/xml", "buffer": NFE}])
    dialog.get_by_role("button", name="Submit").click()
    expect(invoices.get_by_role("status")).to_contain_text(f"Invoice of package {package} uploaded")
    invoices.get_by_role("button", name="Show Pending Invoice").click()  # every status again
    expect(invoices.get_by_role("row").filter(has_text=package)).to_contain_text("Success")
    check_page(page, "orders-invoices")
    tiktok = store.tiktok_order(order_id)["invoices"]
    assert tiktok == [{"package_id": package, "status": "SUCCESS"}], tiktok


def _local(seconds_from_now: int) -> str:
    """A `datetime-local` value in the browser's time zone (the machine's, here)."""
    at = datetime.now().astimezone() + timedelta(seconds=seconds_from_now)
    return at.strftime("%Y-%m-%dT%H:%M")
