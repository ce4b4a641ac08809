import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Field, FieldError, Outcome, Switch } from "../fields";
import { useSaving } from "../saving";
import type { Scope } from "./settings";

type Settings = Schemas["OrderSettings"];
type Toggle = { [K in keyof Settings]-?: Settings[K] extends boolean | undefined ? K : never }[keyof Settings];
type MapKey = "shipping_provider_map" | "shipping_option_map";
type Row = { from: string; to: string };

// Every switch of the guide's Order Settings, in its order and words.
const SWITCHES: [Toggle, string, string][] = [
  ["billing_same_as_shipping", "Fill in Billing Address with Shipping Address", "On if your third-party shipper requires a billing address."],
  ["prevent_negative_inventory", "Prevent Negative Inventory", "On: an order whose stock would go below 0 in Shopify fails; off: stock may go negative."],
  ["sync_encrypted_email", "Sync TikTok Shop Encrypted Email", "On: the buyer's encrypted TikTok email; off: a placeholder address."],
  ["use_tiktok_pricing", "Use TikTok Shop Pricing for Order Total", "On: TikTok Shop prices and discounts; off: Shopify's original prices."],
  ["sync_unsynced_products", "Sync Orders that Contain Unsynced Products", "On: lines of unsynced products become custom lines in Shopify."],
  ["retry_orders", "Retry Orders", "On: a failed order is retried every 10 minutes, 3 times."],
  ["sync_fbt_orders", "Sync FBT Orders", "On: Fulfilled by TikTok orders are synced to Shopify."],
  ["auto_archive_cancelled", "Auto-archive Cancelled Orders", "On: orders cancelled on TikTok Shop are archived in Shopify."],
  ["restock_returned", "Restock Returned Order", "On: Shopify is restocked when a TikTok Shop return completes."],
  ["restock_cancelled", "Restock Cancelled Order", "On: Shopify is restocked when TikTok Shop cancels an order."],
  ["channel_liable_tax", "Order Liable Tax in Shopify", "On: tax lines say TikTok Shop (the channel) is liable for the tax."],
  ["sync_on_hold_orders", "Sync OnHold Orders", "On: orders in TikTok's 1-hour grace period appear On Hold in Shopify."],
  ["sync_loop_returns", "Sync Loop Return Result to TikTok Shop", "On: refunds made by Loop Returns in Shopify are refunded on TikTok Shop (TikTok must approve you)."],
];

const MAPS: [MapKey, string, string, string][] = [
  ["shipping_provider_map", "Map Shopify Shipping Provider to TikTok Shop", "Shopify shipping provider (exactly as in Shopify)", "TikTok Shop shipping provider id"],
  ["shipping_option_map", "Map TikTok Shop Shipping Option to Shopify", "TikTok Shop shipping option (name or id)", "Shopify shipping method (exactly as in Shopify)"],
];

const rowsOf = (map: Record<string, string> | undefined): Row[] => Object.entries(map ?? {}).map(([from, to]) => ({ from, to }));
const mapOf = (rows: Row[]) => Object.fromEntries(rows.filter((r) => r.from.trim() !== "").map((r) => [r.from.trim(), r.to.trim()]));

/** The region's order settings (order-relay): the payment method, every switch, both mappings. */
export function OrderSettingsForm({ connectionId, region, onUnauthorized }: Scope) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [maps, setMaps] = useState<Record<MapKey, Row[]>>({ shipping_provider_map: [], shipping_option_map: [] });
  const [loadError, setLoadError] = useState<string | null>(null);
  const saving = useSaving(onUnauthorized);
  const params = { path: { connection_id: connectionId }, query: { region } };

  function show(data: Settings) {
    setSettings(data);
    setMaps({ shipping_provider_map: rowsOf(data.shipping_provider_map), shipping_option_map: rowsOf(data.shipping_option_map) });
  }

  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET("/api/v1/order-settings/{connection_id}", { params });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setLoadError(reason(error, response.status));
      show(data);
    })();
  }, [connectionId, region]);

  async function submit(event: Event) {
    event.preventDefault();
    if (settings === null) return;
    const body = { ...settings, shipping_provider_map: mapOf(maps.shipping_provider_map), shipping_option_map: mapOf(maps.shipping_option_map) };
    const saved = await saving.save(() => api.PUT("/api/v1/order-settings/{connection_id}", { params, body }), "Order settings saved.");
    if (saved !== undefined && saved !== true) show(saved);
  }

  if (loadError !== null) return <p class="error" role="alert">{loadError}</p>;
  if (settings === null) return <p aria-busy="true">Loading order settings…</p>;
  return (
    <form onSubmit={submit} noValidate aria-label="Order settings">
      <Field id="payment_method" label="Payment Method" value={settings.payment_method ?? ""} error={saving.errors["payment_method"]}
        hint="The payment gateway on the Shopify order (TikTokPAY by default); any value that marks TikTok Shop orders for your ERP."
        onInput={(v) => setSettings({ ...settings, payment_method: v })} />
      {SWITCHES.map(([key, label, hint]) => (
        <Switch key={key} id={key} label={label} hint={hint} checked={settings[key] ?? false} error={saving.errors[key]}
          onChange={(on) => setSettings({ ...settings, [key]: on })} />
      ))}
      {MAPS.map(([key, title, from, to]) => (
        <MappingTable key={key} id={key} title={title} fromLabel={from} toLabel={to} rows={maps[key]}
          error={saving.errors[key]} onChange={(rows) => setMaps({ ...maps, [key]: rows })} />
      ))}
      <Outcome saved={saving.saved} problem={saving.problem} />
      <button type="submit" disabled={saving.busy}>Save order settings</button>
    </form>
  );
}

function MappingTable(props: {
  id: string; title: string; fromLabel: string; toLabel: string; rows: Row[]; error: string | undefined; onChange: (rows: Row[]) => void;
}) {
  const { rows, onChange } = props;
  const edit = (i: number, row: Row) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset class="mapping">
      <legend>{props.title}</legend>
      <FieldError id={props.id} error={props.error} />
      {rows.length === 0 ? <p class="muted">No mapping yet.</p> : (
        <table>
          <caption class="visually-hidden">{props.title}</caption>
          <thead><tr><th scope="col">{props.fromLabel}</th><th scope="col">{props.toLabel}</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>
          <tbody>{rows.map((row, i) => (
            <tr key={i}>
              <td><input aria-label={`${props.fromLabel}, row ${i + 1}`} value={row.from} onInput={(e) => edit(i, { ...row, from: e.currentTarget.value })} /></td>
              <td><input aria-label={`${props.toLabel}, row ${i + 1}`} value={row.to} onInput={(e) => edit(i, { ...row, to: e.currentTarget.value })} /></td>
              <td><button type="button" class="secondary" onClick={() => onChange(rows.filter((_, j) => j !== i))}
                >Remove<span class="visually-hidden"> row {i + 1} of {props.title}</span></button></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <button type="button" class="secondary" onClick={() => onChange([...rows, { from: "", to: "" }])}>
        Add a mapping<span class="visually-hidden"> to {props.title}</span></button>
    </fieldset>
  );
}
