// Fill in compliance: the responsible persons and manufacturers (Qualification Center) to link.
import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { type ListingTarget, saveListing } from "./listing";
import { FieldError, FormOutcome, type Outcome, settle } from "./status";

type Kind = Schemas["ComplianceKind"];
type Entity = Schemas["ComplianceEntity"];
const KINDS: [Kind, string, "responsible_person_ids" | "manufacturer_ids"][] = [
  ["responsible_persons", "Responsible persons", "responsible_person_ids"],
  ["manufacturers", "Manufacturers", "manufacturer_ids"],
];

export function ComplianceForm({ target, current, onSaved }: {
  target: ListingTarget; current: { responsible_person_ids: string[]; manufacturer_ids: string[] }; onSaved: () => void;
}) {
  const [entities, setEntities] = useState<Record<Kind, Entity[]> | null>(null);
  const [chosen, setChosen] = useState(current);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    // Both lists at once: no waterfall.
    void Promise.all(KINDS.map(([kind]) => api.GET("/api/v1/catalog/{connection_id}/compliance/{kind}", {
      params: { path: { connection_id: target.connectionId, kind }, query: { limit: 500 } },
    }))).then(([persons, makers]) => {
      const failed = [persons, makers].find((a) => a?.data === undefined);
      if (failed !== undefined) return setOutcome({ text: reason(failed.error, failed.response.status), error: true });
      setEntities({ responsible_persons: persons?.data ?? [], manufacturers: makers?.data ?? [] });
    });
  }, [target.connectionId]);

  function toggle(field: keyof typeof current, id: string, on: boolean) {
    const ids = chosen[field].filter((x) => x !== id);
    setChosen({ ...chosen, [field]: on ? [...ids, id] : ids });
  }

  async function submit(event: Event) {
    event.preventDefault();
    const saved = await saveListing(target, chosen);
    settle(saved, setErrors, setOutcome, onSaved);
  }

  return (
    <form onSubmit={submit} aria-labelledby="compliance-title">
      <h3 id="compliance-title">Fill in compliance</h3>
      {entities === null ? <p aria-busy="true">Loading…</p> : KINDS.map(([kind, label, field]) => (
        <fieldset key={kind} aria-describedby={errors[field] !== undefined ? `${field}-error` : undefined}>
          <legend>{label}</legend>
          {entities[kind].length === 0 && <p class="muted">None yet: add them in the Qualification Center.</p>}
          {entities[kind].map((e) => (
            <label key={e.id} class="choice">
              <input type="checkbox" checked={chosen[field].includes(e.id)}
                onChange={(ev) => toggle(field, e.id, ev.currentTarget.checked)} /> {e.details.name}
              <span class="muted"> ({e.details.email})</span>
            </label>
          ))}
          <FieldError id={`${field}-error`} text={errors[field]} />
        </fieldset>
      ))}
      <FormOutcome outcome={outcome} />
      <button type="submit">Save compliance</button>
    </form>
  );
}
