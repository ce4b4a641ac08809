// A form's outcome, said where the merchant is looking: an alert for a refusal, a status else.
import type { Saved } from "./listing";

export type Outcome = { text: string; error: boolean } | null;

export function FormOutcome({ outcome }: { outcome: Outcome }) {
  if (outcome === null) return null;
  return <p class={outcome.error ? "error" : "notice"} role={outcome.error ? "alert" : "status"}>{outcome.text}</p>;
}

/** A field's error under it, referenced by the field's aria-describedby. */
export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text === undefined ? null : <p id={id} class="error">{text}</p>;
}

export const SAVED = "Saved. Sync the products to TikTok Shop to apply it there.";

/** Show what a save answered: field messages next to their fields, the outcome, then `onSaved`. */
export function settle(saved: Saved, setErrors: (fields: Record<string, string>) => void,
  setOutcome: (outcome: Outcome) => void, onSaved: () => void): void {
  setErrors(saved.ok ? {} : saved.fields);
  setOutcome(saved.ok ? { text: SAVED, error: false } : { text: saved.text, error: true });
  if (saved.ok) onSaved();
}
