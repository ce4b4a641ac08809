// A category page's scope: a region's categories, or the connection's Global Categories.
import { api, reason, type Schemas } from "../api/client";
import type { Outcome } from "../forms/status";

export type CategoryScope =
  | { kind: "categories"; connectionId: string; region: string | null }
  | { kind: "global-categories"; connectionId: string };

type View = Schemas["CategoryView"];
type Answer = { data: View[] } | { status: number; problem: string };

export async function loadCategories(scope: CategoryScope): Promise<Answer> {
  const path = { connection_id: scope.connectionId };
  const { data, error, response } = scope.kind === "categories"
    ? await api.GET("/api/v1/catalog/{connection_id}/categories", { params: { path, query: { region: scope.region } } })
    : await api.GET("/api/v1/catalog/{connection_id}/global/categories", { params: { path } });
  return data === undefined ? { status: response.status, problem: reason(error, response.status) } : { data };
}

export async function recommend(scope: CategoryScope): Promise<Answer> {
  const path = { connection_id: scope.connectionId };
  const { data, error, response } = scope.kind === "categories"
    ? await api.POST("/api/v1/catalog/{connection_id}/categories/recommend", { params: { path, query: { region: scope.region } } })
    : await api.POST("/api/v1/catalog/{connection_id}/global/categories/recommend", { params: { path } });
  return data === undefined ? { status: response.status, problem: reason(error, response.status) } : { data };
}

/** Map one category to a TikTok leaf; null when done, else the API's reason. */
export async function saveMapping(scope: CategoryScope, key: string, body: Schemas["CategoryUpdate"]): Promise<Outcome> {
  const { error, response } = scope.kind === "categories"
    ? await api.PUT("/api/v1/catalog/{connection_id}/categories/{source_key}", {
        params: { path: { connection_id: scope.connectionId, source_key: key }, query: { region: scope.region } }, body })
    : await api.PUT("/api/v1/catalog/{connection_id}/global/categories/{source_key}", {
        params: { path: { connection_id: scope.connectionId, source_key: key } }, body });
  return response.ok ? null : { text: reason(error, response.status), error: true };
}
