import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { OrderSettingsForm } from "./settings-orders";
import { PricingForm } from "./settings-pricing";
import { ProductSettingsForm } from "./settings-product";
import { ShippingSettings } from "./settings-shipping";
import { StockSettingsForm } from "./settings-stock";

/** The guide's Settings of one connection and region: Product Settings (catalog-sync: package,
 * sync rules, categories source, auto pull; inventory-guard: threshold, stock rules, inventory
 * location; price-promotions: pricing mode), Order Settings (order-relay), and the TikTok Shop
 * warehouse and template settings. Each part saves to the API that owns it, on its own. */
export function SettingsPage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [connection, setConnection] = useState<Schemas["ConnectionView"] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const { data, error: failed, response } = await api.GET("/api/v1/connections/{connection_id}", {
        params: { path: { connection_id: connectionId } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setError(reason(failed, response.status));
      setConnection(data);
    })();
  }, [connectionId]);

  // The region shown: the one chosen in the switcher, else the connection's default.
  const shop = connection?.regions.find((r) => r.region === region) ?? connection?.regions[0];
  const scope = { connectionId, region, onUnauthorized };
  return (
    <main>
      <h1>Settings{shop !== undefined ? ` (${shop.region})` : ""}</h1>
      <nav aria-label="Settings sections" class="sections">
        <a href="#product-settings" onClick={jump}>Product settings</a>
        <a href="#order-settings" onClick={jump}>Order settings</a>
        <a href="#shipping-settings" onClick={jump}>TikTok Shop warehouse and templates</a>
      </nav>
      {error !== null && <p class="error" role="alert">{error}</p>}
      <p class="muted">Package dimensions, categories source and auto pull apply to every region of the
        connection; the other settings apply to this region only.</p>
      <section aria-labelledby="product-settings">
        <h2 id="product-settings">Product settings</h2>
        <ProductSettingsForm {...scope} />
        {shop !== undefined && <StockSettingsForm {...scope} shopId={shop.tiktok_shop_id} />}
        {shop !== undefined && <PricingForm {...scope} shopId={shop.tiktok_shop_id} />}
      </section>
      <section aria-labelledby="order-settings">
        <h2 id="order-settings">Order settings</h2>
        <OrderSettingsForm {...scope} />
      </section>
      <section aria-labelledby="shipping-settings">
        <h2 id="shipping-settings">TikTok Shop warehouse and templates</h2>
        <ShippingSettings {...scope} />
      </section>
    </main>
  );
}

// In-page links would change the fragment the router reads: scroll and focus instead.
function jump(event: MouseEvent) {
  event.preventDefault();
  const id = (event.currentTarget as HTMLAnchorElement).getAttribute("href")?.slice(1) ?? "";
  const target = document.getElementById(id);
  target?.scrollIntoView();
  target?.setAttribute("tabindex", "-1");
  target?.focus();
}

export type Scope = { connectionId: string; region: string | null; onUnauthorized: () => void };
