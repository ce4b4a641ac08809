// Update attributes and brand by CSV at category level: download the template, upload it filled
// in, and read which rows were applied and why the others were not (with the error file).
import { useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { FieldError, FormOutcome, type Outcome } from "../forms/status";

export function CategoryCsv({ connectionId, region, sourceKey }: { connectionId: string; region: string | null; sourceKey: string }) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<Schemas["UploadResult"] | null>(null);
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const query = region === null ? "" : `?region=${encodeURIComponent(region)}`;
  const template = `/api/v1/catalog/${encodeURIComponent(connectionId)}/categories/${encodeURIComponent(sourceKey)}/csv${query}`;

  async function upload(event: Event) {
    event.preventDefault();
    if (file === null) return setFileError("Choose the filled-in template first.");
    setFileError(undefined);
    const form = new FormData();
    form.append("file", file);
    const { data, error, response } = await api.POST("/api/v1/catalog/{connection_id}/categories/{key}/csv", {
      params: { path: { connection_id: connectionId, key: sourceKey }, query: { region } },
      body: form as unknown as Schemas["Body_upload_csv_api_v1_catalog__connection_id__categories__key__csv_post"],
    });
    setResult(data ?? null);
    setOutcome(data === undefined ? { text: reason(error, response.status), error: true }
      : { text: `${data.valid_rows} valid row${data.valid_rows === 1 ? "" : "s"} applied${data.task_id ? " (a task)" : ""}; ${data.error_rows} with errors.`, error: data.error_rows > 0 });
  }

  return (
    <section aria-labelledby="csv-title">
      <h3 id="csv-title">CSV for “{sourceKey}”</h3>
      <p><a href={template} download={`${sourceKey}.csv`}>Download the template (CSV)</a>: the category's products with
        brand and attribute columns (required ones marked *).</p>
      <form onSubmit={upload} noValidate>
        <label for="csv-file">Filled-in template</label>
        <input id="csv-file" type="file" accept=".csv,text/csv" aria-invalid={fileError !== undefined}
          aria-describedby={fileError !== undefined ? "csv-file-error" : undefined}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <FieldError id="csv-file-error" text={fileError} />
        <button type="submit">Upload CSV</button>
      </form>
      <FormOutcome outcome={outcome} />
      {result !== null && result.errors.length > 0 && (
        <>
          <table>
            <caption>Rows not applied</caption>
            <thead><tr><th scope="col">Row</th><th scope="col">Product</th><th scope="col">Why</th></tr></thead>
            <tbody>{result.errors.map((r) => (
              <tr key={r.row}><td>{r.row}</td><td>{r.product_id}</td><td class="error">{r.errors.join(" ")}</td></tr>
            ))}</tbody>
          </table>
          <p><a href={result.error_file_url} download="errors.csv">Download the error file</a></p>
        </>
      )}
    </section>
  );
}
