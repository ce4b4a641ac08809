// The guide's Categories (a region's) and Global Categories (the connection's): each Shopify
// category with its TikTok Shop category (TikTok's recommendation by default, changeable by
// hand), bulk brand / attributes / compliance for the selected categories, and CSV per category.
import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { AttributesForm } from "../forms/attributes";
import { BrandForm } from "../forms/brand";
import { ComplianceForm } from "../forms/compliance";
import type { ListingTarget } from "../forms/listing";
import { FormOutcome, type Outcome } from "../forms/status";
import { ChangeCategory } from "./category-change";
import { CategoryCsv } from "./category-csv";
import "../forms/forms.css";
import { type CategoryScope, loadCategories, recommend } from "./category-scope";

type View = Schemas["CategoryView"];
type Panel = { kind: "change" | "csv"; key: string } | { kind: "brand" | "attributes" | "compliance" } | null;
const ORIGINS: Record<string, string> = { recommended: "TikTok's recommendation", merchant: "chosen by you", unmatched: "not mapped" };

export function CategoriesPage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  return <CategoryMappings title="Categories" scope={{ kind: "categories", connectionId, region }} onUnauthorized={onUnauthorized} />;
}

export function CategoryMappings({ title, scope, onUnauthorized, notice }: {
  title: string; scope: CategoryScope; onUnauthorized: () => void; notice?: string;
}) {
  const [views, setViews] = useState<View[] | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [panel, setPanel] = useState<Panel>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [reload, setReload] = useState(0);
  const region = scope.kind === "categories" ? scope.region : null;

  function show(answer: Awaited<ReturnType<typeof loadCategories>>) {
    if ("data" in answer) return setViews(answer.data);
    if (answer.status === 401) return onUnauthorized();
    setOutcome({ text: answer.problem, error: true });
  }
  useEffect(() => { void loadCategories(scope).then(show); }, [scope.connectionId, region, scope.kind, reload]);

  async function recommendAll() {
    const answer = await recommend(scope);
    show(answer);
    if ("data" in answer) setOutcome({ text: "TikTok Shop's recommendation is in for every category it could match.", error: false });
  }

  const chosen = (views ?? []).filter((v) => selected.has(v.mapping.source_key));
  const keys = chosen.map((v) => v.mapping.source_key);
  const target: ListingTarget = scope.kind === "categories"
    ? { kind: "categories", connectionId: scope.connectionId, region: scope.region, keys }
    : { kind: "global-categories", connectionId: scope.connectionId, keys };
  const leaves = new Set(chosen.map((v) => v.mapping.tiktok_category_id ?? null));
  const sharedLeaf = leaves.size === 1 ? [...leaves][0] ?? null : null;
  const saved = () => setReload((n) => n + 1);

  return (
    <main>
      <h1>{title}</h1>
      {notice !== undefined && <p class="notice">{notice}</p>}
      <div class="actions">
        <button type="button" onClick={recommendAll}>Recommend categories</button>
        {(["brand", "attributes", "compliance"] as const).map((kind) => (
          <button key={kind} type="button" disabled={keys.length === 0} onClick={() => setPanel({ kind })}>
            {BULK[kind]} ({keys.length})</button>
        ))}
      </div>
      <FormOutcome outcome={outcome} />
      {views === null ? <p aria-busy="true">Loading…</p> : views.length === 0 ? <p>No category yet: pull products first.</p> : (
        <table>
          <caption class="visually-hidden">{title}: {views.length}</caption>
          <thead><tr>
            <th scope="col"><input type="checkbox" aria-label="Select every category"
              checked={views.length > 0 && selected.size === views.length}
              onChange={(e) => setSelected(e.currentTarget.checked ? new Set(views.map((v) => v.mapping.source_key)) : new Set())} /></th>
            <th scope="col">Category in Shopify</th><th scope="col">Category in TikTok Shop</th>
            <th scope="col">Products</th><th scope="col">Actions</th>
          </tr></thead>
          <tbody>{views.map((v) => (
            <CategoryLine key={v.mapping.source_key} view={v} csv={scope.kind === "categories"}
              checked={selected.has(v.mapping.source_key)} onPanel={setPanel}
              onToggle={(on) => {
                const next = new Set(selected);
                if (on) next.add(v.mapping.source_key); else next.delete(v.mapping.source_key);
                setSelected(next);
              }} />
          ))}</tbody>
        </table>
      )}
      {panel !== null && (
        <section class="panel" aria-label={panel.kind === "change" || panel.kind === "csv" ? panel.key : BULK[panel.kind]}>
          {panel.kind === "change" && <ChangeCategory key={panel.key} scope={scope} sourceKey={panel.key} onSaved={saved} />}
          {panel.kind === "csv" && <CategoryCsv key={panel.key} connectionId={scope.connectionId} region={region} sourceKey={panel.key} />}
          {panel.kind === "brand" && <BrandForm key={keys.join()} target={target} categoryId={sharedLeaf} current={null} onSaved={saved} />}
          {panel.kind === "compliance" && <ComplianceForm key={keys.join()} target={target} onSaved={saved}
            current={{ responsible_person_ids: [], manufacturer_ids: [] }} />}
          {panel.kind === "attributes" && (sharedLeaf === null
            ? <p class="error" role="alert">Choose categories mapped to the same TikTok Shop category to fill in their attributes together.</p>
            : <AttributesForm key={keys.join()} target={target} categoryId={sharedLeaf} current={[]}
              currentPackage={null} onSaved={saved} />)}
          <button type="button" class="secondary" onClick={() => setPanel(null)}>Close</button>
        </section>
      )}
    </main>
  );
}

const BULK = { brand: "Choose brand", attributes: "Fill in attributes", compliance: "Fill in compliance" };

function CategoryLine({ view, csv, checked, onToggle, onPanel }: {
  view: View; csv: boolean; checked: boolean; onToggle: (on: boolean) => void; onPanel: (panel: Panel) => void;
}) {
  const m = view.mapping;
  const origin = m.origin ?? "unmatched";
  return (
    <tr>
      <td><input type="checkbox" aria-label={`Select ${m.source_key}`} checked={checked} onChange={(e) => onToggle(e.currentTarget.checked)} /></td>
      <td>{m.source_key}</td>
      <td>{m.tiktok_category_name ?? m.tiktok_category_id ?? "—"}
        <div class={origin === "unmatched" ? "error" : "muted"}>{ORIGINS[origin] ?? origin}{m.note ? `: ${m.note}` : ""}</div></td>
      <td>{view.product_count}</td>
      <td class="actions">
        <button type="button" class="link" aria-label={`Change category of ${m.source_key}`}
          onClick={() => onPanel({ kind: "change", key: m.source_key })}>Change category</button>
        {csv && m.tiktok_category_id && (
          <button type="button" class="link" aria-label={`CSV of ${m.source_key}`}
            onClick={() => onPanel({ kind: "csv", key: m.source_key })}>CSV</button>
        )}
      </td>
    </tr>
  );
}
