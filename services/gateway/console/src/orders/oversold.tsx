// The guide's "Order cancelled prompt": a banner while TikTok has cancelled orders for lack of
// stock, and its pop-up with the orders and, in a tab of their own, the products to check.
import "./orders.css";
import { useEffect, useRef, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";

type Alert = Schemas["OversoldAlert"];
type Tab = "orders" | "products";

/** TikTok Seller Center's product management of a market (hosts are per market, e.g.
 * seller-us.tiktok.com; the path is the one Seller Center shows, not from the reference). */
function sellerCenter(region: string | null): string {
  return `https://seller-${(region ?? "us").toLowerCase()}.tiktok.com/product/manage`;
}

export function OversoldBanner({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("orders");
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    void api.GET("/api/v1/order-alerts/oversold", { params: { query: { connection_id: connectionId } } })
      .then(({ data, error, response }) => {
        if (response.status === 401) return onUnauthorized();
        if (data === undefined) return setProblem(reason(error, response.status));
        setAlerts(data);
      });
  }, [connectionId]);

  // "If the product is checked and no longer oversold": the merchant removes its order.
  async function checked(orderId: string) {
    const { error, response } = await api.POST("/api/v1/order-alerts/oversold/{tiktok_order_id}/dismiss", {
      params: { path: { tiktok_order_id: orderId } },
    });
    if (!response.ok) return setProblem(reason(error, response.status));
    setProblem(null);
    const left = alerts.filter((a) => a.tiktok_order_id !== orderId);
    setAlerts(left);
    if (left.length === 0) dialog.current?.close();
  }

  if (alerts.length === 0) return problem === null ? null : <p class="error" role="alert">{problem}</p>;
  const products = alerts.flatMap((a) => a.products.map((p) => ({ ...p, order: a.tiktok_order_id })));
  return (
    <>
      <section class="banner" aria-label="Oversold orders">
        <p>One or more orders have been canceled due to product unavailability.{" "}
          <button type="button" class="link" onClick={() => dialog.current?.showModal()}>View details</button></p>
      </section>
      <dialog ref={dialog} aria-labelledby="oversold-title" class="popup">
        <h2 id="oversold-title">Orders cancelled for lack of stock</h2>
        <p>Please confirm whether each product is out of stock; if it is, take it down from TikTok Shop.</p>
        {problem !== null && <p class="error" role="alert">{problem}</p>}
        <div role="tablist" aria-label="Oversold details" class="tabs">
          <button type="button" role="tab" aria-selected={tab === "orders"} onClick={() => setTab("orders")}>Cancelled orders ({alerts.length})</button>
          <button type="button" role="tab" aria-selected={tab === "products"} onClick={() => setTab("products")}>Products ({products.length})</button>
        </div>
        <div role="tabpanel" aria-label={tab === "orders" ? "Cancelled orders" : "Products"}>
          {tab === "orders" ? (
            <table>
              <thead><tr><th scope="col">TikTok order</th><th scope="col">Cancelled</th><th scope="col">Products</th><th scope="col">Action</th></tr></thead>
              <tbody>{alerts.map((a) => (
                <tr key={a.tiktok_order_id}>
                  <td>{a.tiktok_order_id}</td>
                  <td><time dateTime={a.created_at}>{new Date(a.created_at).toLocaleString()}</time></td>
                  <td>{a.products.map((p) => p.seller_sku || p.product_name).join(", ")}</td>
                  <td><button type="button" class="secondary" aria-label={`Checked: order ${a.tiktok_order_id}`}
                    onClick={() => void checked(a.tiktok_order_id)}>Checked</button></td>
                </tr>
              ))}</tbody>
            </table>
          ) : (
            <table>
              <thead><tr><th scope="col">Product</th><th scope="col">Seller SKU</th><th scope="col">TikTok product</th><th scope="col">Order</th></tr></thead>
              <tbody>{products.map((p) => (
                <tr key={`${p.order}-${p.tiktok_sku_id}`}>
                  <td>{p.product_name}</td><td>{p.seller_sku}</td><td>{p.tiktok_product_id}</td><td>{p.order}</td>
                </tr>
              ))}</tbody>
            </table>
          )}
        </div>
        <div class="actions">
          <a class="button" href={sellerCenter(region)} target="_blank" rel="noopener noreferrer">Process to TikTok Shop (opens a new tab)</a>
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>Close</button>
        </div>
      </dialog>
    </>
  );
}
