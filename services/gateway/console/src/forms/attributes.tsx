// Fill in attributes: the TikTok category's product attributes, the ones its rules require marked.
import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { type ListingTarget, regionOf, saveListing } from "./listing";
import { PackageFields, packageSetting, packageValues } from "./package";
import { FieldError, FormOutcome, type Outcome, settle } from "./status";

type Requirement = Schemas["AttributeRequirement"];
type Setting = Schemas["AttributeSetting"];

/** Loads a TikTok category's requirements (null until loaded; a reason when TikTok refused). */
export function useRequirements(connectionId: string, region: string | null, categoryId: string | null) {
  const [requirements, setRequirements] = useState<Schemas["CategoryRequirements"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (categoryId === null) return;
    void api.GET("/api/v1/catalog/{connection_id}/tiktok/categories/{category_id}/requirements", {
      params: { path: { connection_id: connectionId, category_id: categoryId }, query: { region } },
    }).then(({ data, error, response }) => {
      if (data === undefined) setProblem(reason(error, response.status));
      else setRequirements(data);
    });
  }, [connectionId, region, categoryId]);
  return { requirements, problem };
}

/** The form; `current` is what the target holds now (empty for a bulk edit of categories). */
export function AttributesForm({ target, categoryId, current, currentPackage, onSaved }: {
  target: ListingTarget; categoryId: string | null; current: Setting[];
  currentPackage: Schemas["PackageSetting"] | null | undefined; onSaved: () => void;
}) {
  const { requirements, problem } = useRequirements(target.connectionId, regionOf(target), categoryId);
  const [before] = useState(() => initial(current));
  const [values, setValues] = useState<Record<string, string>>(before);
  const [packed] = useState(() => packageValues(currentPackage));
  const [pkg, setPkg] = useState(packed);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  if (categoryId === null) return <p class="error" role="alert">Map the category to a TikTok Shop category first (Categories page).</p>;
  if (problem !== null) return <p class="error" role="alert">{problem}</p>;
  if (requirements === null) return <p aria-busy="true">Loading the category's attributes…</p>;
  // Sales properties (colour, size) name the variants; the merchant fills in product properties.
  const shown = (requirements.attributes ?? []).filter((a) => !a.sales);

  async function submit(event: Event) {
    event.preventDefault();
    const missing = Object.fromEntries(shown.filter((a) => a.required && !values[a.id]?.trim())
      .map((a) => [a.id, `TikTok Shop requires ${a.name} for this category.`]));
    setErrors(missing);
    if (Object.keys(missing).length > 0) return setOutcome({ text: "Fill in the required attributes.", error: true });
    // Only what changed is sent: a bulk edit keeps each category's other attributes.
    const changed = shown.filter((a) => (values[a.id] ?? "") !== (before[a.id] ?? ""));
    const listing = { attributes: changed.map((a) => setting(a, values[a.id] ?? "")) };
    const saved = await saveListing(target, JSON.stringify(pkg) === JSON.stringify(packed)
      ? listing : { ...listing, package: packageSetting(pkg) });
    settle(saved, setErrors, setOutcome, onSaved);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="attributes-title">
      <h3 id="attributes-title">Fill in attributes</h3>
      <p class="muted">Fields marked * are required by TikTok Shop for this category.</p>
      {shown.length === 0 && <p>This category asks for no product attribute.</p>}
      {shown.map((a) => (
        <AttributeField key={a.id} requirement={a} value={values[a.id] ?? ""} error={errors[a.id]}
          onChange={(v) => setValues({ ...values, [a.id]: v })} />
      ))}
      <PackageFields values={pkg} errors={errors} onChange={setPkg} />
      <FormOutcome outcome={outcome} />
      <button type="submit">Save attributes</button>
    </form>
  );
}

function AttributeField({ requirement: a, value, error, onChange }: {
  requirement: Requirement; value: string; error: string | undefined; onChange: (v: string) => void;
}) {
  const id = `attribute-${a.id}`;
  const options = Object.entries(a.value_ids ?? {});
  const common = { id, "aria-required": a.required, "aria-invalid": error !== undefined,
    "aria-describedby": error !== undefined ? `${id}-error` : undefined };
  return (
    <div class="field">
      <label for={id}>{a.name}{a.required && <span aria-hidden="true"> *</span>}
        {a.required && <span class="visually-hidden"> (required)</span>}</label>
      {options.length > 0 ? (
        <select {...common} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          <option value="">— not set —</option>
          {options.map(([vid, name]) => <option key={vid} value={`id:${vid}`}>{name}</option>)}
        </select>
      ) : (
        <input {...common} value={value.replace(/^text:/, "")} disabled={!a.customizable}
          onInput={(e) => onChange(e.currentTarget.value ? `text:${e.currentTarget.value}` : "")} />
      )}
      <FieldError id={`${id}-error`} text={error} />
    </div>
  );
}

// A field's value: "id:<value id>" for one of TikTok's values, "text:<name>" for the merchant's own.
function initial(current: Setting[]): Record<string, string> {
  return Object.fromEntries(current.map((s) => [s.attribute_id,
    s.value_ids?.[0] !== undefined ? `id:${s.value_ids[0]}` : s.custom_values?.[0] !== undefined ? `text:${s.custom_values[0]}` : ""]));
}

function setting(a: Requirement, value: string): Setting {
  // An attribute sent without values is removed at that level (listing edits merge per id).
  if (value.startsWith("id:")) return { attribute_id: a.id, value_ids: [value.slice(3)], custom_values: [] };
  if (value.startsWith("text:")) return { attribute_id: a.id, value_ids: [], custom_values: [value.slice(5)] };
  return { attribute_id: a.id, value_ids: [], custom_values: [] };
}
