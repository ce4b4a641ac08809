// The invoice uploads' pop-ups: one package's XML, or many files matched to packages by name.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, type Schemas } from "../api/client";
import { FieldError, Outcome, described } from "../fields";
import { href } from "../route";
import { useSaving } from "../saving";

type Invoice = Schemas["InvoiceView"];
const XML = ".xml,application/xml,text/xml";

/** A modal dialog open while it is shown (Esc or Close closes it). */
function Popup({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => { dialog.current?.showModal(); }, []);
  return (
    <dialog ref={dialog} aria-labelledby="upload-title" class="popup" onClose={onClose}>
      <h2 id="upload-title">{title}</h2>
      {children}
      <button type="button" class="secondary" onClick={() => dialog.current?.close()}>Close</button>
    </dialog>
  );
}

/** "Need Invoice": confirm the order and package, attach the XML (at most 1 MB), Submit. */
export function UploadInvoice({ invoice, onDone, onClose }: { invoice: Invoice; onDone: () => void; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const saving = useSaving();

  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData();
    if (file !== null) form.append("file", file);
    const done = await saving.save(() => api.POST("/api/v1/order-invoices/{tiktok_order_id}/{package_id}", {
      params: { path: { tiktok_order_id: invoice.tiktok_order_id, package_id: invoice.package_id } },
      body: form as unknown as Schemas["Body_upload_invoice_api_v1_order_invoices__tiktok_order_id___package_id__post"],
    }), "Uploaded.", "invoice-file");
    if (done !== undefined) onDone();
  }

  return (
    <Popup title="Upload invoice" onClose={onClose}>
      <dl class="facts">
        <dt>TikTok Shop Order ID</dt><dd>{invoice.tiktok_order_id}</dd>
        <dt>Package</dt><dd>{invoice.package_id}</dd>
      </dl>
      <form onSubmit={submit}>
        <label for="invoice-file">XML invoice (at most 1 MB)</label>
        <input id="invoice-file" type="file" accept={XML} {...described("invoice-file", saving.errors["invoice-file"] ?? saving.errors.file)}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <FieldError id="invoice-file" error={saving.errors["invoice-file"] ?? saving.errors.file} />
        <button type="submit" disabled={saving.busy}>Submit</button>
      </form>
      <Outcome saved={null} problem={saving.problem} />
    </Popup>
  );
}

/** "Bulk Upload Invoice": each file goes to the pending package whose id its name holds (and the
 * order id too, for a combined package); the files refused are listed with their reasons. */
export function BulkUpload({ connectionId, region, onDone, onClose }: {
  connectionId: string; region: string | null; onDone: () => void; onClose: () => void;
}) {
  const [files, setFiles] = useState<File[]>([]);
  const [result, setResult] = useState<Schemas["BulkUpload"] | null>(null);
  const saving = useSaving();

  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData();
    for (const f of files) form.append("files", f);
    const done = await saving.save(() => api.POST("/api/v1/order-invoices/bulk", {
      params: { query: { connection_id: connectionId, region } },
      body: form as unknown as Schemas["Body_bulk_upload_api_v1_order_invoices_bulk_post"],
    }), "Uploaded.", "invoice-files");
    if (done !== undefined && done !== true) setResult(done);
  }

  return (
    <Popup title="Bulk upload invoices" onClose={result === null ? onClose : onDone}>
      <form onSubmit={submit}>
        <label for="invoice-files">XML invoices, each named with its package id</label>
        <input id="invoice-files" type="file" multiple accept={XML} {...described("invoice-files", saving.errors["invoice-files"] ?? saving.errors.files)}
          onChange={(e) => setFiles(Array.from(e.currentTarget.files ?? []))} />
        <FieldError id="invoice-files" error={saving.errors["invoice-files"] ?? saving.errors.files} />
        <button type="submit" disabled={saving.busy || files.length === 0}>Submit</button>
      </form>
      <Outcome saved={null} problem={saving.problem} />
      {result !== null && (
        <div role="status">
          <p>{result.uploaded.length} uploaded, {result.refused.length} refused.{" "}
            <a href={href({ page: "tasks", connectionId, region })}>See the task</a></p>
          {result.refused.length > 0 && (
            <table>
              <caption>Files not uploaded</caption>
              <thead><tr><th scope="col">File</th><th scope="col">Why</th></tr></thead>
              <tbody>{result.refused.map((r) => <tr key={r.file_name}><td>{r.file_name}</td><td>{r.reason}</td></tr>)}</tbody>
            </table>
          )}
        </div>
      )}
    </Popup>
  );
}
