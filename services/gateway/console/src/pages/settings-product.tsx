import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Choice, described, Field, FieldError, number, Outcome, Switch } from "../fields";
import { useSaving } from "../saving";
import type { Scope } from "./settings";

type Settings = Schemas["CatalogSettings"];
type Rules = Schemas["SyncRules"];
type SyncField = Schemas["SyncField"];
type Source = Schemas["Source"];
type Mode = "create" | "update";

// The guide's Sync Rules table, row by row. Which source a field may take is the API's rule
// (catalog-sync `core/sync_rules`): a choice it refuses comes back with the allowed ones.
const FIELDS: [SyncField, string][] = [
  ["title", "Product name"], ["description", "Product description"], ["price", "Product price"],
  ["media", "Product media"], ["barcode", "Product barcode"], ["stock", "Product stock"],
  ["status", "Product status"], ["video", "Product video"], ["brand", "Product brand"],
];
const SOURCES: [Source, string][] = [
  ["origin", "Origin (Shopify)"], ["connector", "Connector"], ["tiktok", "TikTok Shop"], ["dont_sync", "Don't sync"],
];
const PACKAGE = ["length", "width", "height", "weight"] as const;
type Package = Record<(typeof PACKAGE)[number], string> & { dimension_unit: string; weight_unit: string };

function packageOf(settings: Settings): Package {
  const p = settings.listing?.package;
  const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  return {
    length: text(p?.length), width: text(p?.width), height: text(p?.height), weight: text(p?.weight),
    dimension_unit: p?.dimension_unit ?? "CENTIMETER", weight_unit: p?.weight_unit ?? "KILOGRAM",
  };
}

/** Package dimensions, sync rules, categories source and auto pull (catalog-sync's settings). */
export function ProductSettingsForm({ connectionId, region, onUnauthorized }: Scope) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [pkg, setPkg] = useState<Package | null>(null);
  const [rules, setRules] = useState<Rules>({ create: {}, update: {} });
  const [loadError, setLoadError] = useState<string | null>(null);
  const form = useSaving(onUnauthorized);
  const path = { connection_id: connectionId };

  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET("/api/v1/catalog/{connection_id}/settings", {
        params: { path, query: { region } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setLoadError(reason(error, response.status));
      show(data);
    })();
  }, [connectionId, region]);

  function show(data: Settings) {
    setSettings(data); setPkg(packageOf(data)); setRules({ create: { ...data.sync_rules?.create }, update: { ...data.sync_rules?.update } });
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (settings === null || pkg === null) return;
    const body: Schemas["ProductSettings"] = {
      auto_pull: settings.auto_pull,
      categories_source: settings.categories_source,
      sync_rules: rules,
      listing: { package: { length: number(pkg.length), width: number(pkg.width), height: number(pkg.height),
        weight: number(pkg.weight), dimension_unit: pkg.dimension_unit, weight_unit: pkg.weight_unit } },
    };
    const saved = await form.save(() => api.PUT("/api/v1/catalog/{connection_id}/settings", {
      params: { path, query: { region } }, body,
    }), "Product settings saved.", "categories_source");
    if (saved !== undefined && saved !== true) show(saved);
  }

  if (loadError !== null) return <p class="error" role="alert">{loadError}</p>;
  if (settings === null || pkg === null) return <p aria-busy="true">Loading product settings…</p>;
  const e = form.errors;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="catalog-settings">
      <h3 id="catalog-settings">Default package</h3>
      <p class="muted">TikTok Shop needs one package size and weight for every product; whole numbers.</p>
      <div class="grid">
        {PACKAGE.map((key) => (
          <Field key={key} id={key} label={key[0]?.toUpperCase() + key.slice(1)} value={pkg[key]} inputMode="numeric"
            onInput={(v) => setPkg({ ...pkg, [key]: v })} error={e[key]} />
        ))}
        <Unit id="dimension_unit" label="Dimension unit" value={pkg.dimension_unit} options={["CENTIMETER", "INCH"]}
          onChange={(v) => setPkg({ ...pkg, dimension_unit: v })} />
        <Unit id="weight_unit" label="Weight unit" value={pkg.weight_unit} options={["KILOGRAM", "POUND"]}
          onChange={(v) => setPkg({ ...pkg, weight_unit: v })} />
      </div>
      <h3 id="sync-rules">Sync rules</h3>
      <FieldError id="sync_rules" error={e["sync_rules"] ?? e["create"] ?? e["update"]} />
      <SyncRulesTable rules={rules} onChange={setRules} invalid={e["sync_rules"] !== undefined} />
      <h3>Categories and pulls</h3>
      <Choice name="categories_source" legend="Categories source (locked once products are synced)"
        value={settings.categories_source ?? "product_type"} error={e["categories_source"]}
        options={[["product_type", "Shopify product type"], ["standard_category", "Shopify standard product category"]]}
        onChange={(v) => setSettings({ ...settings, categories_source: v })} />
      <Switch id="auto_pull" label="Pull products automatically" checked={settings.auto_pull ?? false}
        hint="On: products created or changed in Shopify are pulled into the connector."
        onChange={(on) => setSettings({ ...settings, auto_pull: on })} />
      <Outcome saved={form.saved} problem={form.problem} />
      <button type="submit" disabled={form.busy}>Save product settings</button>
    </form>
  );
}

function Unit(props: { id: string; label: string; value: string; options: string[]; onChange: (v: string) => void }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(ev) => props.onChange(ev.currentTarget.value)}>
        {props.options.map((o) => <option key={o} value={o}>{o.toLowerCase()}</option>)}
      </select>
    </div>
  );
}

function SyncRulesTable({ rules, onChange, invalid }: { rules: Rules; onChange: (r: Rules) => void; invalid: boolean }) {
  function choose(mode: Mode, field: SyncField, value: string) {
    const next = { ...(rules[mode] ?? {}) };
    if (value === "") delete next[field];
    else next[field] = value as Source;
    onChange({ ...rules, [mode]: next });
  }
  const cell = (mode: Mode, field: SyncField, label: string) => (
    <td>
      <select aria-label={`${label}, ${mode === "create" ? "Create" : "Update"}`} value={rules[mode]?.[field] ?? ""}
        {...(invalid ? described("sync_rules", "invalid") : {})} onChange={(ev) => choose(mode, field, ev.currentTarget.value)}>
        <option value="">Default</option>
        {SOURCES.map(([value, name]) => <option key={value} value={value}>{name}</option>)}
      </select>
    </td>
  );
  return (
    <table class="rules">
      <caption class="visually-hidden">Sync rules: where each field's value comes from</caption>
      <thead><tr><th scope="col">Field</th><th scope="col">Create (first push)</th><th scope="col">Update (after it exists on TikTok Shop)</th></tr></thead>
      <tbody>{FIELDS.map(([field, label]) => (
        <tr key={field}><th scope="row">{label}</th>{cell("create", field, label)}{cell("update", field, label)}</tr>
      ))}</tbody>
    </table>
  );
}
