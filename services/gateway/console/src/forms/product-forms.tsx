// The product forms of the Products page, one at a time, for one product in the current region.
import "./forms.css";
import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { AttributesForm } from "./attributes";
import { BrandForm } from "./brand";
import { ComplianceForm } from "./compliance";
import { type ListingTarget } from "./listing";
import { MapProductForm } from "./map-product";
import { SizeChartForm } from "./size-chart";

type Product = Schemas["ProductView"];
export type FormName = "attributes" | "brand" | "compliance" | "size-chart" | "map";
export const FORMS: [FormName, string][] = [
  ["attributes", "Fill in attributes"], ["brand", "Choose brand"], ["compliance", "Fill in compliance"],
  ["size-chart", "Size chart"], ["map", "Map product"],
];

export function ProductForms({ connectionId, region, product, form, onForm, onSaved, onClose }: {
  connectionId: string; region: string | null; product: Product; form: FormName;
  onForm: (form: FormName) => void; onSaved: () => void; onClose: () => void;
}) {
  const [mapping, setMapping] = useState<Schemas["CategoryMapping"] | null | undefined>(undefined);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    // The product's TikTok category in this region: its category's mapping.
    void api.GET("/api/v1/catalog/{connection_id}/categories", {
      params: { path: { connection_id: connectionId }, query: { region } },
    }).then(({ data, error, response }) => {
      if (data === undefined) return setProblem(reason(error, response.status));
      setMapping(data.find((c) => c.mapping.source_key === product.category_key)?.mapping ?? null);
    });
  }, [connectionId, region, product.category_key]);

  const target: ListingTarget = { kind: "product", connectionId, region, productId: product.shopify_product_id };
  const categoryId = mapping?.tiktok_category_id ?? null;
  const listing = product.listing;
  return (
    <section class="panel" aria-labelledby="product-forms-title">
      <h2 id="product-forms-title">{product.title}</h2>
      <p class="muted">TikTok Shop category: {mapping === undefined ? "…" : mapping?.tiktok_category_name ?? "not mapped"}</p>
      <div role="tablist" aria-label="Product forms" class="tabs">
        {FORMS.map(([name, label]) => (
          <button key={name} type="button" role="tab" aria-selected={form === name} onClick={() => onForm(name)}>{label}</button>
        ))}
      </div>
      {problem !== null && <p class="error" role="alert">{problem}</p>}
      {mapping !== undefined && (
        <div role="tabpanel" aria-label={FORMS.find(([n]) => n === form)?.[1]}>
          {form === "attributes" && <AttributesForm key={categoryId} target={target} categoryId={categoryId}
            current={listing.attributes ?? []} currentPackage={listing.package} onSaved={onSaved} />}
          {form === "brand" && <BrandForm target={target} categoryId={categoryId} current={listing.brand_id ?? null} onSaved={onSaved} />}
          {form === "compliance" && <ComplianceForm target={target} onSaved={onSaved} current={{
            responsible_person_ids: listing.responsible_person_ids ?? [], manufacturer_ids: listing.manufacturer_ids ?? [] }} />}
          {form === "size-chart" && <SizeChartForm target={target} categoryKey={product.category_key ?? null} onSaved={onSaved}
            current={{ template: listing.size_chart_template_id ?? null, image: listing.size_chart_uri ?? null }} />}
          {form === "map" && <MapProductForm connectionId={connectionId} region={region} product={product} onSaved={onSaved} />}
        </div>
      )}
      <button type="button" class="secondary" onClick={onClose}>Close</button>
    </section>
  );
}
