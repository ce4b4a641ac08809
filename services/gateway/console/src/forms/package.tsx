// Package weight and dimensions (whole numbers) in metric or imperial units, part of Fill in
// attributes: TikTok Shop needs them to list, and a product may set its own over the store's.
import type { Schemas } from "../api/client";
import { FieldError } from "./status";

export type PackageValues = Record<"weight" | "length" | "width" | "height" | "weight_unit" | "dimension_unit", string>;
const SIZES = [["length", "Length"], ["width", "Width"], ["height", "Height"]] as const;

export function packageValues(current: Schemas["PackageSetting"] | null | undefined): PackageValues {
  const text = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));
  return {
    weight: text(current?.weight), length: text(current?.length), width: text(current?.width), height: text(current?.height),
    weight_unit: current?.weight_unit ?? "KILOGRAM", dimension_unit: current?.dimension_unit ?? "CENTIMETER",
  };
}

/** The API's shape; a field left empty is not set at this level (a wrong one is the API's 422). */
export function packageSetting(v: PackageValues): Schemas["PackageSetting"] {
  const whole = (s: string) => (s.trim() === "" ? null : Number(s));
  return { weight: whole(v.weight), length: whole(v.length), width: whole(v.width), height: whole(v.height),
    weight_unit: v.weight_unit, dimension_unit: v.dimension_unit };
}

export function PackageFields({ values, errors, onChange }: {
  values: PackageValues; errors: Record<string, string>; onChange: (v: PackageValues) => void;
}) {
  const set = (key: keyof PackageValues) => (e: Event) => onChange({ ...values, [key]: (e.currentTarget as HTMLInputElement).value });
  const number = (key: "weight" | "length" | "width" | "height", label: string) => (
    <div class="field" key={key}>
      <label for={`package-${key}`}>{label}</label>
      <input id={`package-${key}`} type="number" min="1" step="1" inputMode="numeric" value={values[key]}
        aria-invalid={errors[key] !== undefined} aria-describedby={errors[key] !== undefined ? `package-${key}-error` : undefined}
        onInput={set(key)} />
      <FieldError id={`package-${key}-error`} text={errors[key]} />
    </div>
  );
  return (
    <fieldset>
      <legend>Package (whole numbers)</legend>
      {number("weight", "Weight")}
      <label for="package-weight-unit">Weight unit</label>
      <select id="package-weight-unit" value={values.weight_unit} onChange={set("weight_unit")}>
        <option value="KILOGRAM">kilograms</option><option value="POUND">pounds</option>
      </select>
      {SIZES.map(([key, label]) => number(key, label))}
      <label for="package-dimension-unit">Dimension unit</label>
      <select id="package-dimension-unit" value={values.dimension_unit} onChange={set("dimension_unit")}>
        <option value="CENTIMETER">centimetres</option><option value="INCH">inches</option>
      </select>
    </fieldset>
  );
}
