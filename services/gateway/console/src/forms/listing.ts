// Where the listing forms save: one product, the selected categories of a region (bulk), or
// Global Categories. Each level merges what it is sent (ADR 0600): only the named fields change.
import { api, fieldErrors, reason, type Schemas } from "../api/client";

export type Listing = Schemas["ListingLayer"];
export type ListingTarget =
  | { kind: "product"; connectionId: string; region: string | null; productId: string }
  | { kind: "categories"; connectionId: string; region: string | null; keys: string[] }
  | { kind: "global-categories"; connectionId: string; keys: string[] };

/** What a save answered: done, or the API's reason and its messages per field. */
export type Saved = { ok: true } | { ok: false; text: string; fields: Record<string, string> };

/** A product's id in a path: its number (the API takes it as well as the gid, which has slashes). */
export function productNumber(shopifyProductId: string): string {
  return shopifyProductId.split("/").pop() ?? shopifyProductId;
}

export async function saveListing(target: ListingTarget, listing: Partial<Listing>): Promise<Saved> {
  if (target.kind === "product") {
    const { error, response } = await api.PATCH("/api/v1/catalog/{connection_id}/products/{product_id}", {
      params: { path: { connection_id: target.connectionId, product_id: productNumber(target.productId) },
        query: { region: target.region } },
      body: { listing },
    });
    return response.ok ? { ok: true } : failed(error, response.status);
  }
  // Categories in bulk: one request each, side by side; the first refusal is the answer.
  const answers = await Promise.all(target.keys.map((key) => saveCategory(target, key, listing)));
  return answers.find((a) => !a.ok) ?? { ok: true };
}

async function saveCategory(
  target: Exclude<ListingTarget, { kind: "product" }>, key: string, listing: Partial<Listing>,
): Promise<Saved> {
  const body = { listing };
  const { error, response } = target.kind === "categories"
    ? await api.PUT("/api/v1/catalog/{connection_id}/categories/{source_key}", {
        params: { path: { connection_id: target.connectionId, source_key: key }, query: { region: target.region } }, body })
    : await api.PUT("/api/v1/catalog/{connection_id}/global/categories/{source_key}", {
        params: { path: { connection_id: target.connectionId, source_key: key } }, body });
  return response.ok ? { ok: true } : failed(error, response.status);
}

function failed(error: unknown, status: number): Saved {
  return { ok: false, text: reason(error, status), fields: fieldErrors(error) };
}

/** The region a target calls TikTok in (Global Categories: the connection's default). */
export function regionOf(target: ListingTarget): string | null {
  return target.kind === "global-categories" ? null : target.region;
}
