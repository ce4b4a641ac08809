// Files go to the API as multipart forms (openapi-fetch passes a FormData body through as is).
import { api, reason, type Schemas } from "../api/client";

/** Upload a size chart or certification image to TikTok Shop; its uri, or the API's reason. */
export async function uploadImage(connectionId: string, file: File, use: "size_chart" | "certification"):
  Promise<{ uri: string } | { problem: string }> {
  const form = new FormData();
  form.append("file", file);
  form.append("use", use);
  const { data, error, response } = await api.POST("/api/v1/catalog/{connection_id}/uploads", {
    params: { path: { connection_id: connectionId } },
    body: form as unknown as Schemas["Body_upload_api_v1_catalog__connection_id__uploads_post"],
  });
  if (data === undefined || !data.uri) return { problem: reason(error, response.status) };
  return { uri: data.uri };
}
