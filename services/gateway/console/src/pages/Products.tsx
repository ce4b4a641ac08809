import { useEffect, useState } from "preact/hooks";
import { PAGE, Pager } from "../paging";
import { api, reason, type Schemas } from "../api/client";
import { FORMS, type FormName, ProductForms } from "../forms/product-forms";

type Product = Schemas["ProductView"];
type Status = Schemas["ProductSyncStatus"];
const TABS: [Status, string][] = [
  ["synced", "Synced"], ["not_synced", "Not Synced"], ["sync_failed", "Sync Failed"], ["update_failed", "Update Failed"],
];

/** The guide's Products: status tabs with counts, search, 50 per page, select one / the page /
 * all pages, Pull and Sync, and each product's sync status with its reasons. */
export function ProductsPage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [tab, setTab] = useState<Status>("not_synced");
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Schemas["ProductPage"] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allPages, setAllPages] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<{ product: Product; form: FormName } | null>(null);

  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET("/api/v1/catalog/{connection_id}/products", {
        params: { path: { connection_id: connectionId },
          query: { status: tab, q: search || null, limit: PAGE, offset, region } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setMessage({ text: reason(error, response.status), error: true });
      setPage(data);
    })();
  }, [connectionId, region, tab, search, offset, reload]);

  function choose(next: Status) {
    setTab(next); setOffset(0); setSelected(new Set()); setAllPages(false);
  }

  async function run(action: "pull" | "push") {
    const path = { connection_id: connectionId };
    const answer = action === "pull"
      ? await api.POST("/api/v1/catalog/{connection_id}/pull", { params: { path }, body: { incremental: false } })
      : await api.POST("/api/v1/catalog/{connection_id}/push", {
          params: { path, query: { region } },
          body: allPages ? { all_products: true, status: tab } : { all_products: false, product_ids: [...selected] },
        });
    if (answer.data === undefined) {
      setMessage({ text: reason(answer.error, answer.response.status), error: true });
      return;
    }
    setMessage({ text: `${action === "pull" ? "Pull" : "Sync"} started: follow it on the Tasks page.`, error: false });
    setSelected(new Set()); setAllPages(false); setReload((n) => n + 1);
  }

  const products = page?.products ?? [];
  const pageIds = products.map((p) => p.shopify_product_id);
  const wholePage = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const count = page?.counts[tab] ?? 0;
  const chosen = allPages ? count : selected.size;

  return (
    <main>
      <h1>Products</h1>
      <div role="tablist" aria-label="Sync status" class="tabs">
        {TABS.map(([status, label]) => (
          <button key={status} type="button" role="tab" aria-selected={tab === status} onClick={() => choose(status)}>
            {label}{page === null ? "" : ` (${page.counts[status] ?? 0})`}
          </button>
        ))}
      </div>
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); setOffset(0); setSearch(query); }}>
        <label for="q">Search products</label>
        <input id="q" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      <div class="actions">
        <button type="button" onClick={() => run("pull")}>Pull from Shopify</button>
        <button type="button" disabled={chosen === 0} onClick={() => run("push")}>
          Sync {chosen} to TikTok Shop</button>
        {wholePage && !allPages && count > products.length && (
          <button type="button" class="link" onClick={() => setAllPages(true)}>Select all {count} products</button>
        )}
      </div>
      {message !== null && <p class={message.error ? "error" : "notice"} role={message.error ? "alert" : "status"}>{message.text}</p>}
      {page === null ? <p aria-busy="true">Loading…</p> : products.length === 0 ? <p>No product here.</p> : (
        <table>
          <caption class="visually-hidden">Products: {count}</caption>
          <thead><tr>
            <th scope="col"><input type="checkbox" aria-label="Select this page" checked={wholePage}
              onChange={(e) => { setAllPages(false); setSelected(e.currentTarget.checked ? new Set(pageIds) : new Set()); }} /></th>
            <th scope="col">Product</th><th scope="col">Variants</th><th scope="col">TikTok Shop</th><th scope="col">Sync status</th>
            <th scope="col">Actions</th>
          </tr></thead>
          <tbody>{products.map((p) => (
            <ProductLine key={p.shopify_product_id} product={p} checked={allPages || selected.has(p.shopify_product_id)}
              onEdit={(form) => setEditing({ product: p, form })}
              onToggle={(on) => {
                setAllPages(false);
                const next = new Set(selected);
                if (on) next.add(p.shopify_product_id); else next.delete(p.shopify_product_id);
                setSelected(next);
              }} />
          ))}</tbody>
        </table>
      )}
      <Pager offset={offset} count={count} onOffset={setOffset} />
      {editing !== null && (
        <ProductForms key={editing.product.shopify_product_id} connectionId={connectionId} region={region}
          product={products.find((p) => p.shopify_product_id === editing.product.shopify_product_id) ?? editing.product}
          form={editing.form} onForm={(form) => setEditing({ ...editing, form })}
          onSaved={() => setReload((n) => n + 1)} onClose={() => setEditing(null)} />
      )}
    </main>
  );
}

// The form that fixes what an issue says is missing (the guide's red tags).
const FIXES: Record<string, FormName> = {
  missing_attribute: "attributes", missing_responsible_person: "compliance", missing_manufacturer: "compliance",
  missing_size_chart: "size-chart", unmatched_sku: "map", missing_weight: "attributes", missing_dimensions: "attributes",
};

function ProductLine({ product, checked, onToggle, onEdit }: {
  product: Product; checked: boolean; onToggle: (on: boolean) => void; onEdit: (form: FormName) => void;
}) {
  // Each issue in its own words, and the push's reason unless it only joins their messages
  // (it may be a platform's answer the issues do not say).
  const issues = product.issues.map((i) => i.message).filter((m) => m.length > 0);
  const said = (r: string) => issues.length > 0 && issues.every((m) => r.includes(m));
  const problems = product.reason && !said(product.reason) ? [product.reason, ...issues] : issues;
  const fixes = [...new Set(product.issues.map((i) => FIXES[i.code]).filter((f): f is FormName => f !== undefined))];
  return (
    <tr>
      <td><input type="checkbox" aria-label={`Select ${product.title}`} checked={checked}
        onChange={(e) => onToggle(e.currentTarget.checked)} /></td>
      <td>{product.title}{product.global_tag && <span class="tag">Global</span>}</td>
      <td>{product.variant_count}</td>
      <td>{product.tiktok_product_id ?? "—"}{product.tiktok_status !== null && product.tiktok_status !== undefined ? ` (${product.tiktok_status})` : ""}</td>
      <td>
        <span class={`status status-${product.status}`}>{product.status.replaceAll("_", " ")}</span>
        {problems.length > 0 && (
          <details><summary>{problems.length} reason{problems.length > 1 ? "s" : ""}</summary>
            <ul>{problems.map((r) => <li key={r}>{r}</li>)}</ul></details>
        )}
      </td>
      <td>
        {fixes.map((f) => (
          <button key={f} type="button" class="tag-fix" aria-label={`${label(f)}: ${product.title}`} onClick={() => onEdit(f)}>{label(f)}</button>
        ))}
        <details class="menu"><summary aria-label={`Actions for ${product.title}`}>Actions</summary>
          <ul>{FORMS.map(([name, text]) => (
            <li key={name}><button type="button" class="link" onClick={() => onEdit(name)}>{text}</button></li>
          ))}</ul>
        </details>
      </td>
    </tr>
  );
}

function label(form: FormName): string {
  return FORMS.find(([name]) => name === form)?.[1] ?? form;
}
