// Size chart: one of the shop's TikTok templates, or an uploaded image (a product has one).
import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { type ListingTarget, regionOf, saveListing } from "./listing";
import { FieldError, FormOutcome, type Outcome, settle } from "./status";
import { uploadImage } from "./upload";

export function SizeChartForm({ target, categoryKey, current, onSaved }: {
  target: ListingTarget; categoryKey: string | null;
  current: { template: string | null; image: string | null }; onSaved: () => void;
}) {
  const [charts, setCharts] = useState<Schemas["CategorySizeCharts"] | null>(null);
  const [template, setTemplate] = useState(current.template ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    if (categoryKey === null) return;
    void api.GET("/api/v1/catalog/{connection_id}/categories/{source_key}/size-charts", {
      params: { path: { connection_id: target.connectionId, source_key: categoryKey }, query: { region: regionOf(target) } },
    }).then(({ data, error, response }) => {
      if (data === undefined) setOutcome({ text: reason(error, response.status), error: true });
      else setCharts(data);
    });
  }, [target.connectionId, categoryKey]);

  async function submit(event: Event) {
    event.preventDefault();
    let listing: { size_chart_template_id: string | null; size_chart_uri: string | null };
    if (file !== null) {
      const uploaded = await uploadImage(target.connectionId, file, "size_chart");
      if ("problem" in uploaded) return setErrors({ size_chart_uri: uploaded.problem });
      listing = { size_chart_template_id: null, size_chart_uri: uploaded.uri };
    } else {
      listing = { size_chart_template_id: template || null, size_chart_uri: template ? null : current.image };
    }
    const saved = await saveListing(target, listing);
    settle(saved, setErrors, setOutcome, onSaved);
  }

  return (
    <form onSubmit={submit} aria-labelledby="size-chart-title">
      <h3 id="size-chart-title">Size chart</h3>
      {charts?.required && <p>TikTok Shop requires a size chart for this category.</p>}
      {current.image !== null && <p class="muted">An uploaded size chart image is set.</p>}
      <label for="size-chart-template">Size chart template</label>
      <select id="size-chart-template" value={template} disabled={file !== null}
        aria-describedby={errors["size_chart_template_id"] !== undefined ? "size-chart-template-error" : undefined}
        onChange={(e) => setTemplate(e.currentTarget.value)}>
        <option value="">— no template —</option>
        {(charts?.templates ?? []).map((t) => <option key={t.template_id} value={t.template_id}>{t.name}</option>)}
      </select>
      <FieldError id="size-chart-template-error" text={errors["size_chart_template_id"]} />
      <label for="size-chart-image">Or upload a size chart image (JPG, PNG, WEBP)</label>
      <input id="size-chart-image" type="file" accept="image/jpeg,image/png,image/webp"
        aria-describedby={errors["size_chart_uri"] !== undefined ? "size-chart-image-error" : undefined}
        onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      <FieldError id="size-chart-image-error" text={errors["size_chart_uri"]} />
      <FormOutcome outcome={outcome} />
      <button type="submit">Save size chart</button>
    </form>
  );
}
