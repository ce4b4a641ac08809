// Publish Global Products to EU regions, with the merchant's consent to translation.
import { useEffect, useState } from "preact/hooks";
import { api, fieldErrors, reason } from "../api/client";
import { FieldError, FormOutcome, type Outcome } from "../forms/status";

const EU = ["DE", "FR", "ES", "IT", "IE"];

export function GlobalPublish({ connectionId, productIds, onClose, onStarted }: {
  connectionId: string; productIds: string[]; onClose: () => void; onStarted: (text: string) => void;
}) {
  const [markets, setMarkets] = useState<string[]>([]);
  const [regions, setRegions] = useState<Set<string>>(new Set());
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    void api.GET("/api/v1/connections/{connection_id}", { params: { path: { connection_id: connectionId } } })
      .then(({ data }) => setMarkets((data?.regions ?? []).map((r) => r.region).filter((r) => EU.includes(r))));
  }, [connectionId]);

  async function submit(event: Event) {
    event.preventDefault();
    const { data, error, response } = await api.POST("/api/v1/catalog/{connection_id}/global/publish", {
      params: { path: { connection_id: connectionId } },
      body: { all_products: false, product_ids: productIds, regions: [...regions], translation_consent: consent },
    });
    if (data !== undefined) return onStarted("Publish started: follow it on the Tasks page.");
    const fields = fieldErrors(error);
    // The API's one refusal without a field is the missing consent: said next to that box.
    if (response.status === 422 && Object.keys(fields).length === 0) fields["translation_consent"] = reason(error, 422);
    setErrors(fields);
    setOutcome({ text: reason(error, response.status), error: true });
  }

  return (
    <form class="panel" onSubmit={submit} aria-labelledby="publish-title" noValidate>
      <h2 id="publish-title">Publish {productIds.length} product{productIds.length === 1 ? "" : "s"} to regions</h2>
      <fieldset aria-describedby={errors["regions"] !== undefined ? "regions-error" : undefined}>
        <legend>Regions</legend>
        {markets.length === 0 && <p class="muted">This connection has no EU region yet.</p>}
        {markets.map((m) => (
          <label key={m} class="choice"><input type="checkbox" checked={regions.has(m)} onChange={(e) => {
            const next = new Set(regions);
            if (e.currentTarget.checked) next.add(m); else next.delete(m);
            setRegions(next);
          }} /> {m}</label>
        ))}
        <FieldError id="regions-error" text={errors["regions"]} />
      </fieldset>
      <label class="choice">
        <input type="checkbox" checked={consent} aria-invalid={errors["translation_consent"] !== undefined}
          aria-describedby={errors["translation_consent"] !== undefined ? "translation_consent-error" : undefined}
          onChange={(e) => setConsent(e.currentTarget.checked)} />{" "}
        I agree to have the products translated into each market's language
      </label>
      <FieldError id="translation_consent-error" text={errors["translation_consent"]} />
      <FormOutcome outcome={Object.keys(errors).length > 0 ? null : outcome} />
      <div class="actions">
        <button type="submit">Publish</button>
        <button type="button" class="secondary" onClick={onClose}>Cancel</button>
      </div>
    </form>
  );
}
