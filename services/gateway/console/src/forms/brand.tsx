// Choose brand: search TikTok's brands for the category by name and pick one (or none).
import { useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { type ListingTarget, regionOf, saveListing } from "./listing";
import { FieldError, FormOutcome, type Outcome, settle } from "./status";

export function BrandForm({ target, categoryId, current, onSaved }: {
  target: ListingTarget; categoryId: string | null; current: string | null; onSaved: () => void;
}) {
  const [name, setName] = useState("");
  const [brands, setBrands] = useState<Schemas["BrandView"][] | null>(null);
  const [chosen, setChosen] = useState<string>(current ?? "");
  const [error, setError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function search(event: Event) {
    event.preventDefault();
    const { data, error: failed, response } = await api.GET("/api/v1/catalog/{connection_id}/tiktok/brands", {
      params: { path: { connection_id: target.connectionId },
        query: { name: name.trim() || null, category_id: categoryId, region: regionOf(target) } },
    });
    if (data === undefined) return setOutcome({ text: reason(failed, response.status), error: true });
    setOutcome(null);
    setBrands(data);
  }

  async function save() {
    const saved = await saveListing(target, { brand_id: chosen || null });
    settle(saved, (fields) => setError(fields["brand_id"]), setOutcome, onSaved);
  }

  return (
    <section aria-labelledby="brand-title">
      <h3 id="brand-title">Choose brand</h3>
      <form class="inline" role="search" onSubmit={search}>
        <label for="brand-name">Brand name</label>
        <input id="brand-name" type="search" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <button type="submit">Search brands</button>
      </form>
      {brands !== null && (
        <fieldset aria-describedby={error !== undefined ? "brand-error" : undefined}>
          <legend>Brands{brands.length === 0 ? ": none found" : ""}</legend>
          <label class="choice"><input type="radio" name="brand" value="" checked={chosen === ""}
            onChange={() => setChosen("")} /> No brand</label>
          {brands.map((b) => (
            <label key={b.id} class="choice">
              <input type="radio" name="brand" value={b.id} checked={chosen === b.id} disabled={b.usable === false}
                onChange={() => setChosen(b.id)} /> {b.name}
              <span class="muted">{b.authorized ? " (authorized)" : b.usable === false ? " (TikTok Shop needs your brand authorization)" : ""}</span>
            </label>
          ))}
        </fieldset>
      )}
      <FieldError id="brand-error" text={error} />
      <FormOutcome outcome={outcome} />
      <button type="button" disabled={brands === null && chosen === (current ?? "")} onClick={save}>Save brand</button>
    </section>
  );
}
