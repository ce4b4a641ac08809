// Map product: find a product listed on TikTok by hand by its id, and pair its SKUs with variants.
import { useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { productNumber } from "./listing";
import { FieldError, FormOutcome, type Outcome } from "./status";

type Product = Schemas["ProductView"];

export function MapProductForm({ connectionId, region, product, onSaved }: {
  connectionId: string; region: string | null; product: Product; onSaved: () => void;
}) {
  const [tiktokId, setTiktokId] = useState("");
  const [found, setFound] = useState<Schemas["TikTokProductView"] | null>(null);
  const [pairs, setPairs] = useState<Record<string, string>>({});
  const [idError, setIdError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function search(event: Event) {
    event.preventDefault();
    const { data, error, response } = await api.GET("/api/v1/catalog/{connection_id}/tiktok/products/{tiktok_product_id}", {
      params: { path: { connection_id: connectionId, tiktok_product_id: tiktokId.trim() }, query: { region } },
    });
    setFound(data ?? null);
    setIdError(data === undefined ? reason(error, response.status) : undefined);
    // Each TikTok SKU starts paired with the variant of the same seller SKU, if there is one.
    const bySku = new Map(product.variants.filter((v) => v.sku).map((v) => [v.sku, v.shopify_variant_id]));
    setPairs(Object.fromEntries((data?.skus ?? []).map((s) => [s.id, bySku.get(s.seller_sku) ?? ""])));
  }

  async function map() {
    const sku_map = Object.fromEntries(Object.entries(pairs).filter(([, v]) => v !== ""));
    const { data, error, response } = await api.POST("/api/v1/catalog/{connection_id}/products/{product_id}/map", {
      params: { path: { connection_id: connectionId, product_id: productNumber(product.shopify_product_id) }, query: { region } },
      body: { tiktok_product_id: tiktokId.trim(), sku_map },
    });
    if (data === undefined) return setOutcome({ text: reason(error, response.status), error: true });
    setOutcome({ text: `Mapped to TikTok product ${data.tiktok_product_id ?? tiktokId}.`, error: false });
    onSaved();
  }

  return (
    <section aria-labelledby="map-title">
      <h3 id="map-title">Map product</h3>
      <form class="inline" role="search" onSubmit={search}>
        <label for="tiktok-product-id">TikTok product id</label>
        <input id="tiktok-product-id" inputMode="numeric" value={tiktokId} aria-invalid={idError !== undefined}
          aria-describedby={idError !== undefined ? "tiktok-product-id-error" : undefined}
          onInput={(e) => setTiktokId(e.currentTarget.value)} />
        <button type="submit">Find</button>
      </form>
      <FieldError id="tiktok-product-id-error" text={idError} />
      {found !== null && (
        <table>
          <caption>{found.title} ({found.status.toLowerCase()}): its SKUs</caption>
          <thead><tr><th scope="col">TikTok SKU</th><th scope="col">Seller SKU</th><th scope="col">Shopify variant</th></tr></thead>
          <tbody>{found.skus.map((s) => (
            <tr key={s.id}>
              <td>{s.id}</td><td>{s.seller_sku || "—"}</td>
              <td><select aria-label={`Shopify variant for TikTok SKU ${s.id}`} value={pairs[s.id] ?? ""}
                onChange={(e) => setPairs({ ...pairs, [s.id]: e.currentTarget.value })}>
                <option value="">— by seller SKU —</option>
                {product.variants.map((v) => (
                  <option key={v.shopify_variant_id} value={v.shopify_variant_id}>{v.title || v.sku || v.shopify_variant_id}</option>
                ))}
              </select></td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <FormOutcome outcome={outcome} />
      {found !== null && <button type="button" onClick={map}>Map {found.skus.length} SKU{found.skus.length === 1 ? "" : "s"}</button>}
    </section>
  );
}
