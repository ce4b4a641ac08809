import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Choice, Outcome } from "../fields";
import { useSaving } from "../saving";
import type { Scope } from "./settings";

type Warehouse = Schemas["WarehouseView"];
type Template = Schemas["ShippingTemplateView"];
// "" sends the region back to TikTok's default (the API's rule for both settings).
const DEFAULT = "";

/** The guide's "TikTok Shop Warehouse Setting" and "TikTok Shop Template Settings": what the
 * region's shop lists on TikTok, which one its products use; the API checks a choice when saved. */
export function ShippingSettings({ connectionId, region, onUnauthorized }: Scope) {
  const [warehouses, setWarehouses] = useState<Warehouse[] | null>(null);
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [warehouse, setWarehouse] = useState(DEFAULT);
  const [template, setTemplate] = useState(DEFAULT);
  const [loadError, setLoadError] = useState<string | null>(null);
  const saving = useSaving(onUnauthorized);
  const params = { path: { connection_id: connectionId }, query: { region } };

  useEffect(() => {
    void (async () => {
      // Both lists at once: two reads of TikTok, no waterfall.
      const [w, t] = await Promise.all([
        api.GET("/api/v1/catalog/{connection_id}/tiktok/warehouses", { params }),
        api.GET("/api/v1/catalog/{connection_id}/tiktok/shipping-templates", { params }),
      ]);
      if (w.response.status === 401 || t.response.status === 401) return onUnauthorized();
      if (w.data === undefined) return setLoadError(reason(w.error, w.response.status));
      if (t.data === undefined) return setLoadError(reason(t.error, t.response.status));
      setWarehouses(w.data); setTemplates(t.data);
      setWarehouse(w.data.find((x) => x.selected && !x.is_default)?.id ?? DEFAULT);
      setTemplate(t.data.find((x) => x.selected && !x.is_default)?.id ?? DEFAULT);
    })();
  }, [connectionId, region]);

  async function submit(event: Event) {
    event.preventDefault();
    await saving.save(() => api.PUT("/api/v1/catalog/{connection_id}/settings", {
      params, body: { warehouse_id: warehouse, shipping_template_id: template },
    }), "Warehouse and template saved: the next push uses them.", "shipping");
  }

  if (loadError !== null) return <p class="error" role="alert">{loadError}</p>;
  if (warehouses === null || templates === null) return <p aria-busy="true">Loading TikTok Shop warehouses and templates…</p>;
  const sales = warehouses.filter((w) => w.type === "SALES_WAREHOUSE");
  return (
    <form onSubmit={submit} noValidate aria-label="TikTok Shop warehouse and templates">
      <p class="muted">These are the TikTok shop's own: if they are not this connection's, log in to the right
        shop in TikTok Seller Center and reload this page.</p>
      <Choice name="warehouse" legend="Warehouse for new products' stock" value={warehouse} onChange={setWarehouse}
        options={[[DEFAULT, "TikTok Shop's default warehouse"],
          ...sales.map((w): [string, string] => [w.id, `${w.name}${w.is_default ? " (default)" : ""}${w.effect_status !== "ENABLED" ? ` (${w.effect_status.toLowerCase()})` : ""}`])]} />
      <Choice name="template" legend="Shipping template" value={template} onChange={setTemplate}
        options={[[DEFAULT, "TikTok Shop's default template"],
          ...templates.map((t): [string, string] => [t.id, `${t.name}${t.is_default ? " (default)" : ""}${t.available ? "" : ` (unavailable: ${t.unavailable_reasons.join("; ")})`}`])]} />
      {saving.errors["shipping"] !== undefined && <p class="error" role="alert">{saving.errors["shipping"]}</p>}
      <Outcome saved={saving.saved} problem={saving.problem} />
      <button type="submit" disabled={saving.busy}>Save warehouse and template</button>
    </form>
  );
}
