// Form fields shared by the pages: a label for every control, and the API's reason for a field
// right under it (tied to the control by aria-describedby, so a screen reader says it too).
import type { ComponentChildren } from "preact";

export type Errors = Record<string, string>;

// Sent as typed; the API says when a value is not a whole number (never rounded here). Text that
// is no number at all is sent as text, for the API to name the field, never dropped to null.
export function number(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : (trimmed as unknown as number);
}

/** The error line under a field (nothing when there is none). */
export function FieldError({ id, error }: { id: string; error: string | undefined }) {
  return error === undefined ? null : <p id={`${id}-error`} class="error">{error}</p>;
}

/** What a control needs to point at its error. */
export function described(id: string, error: string | undefined) {
  return { "aria-invalid": error !== undefined, "aria-describedby": error !== undefined ? `${id}-error` : undefined };
}

export function Field(props: {
  id: string; label: string; value: string; onInput: (v: string) => void; error: string | undefined;
  type?: string; autocomplete?: string; hint?: string; inputMode?: "numeric" | "decimal";
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint !== undefined && <p class="muted hint">{props.hint}</p>}
      <input id={props.id} type={props.type ?? "text"} value={props.value} autocomplete={props.autocomplete}
        inputMode={props.inputMode} {...described(props.id, props.error)}
        onInput={(e) => props.onInput(e.currentTarget.value)} />
      <FieldError id={props.id} error={props.error} />
    </div>
  );
}

/** An on/off setting: a checkbox announced as a switch, with the guide's explanation. */
export function Switch(props: { id: string; label: string; checked: boolean; onChange: (on: boolean) => void; hint?: string; error?: string | undefined }) {
  return (
    <div class="switch">
      <input id={props.id} type="checkbox" role="switch" checked={props.checked}
        {...described(props.id, props.error)} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <label for={props.id}>{props.label}</label>
      {props.hint !== undefined && <p class="muted hint">{props.hint}</p>}
      <FieldError id={props.id} error={props.error} />
    </div>
  );
}

/** A group of radio buttons under one legend. */
export function Choice<T extends string>(props: {
  name: string; legend: string; value: T; options: [T, string][]; onChange: (v: T) => void; error?: string | undefined;
}) {
  return (
    <fieldset {...described(props.name, props.error)}>
      <legend>{props.legend}</legend>
      {props.options.map(([value, label]) => (
        <div key={value} class="radio">
          <input type="radio" id={`${props.name}-${value}`} name={props.name} value={value}
            checked={props.value === value} onChange={() => props.onChange(value)} />
          <label for={`${props.name}-${value}`}>{label}</label>
        </div>
      ))}
      <FieldError id={props.name} error={props.error} />
    </fieldset>
  );
}

/** A form's outcome line: saved, or the reason it was not (a reason with no field of its own). */
export function Outcome({ saved, problem }: { saved: string | null; problem: string | null }) {
  if (problem !== null) return <p class="error" role="alert">{problem}</p>;
  return saved === null ? null : <p class="notice" role="status">{saved}</p>;
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id} class="card">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
