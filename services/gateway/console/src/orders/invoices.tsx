// Brazil invoices on Orders (the guide's "Upload Invoice (Only for Brazil Market)", ADR 0631):
// the reminder, "Show Pending Invoice", an Invoice Status per package of an order (split packages
// are a row each, a combined package a row per order), single and bulk XML uploads.
import "./orders.css";
import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Section } from "../fields";
import { PAGE, Pager } from "../paging";
import { href } from "../route";
import { BulkUpload, UploadInvoice } from "./invoice-upload";

type Invoice = Schemas["InvoiceView"];
export const INVOICE_STATUS: Record<Schemas["InvoiceStatus"], string> = {
  NEED_INVOICE: "Need Invoice", PROCESSING: "Processing", SUCCESS: "Success", FAILED: "Failed",
};
// TikTok verifies an invoice in seconds: re-read while one on the page is processing, no longer.
const VERIFYING_MS = 3000;

export function Invoices({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [pending, setPending] = useState(false);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Schemas["InvoicePage"] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [uploading, setUploading] = useState<Invoice | "bulk" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void api.GET("/api/v1/order-invoices", {
      params: { query: { connection_id: connectionId, region, pending, limit: PAGE, offset } },
    }).then(({ data, error, response }) => {
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setProblem(reason(error, response.status));
      setProblem(null);
      setPage(data);
    });
  }, [connectionId, region, pending, offset, reload]);

  const verifying = page?.invoices.some((i) => i.status === "PROCESSING") ?? false;
  useEffect(() => {
    if (!verifying) return;
    const timer = window.setTimeout(() => setReload((n) => n + 1), VERIFYING_MS);
    return () => window.clearTimeout(timer);
  }, [verifying, page]);

  const counts = page?.counts ?? {};
  const total = Object.entries(counts).filter(([k]) => k !== "pending").reduce((n, [, v]) => n + v, 0);
  // Only Brazil orders need invoices: the section shows where there are some, or in Brazil.
  if (problem === null && total === 0 && region !== "BR") return null;
  const uploaded = (said: string | null) => {
    setUploading(null); setNotice(said); setReload((n) => n + 1);
  };
  return (
    <Section id="invoices-title" title="Invoices (Brazil)">
      {problem !== null && <p class="error" role="alert">{problem}</p>}
      {notice !== null && <p class="notice" role="status">{notice}</p>}
      <p>{counts.pending === 1 ? "1 package needs" : `${counts.pending ?? 0} packages need`} an invoice before they ship.</p>
      <div class="actions">
        <button type="button" aria-pressed={pending} onClick={() => { setPending(!pending); setOffset(0); }}>
          Show Pending Invoice</button>
        <button type="button" class="secondary" onClick={() => setUploading("bulk")}>Bulk Upload Invoice</button>
      </div>
      {uploading === "bulk" && <BulkUpload connectionId={connectionId} region={region} onDone={() => uploaded(null)} onClose={() => setUploading(null)} />}
      {uploading !== null && uploading !== "bulk" && <UploadInvoice invoice={uploading}
        onDone={() => uploaded(`Invoice of package ${uploading.package_id} uploaded: TikTok Shop is verifying it.`)} onClose={() => setUploading(null)} />}
      {page === null ? <p aria-busy="true">Loading…</p> : page.invoices.length === 0 ? <p>No invoice here.</p> : (
        <table>
          <caption class="visually-hidden">Invoice status per package</caption>
          <thead><tr><th scope="col">TikTok order</th><th scope="col">Package</th><th scope="col">Invoice Status</th>
            <th scope="col">Invoice</th></tr></thead>
          <tbody>{page.invoices.map((i) => (
            <tr key={`${i.tiktok_order_id}-${i.package_id}`}>
              <td><a href={href({ page: "order", connectionId, region, orderId: i.tiktok_order_id })}>{i.tiktok_order_id}</a></td>
              <td>{i.package_id}</td>
              <td><span class={`status status-invoice-${i.status.toLowerCase()}`}>{INVOICE_STATUS[i.status]}</span>
                {i.reason && <div class="error">{i.reason}</div>}</td>
              <td>{i.status === "NEED_INVOICE" || i.status === "FAILED"
                ? <UploadButton invoice={i} onClick={() => setUploading(i)} />
                : i.file_name ?? "—"}</td>
            </tr>
          ))}</tbody>
        </table>
      )}
      <Pager offset={offset} count={pending ? (counts.pending ?? 0) : total} onOffset={setOffset} label="Invoice pages" />
    </Section>
  );
}

/** The row's upload: its name says the package and order (the visible words come first). */
function UploadButton({ invoice, onClick }: { invoice: Invoice; onClick: () => void }) {
  const words = invoice.status === "FAILED" ? "Upload again" : "Need Invoice";
  return (
    <button type="button" aria-label={`${words} for package ${invoice.package_id}, order ${invoice.tiktok_order_id}`}
      onClick={onClick}>{words}</button>
  );
}
