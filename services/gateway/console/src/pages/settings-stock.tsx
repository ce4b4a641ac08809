import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Choice, described, Field, FieldError, number, Outcome } from "../fields";
import { useSaving } from "../saving";
import type { Scope } from "./settings";

type Mode = Schemas["ThresholdMode"];
type Form = {
  quantity: string; mode: Mode; buffer_units: string; buffer_percent: string; cap: string;
  untracked_quantity: string; location_ids: string[];
};

const text = (v: number | string | null | undefined) => (v === null || v === undefined ? "" : String(v));

function formOf(s: Schemas["StoreSettings-Output"]): Form {
  return {
    quantity: text(s.threshold?.quantity), mode: s.threshold?.mode ?? "deactivate",
    buffer_units: text(s.rules?.buffer_units), buffer_percent: text(s.rules?.buffer_percent),
    cap: text(s.rules?.cap), untracked_quantity: text(s.rules?.untracked_quantity),
    location_ids: s.location_ids ?? [],
  };
}

/** Low-inventory threshold, stock rules and the inventory location of one region (inventory-guard). */
export function StockSettingsForm({ connectionId, region, onUnauthorized, shopId }: Scope & { shopId: string }) {
  const [form, setForm] = useState<Form | null>(null);
  const [locations, setLocations] = useState<Schemas["ShopifyLocation"][] | string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const saving = useSaving(onUnauthorized);

  useEffect(() => {
    void (async () => {
      // The settings and the store's locations (read from Shopify) at once.
      const params = { path: { connection_id: connectionId } };
      const [{ data, error, response }, places] = await Promise.all([
        api.GET("/api/v1/inventory/{connection_id}/settings", { params }),
        api.GET("/api/v1/inventory/{connection_id}/locations", { params }),
      ]);
      if (response.status === 401) return onUnauthorized();
      const mine = data?.find((r) => r.tiktok_shop_id === shopId);
      if (mine === undefined) return setLoadError(reason(error, response.status));
      setForm(formOf(mine.settings));
      setLocations(places.data ?? reason(places.error, places.response.status));
    })();
  }, [connectionId, region, shopId]);

  async function submit(event: Event) {
    event.preventDefault();
    if (form === null) return;
    const body: Schemas["StoreSettings-Input"] = {
      threshold: { quantity: number(form.quantity), mode: form.mode },
      rules: {
        buffer_units: number(form.buffer_units), buffer_percent: number(form.buffer_percent),
        cap: number(form.cap), untracked_quantity: number(form.untracked_quantity),
      },
      location_ids: form.location_ids,
    };
    const saved = await saving.save(() => api.PUT("/api/v1/inventory/{connection_id}/settings/{tiktok_shop_id}", {
      params: { path: { connection_id: connectionId, tiktok_shop_id: shopId } }, body,
    }), "Stock settings saved: every product of this region is checked again.");
    if (saved !== undefined && saved !== true) setForm(formOf(saved));
  }

  if (loadError !== null) return <p class="error" role="alert">{loadError}</p>;
  if (form === null) return <p aria-busy="true">Loading stock settings…</p>;
  const e = saving.errors;
  const set = (key: Exclude<keyof Form, "location_ids">) => (v: string) => setForm({ ...form, [key]: v });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="stock-settings">
      <h3 id="stock-settings">Low inventory threshold and stock</h3>
      <Field id="quantity" label="Low inventory threshold (empty: off)" value={form.quantity} inputMode="numeric"
        hint="We suggest a threshold above 5." onInput={set("quantity")} error={e["quantity"]} />
      <Choice name="threshold_mode" legend="When a SKU reaches the threshold" value={form.mode} error={e["mode"]}
        options={[["deactivate", "Deactivate the product on TikTok Shop"], ["out_of_stock", "Set the SKU out of stock on TikTok Shop"]]}
        onChange={(mode) => setForm({ ...form, mode })} />
      <div class="grid">
        <Field id="buffer_units" label="Keep back units" value={form.buffer_units} inputMode="numeric"
          onInput={set("buffer_units")} error={e["buffer_units"]} />
        <Field id="buffer_percent" label="Keep back percent" value={form.buffer_percent} inputMode="decimal"
          onInput={set("buffer_percent")} error={e["buffer_percent"]} />
        <Field id="cap" label="Never send more than" value={form.cap} inputMode="numeric" onInput={set("cap")} error={e["cap"]} />
        <Field id="untracked_quantity" label="Stock of untracked SKUs (empty: leave TikTok's)" value={form.untracked_quantity}
          inputMode="numeric" onInput={set("untracked_quantity")} error={e["untracked_quantity"]} />
      </div>
      <Locations locations={locations} chosen={form.location_ids} error={e["location_ids"]}
        onChange={(location_ids) => setForm({ ...form, location_ids })} />
      <Outcome saved={saving.saved} problem={saving.problem} />
      <button type="submit" disabled={saving.busy}>Save stock settings</button>
    </form>
  );
}

/** The guide's Inventory Location: the Shopify locations whose stock counts in this region. */
function Locations({ locations, chosen, error, onChange }: {
  locations: Schemas["ShopifyLocation"][] | string | null; chosen: string[]; error: string | undefined; onChange: (ids: string[]) => void;
}) {
  const known = Array.isArray(locations) ? locations : [];
  // A saved location Shopify no longer lists stays visible, so it can be unticked.
  const shown = [...known, ...chosen.filter((id) => !known.some((l) => l.id === id)).map((id) => ({ id, name: id, active: false }))];
  return (
    <fieldset {...described("location_ids", error)}>
      <legend>Inventory location</legend>
      <p class="muted hint">None ticked: every location, summed. Orders from this region are assigned to the first one.</p>
      {typeof locations === "string" && <p class="error">{locations}</p>}
      {locations === null && <p aria-busy="true">Loading Shopify locations…</p>}
      {shown.map((l) => (
        <div key={l.id} class="radio">
          <input type="checkbox" id={`location-${l.id}`} checked={chosen.includes(l.id)}
            onChange={(ev) => onChange(ev.currentTarget.checked ? [...chosen, l.id] : chosen.filter((id) => id !== l.id))} />
          <label for={`location-${l.id}`}>{l.name}{l.active ? "" : " (inactive)"}</label>
        </div>
      ))}
      <FieldError id="location_ids" error={error} />
    </fieldset>
  );
}
