import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Choice, Field, Outcome } from "../fields";
import { useSaving } from "../saving";
import type { Scope } from "./settings";

type Pricing = Schemas["price_promotions__RegionView"];
type Mode = Schemas["PricingMode"];

// The guide's three options, in its words (the default is "Sync-up Shopify price only").
const MODES: [Mode, string][] = [
  ["same_as_shopify", "Keep the same experience with Shopify (compare-at price, and a discount to the sale price)"],
  ["compare_at_price", "Sync-up compare-at price only"],
  ["shopify_price", "Sync-up Shopify price only"],
];

/** The region's pricing mode and exchange rate (price-promotions); its price rules are kept. */
export function PricingForm({ connectionId, onUnauthorized, shopId }: Scope & { shopId: string }) {
  const [pricing, setPricing] = useState<Pricing | null>(null);
  const [rate, setRate] = useState("1");
  const [refresh, setRefresh] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const saving = useSaving(onUnauthorized);
  const path = { connection_id: connectionId, tiktok_shop_id: shopId };

  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET("/api/v1/pricing/{connection_id}/regions/{tiktok_shop_id}", {
        params: { path },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setLoadError(reason(error, response.status));
      setPricing(data); setRate(data.exchange_rate ?? "1");
    })();
  }, [connectionId, shopId]);

  async function submit(event: Event) {
    event.preventDefault();
    if (pricing === null) return;
    // The API replaces the whole setting: the rules go back as they are.
    const body = { mode: pricing.mode, exchange_rate: rate, rules: pricing.rules ?? [] };
    const saved = await saving.save(() => api.PUT("/api/v1/pricing/{connection_id}/regions/{tiktok_shop_id}", {
      params: { path }, body,
    }), "Pricing saved.");
    if (saved === undefined || saved === true) return;
    setPricing(saved); setRate(saved.exchange_rate ?? "1");
    setRefresh(saved.refresh_offered ? (saved.activities_cleared ? `${saved.activities_cleared} products' discounts are being removed. ` : "") : null);
  }

  async function refreshPrices() {
    const done = await saving.save(() => api.POST("/api/v1/pricing/{connection_id}/regions/{tiktok_shop_id}/refresh", {
      params: { path },
    }), "Price refresh started: follow it on the Tasks page.");
    if (done !== undefined) setRefresh(null);
  }

  if (loadError !== null) return <p class="error" role="alert">{loadError}</p>;
  if (pricing === null) return <p aria-busy="true">Loading pricing…</p>;
  const exemption = pricing.window;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="pricing-settings">
      <h3 id="pricing-settings">Pricing ({pricing.currency})</h3>
      <Choice name="pricing_mode" legend="Price synchronization" value={pricing.mode ?? "shopify_price"} options={MODES}
        error={saving.errors["mode"]} onChange={(mode) => setPricing({ ...pricing, mode })} />
      <Field id="exchange_rate" label={`Exchange rate (${pricing.currency} per unit of the store's currency)`} value={rate}
        inputMode="decimal" onInput={setRate} error={saving.errors["exchange_rate"]} />
      <p class="muted">{(pricing.rules ?? []).length} price rules; strike-through window: {exemption.state.replaceAll("_", " ")}
        {exemption.days_left !== null && exemption.days_left !== undefined ? `, ${exemption.days_left} days left` : ""}.</p>
      <Outcome saved={saving.saved} problem={saving.problem} />
      {refresh !== null && (
        <div class="notice" role="status">
          <p>{refresh}The pricing option changed: refresh the products so TikTok Shop shows the right prices.</p>
          <button type="button" onClick={refreshPrices}>Refresh prices</button>
        </div>
      )}
      <button type="submit" disabled={saving.busy}>Save pricing</button>
    </form>
  );
}
