// The guide's Global Products (EU): status tabs, Pull, Pre-validation, Sync to Global, Publish to
// regions with translation consent; and Global Categories (the category page, connection-wide).
import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { FormOutcome, type Outcome } from "../forms/status";
import { PAGE, Pager } from "../paging";
import { CategoryMappings } from "./categories";
import { GlobalPublish } from "./global-publish";

type Tab = Schemas["GlobalStatus"] | "global_published_failed" | "all" | "not_published";
type GlobalProduct = Schemas["GlobalProductView"];
const TABS: [Tab, string][] = [
  ["all", "All"], ["global_synced", "Global Synced"], ["global_not_synced", "Global Not Synced"],
  ["global_sync_failed", "Global Sync Failed"], ["global_update_failed", "Global Update Failed"],
  ["global_published_failed", "Global Published Failed"],
];

export function GlobalCategoriesPage({ connectionId, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  return <CategoryMappings title="Global Categories" scope={{ kind: "global-categories", connectionId }}
    onUnauthorized={onUnauthorized} notice="Changes here apply to every region's local products." />;
}

export function GlobalProductsPage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [tab, setTab] = useState<Tab>("all");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Schemas["GlobalPage"] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [checks, setChecks] = useState<Schemas["GlobalPrecheck"][] | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [reload, setReload] = useState(0);
  const current = region ?? "";

  useEffect(() => {
    void (async () => {
      const status = tab === "all" || tab === "not_published" ? null : tab;
      const { data, error, response } = await api.GET("/api/v1/catalog/{connection_id}/global/products", {
        params: { path: { connection_id: connectionId },
          query: { status, not_published_to: tab === "not_published" ? current : null, limit: PAGE, offset } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setOutcome({ text: reason(error, response.status), error: true });
      setPage(data);
    })();
  }, [connectionId, tab, offset, reload]);

  const ids = [...selected];
  const path = { connection_id: connectionId };
  async function task(action: "pull" | "sync") {
    const answer = action === "pull"
      ? await api.POST("/api/v1/catalog/{connection_id}/global/pull", { params: { path }, body: { incremental: false } })
      : await api.POST("/api/v1/catalog/{connection_id}/global/sync", { params: { path }, body: { all_products: false, product_ids: ids } });
    if (answer.data === undefined) return setOutcome({ text: reason(answer.error, answer.response.status), error: true });
    setOutcome({ text: `${action === "pull" ? "Pull" : "Sync to Global"} started: follow it on the Tasks page.`, error: false });
    setSelected(new Set()); setReload((n) => n + 1);
  }
  async function precheck() {
    const { data, error, response } = await api.POST("/api/v1/catalog/{connection_id}/global/precheck", { params: { path }, body: { all_products: false, product_ids: ids } });
    if (data === undefined) return setOutcome({ text: reason(error, response.status), error: true });
    setChecks(data);
  }

  const tabs: [Tab, string][] = current ? [...TABS, ["not_published", `Not Published to ${current}`]] : TABS;
  const products = page?.products ?? [];
  const count = tab === "all" || tab === "not_published" ? page?.total ?? 0 : page?.counts[tab] ?? 0;
  return (
    <main>
      <h1>Global Products</h1>
      <div role="tablist" aria-label="Global status" class="tabs">
        {tabs.map(([t, label]) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t}
            onClick={() => { setTab(t); setOffset(0); setSelected(new Set()); }}>
            {label}{page === null || t === "all" || t === "not_published" ? "" : ` (${page.counts[t] ?? 0})`}
          </button>
        ))}
      </div>
      <div class="actions">
        <button type="button" onClick={() => task("pull")}>Pull to Global Products</button>
        <button type="button" disabled={ids.length === 0} onClick={precheck}>Pre-validation ({ids.length})</button>
        <button type="button" disabled={ids.length === 0} onClick={() => task("sync")}>Sync {ids.length} to Global</button>
        <button type="button" disabled={ids.length === 0} onClick={() => setPublishing(true)}>Publish {ids.length}…</button>
      </div>
      <FormOutcome outcome={outcome} />
      {publishing && <GlobalPublish connectionId={connectionId} productIds={ids} onClose={() => setPublishing(false)}
        onStarted={(text) => { setPublishing(false); setOutcome({ text, error: false }); setSelected(new Set()); }} />}
      {checks !== null && <Prechecks checks={checks} />}
      {page === null ? <p aria-busy="true">Loading…</p> : products.length === 0 ? <p>No product here.</p> : (
        <table>
          <caption class="visually-hidden">Global products: {count}</caption>
          <thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Product</th>
            <th scope="col">Category</th><th scope="col">Global status</th><th scope="col">Published</th></tr></thead>
          <tbody>{products.map((p) => (
            <GlobalLine key={p.shopify_product_id} product={p} checked={selected.has(p.shopify_product_id)} onToggle={(on) => {
              const next = new Set(selected);
              if (on) next.add(p.shopify_product_id); else next.delete(p.shopify_product_id);
              setSelected(next);
            }} />
          ))}</tbody>
        </table>
      )}
      <Pager offset={offset} count={count} onOffset={setOffset} />
    </main>
  );
}

function GlobalLine({ product: p, checked, onToggle }: { product: GlobalProduct; checked: boolean; onToggle: (on: boolean) => void }) {
  const status = p.global_status ?? "global_not_synced";
  return (
    <tr>
      <td><input type="checkbox" aria-label={`Select ${p.title}`} checked={checked} onChange={(e) => onToggle(e.currentTarget.checked)} /></td>
      <td>{p.title}{p.global_product_id && <div class="muted">TikTok global product {p.global_product_id}</div>}</td>
      <td>{p.category_key ?? "—"}</td>
      <td><span class={`status status-${status.replace("global_", "")}`}>{status.replace("global_", "").replaceAll("_", " ")}</span>
        {p.reason && <div class="error">{p.reason}</div>}</td>
      <td><ul class="plain">{Object.entries(p.published).map(([market, pub]) => (
        <li key={market}>{market}: {pub.status}{pub.reason ? <span class="error"> — {pub.reason}</span> : null}</li>
      ))}</ul>{Object.keys(p.published).length === 0 && "—"}</td>
    </tr>
  );
}

function Prechecks({ checks }: { checks: Schemas["GlobalPrecheck"][] }) {
  return (
    <section class="panel" aria-labelledby="precheck-title">
      <h2 id="precheck-title">Pre-validation</h2>
      <ul>{checks.map((c) => (
        <li key={c.shopify_product_id}>{c.title}: {c.ready ? "ready to sync" : <span class="error">{c.issues.map((i) => i.message).join(" ")}</span>}</li>
      ))}</ul>
    </section>
  );
}

