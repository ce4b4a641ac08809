import { useEffect, useState } from "preact/hooks";
import { PAGE, Pager } from "../paging";
import { api, reason, type Schemas } from "../api/client";
import { Invoices } from "../orders/invoices";
import { MissedOrders } from "../orders/missed-orders";
import { OversoldBanner } from "../orders/oversold";
import { href } from "../route";

type Order = Schemas["OrderView"];
type Tab = "fulfilled" | "unfulfilled" | "unsynced" | "cancelled";
const TABS: [Tab, string][] = [
  ["unfulfilled", "Unfulfilled"], ["fulfilled", "Fulfilled"], ["unsynced", "Unsynced"], ["cancelled", "Cancelled"],
];

/** The guide's Orders: the oversold banner, tabs with counts, search by TikTok order id, each
 * order's link to its detail (history, retry log, retry), Brazil's invoices, Sync missed orders.
 * Each part reads its own API at once (no part waits for another). */
export function OrdersPage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [tab, setTab] = useState<Tab>("unfulfilled");
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<Schemas["OrderPage"] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const { data, error: failed, response } = await api.GET("/api/v1/orders", {
        params: { query: { connection_id: connectionId, region, state: search ? null : tab,
          tiktok_order_id: search || null, limit: PAGE, offset } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setError(reason(failed, response.status));
      setError(null);
      setPage(data);
    })();
  }, [connectionId, region, tab, search, offset]);

  const count = search ? (page?.orders.length ?? 0) : (page?.counts[tab] ?? 0);
  return (
    <main>
      <h1>Orders</h1>
      <OversoldBanner connectionId={connectionId} region={region} onUnauthorized={onUnauthorized} />
      <div role="tablist" aria-label="Order status" class="tabs">
        {TABS.map(([state, label]) => (
          <button key={state} type="button" role="tab" aria-selected={!search && tab === state}
            onClick={() => { setTab(state); setSearch(""); setQuery(""); setOffset(0); }}>
            {label}{page === null ? "" : ` (${page.counts[state] ?? 0})`}
          </button>
        ))}
      </div>
      <form class="inline" role="search" onSubmit={(e) => { e.preventDefault(); setOffset(0); setSearch(query.trim()); }}>
        <label for="order-id">TikTok order id</label>
        <input id="order-id" value={query} inputMode="numeric" onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="submit">Search</button>
      </form>
      {error !== null && <p class="error" role="alert">{error}</p>}
      {page === null ? <p aria-busy="true">Loading…</p> : page.orders.length === 0 ? <p>No order here.</p> : (
        <table>
          <caption class="visually-hidden">Orders: {count}</caption>
          <thead><tr><th scope="col">TikTok order</th><th scope="col">Shopify order</th><th scope="col">Total</th>
            <th scope="col">Status</th><th scope="col">Sync</th></tr></thead>
          <tbody>{page.orders.map((o) => <OrderLine key={o.tiktok_order_id} order={o} connectionId={connectionId} region={region} />)}</tbody>
        </table>
      )}
      {!search && (
        <Pager offset={offset} count={count} onOffset={setOffset} />
      )}
      <Invoices connectionId={connectionId} region={region} onUnauthorized={onUnauthorized} />
      <MissedOrders connectionId={connectionId} region={region} onUnauthorized={onUnauthorized} />
    </main>
  );
}

function OrderLine({ order, connectionId, region }: { order: Order; connectionId: string; region: string | null }) {
  return (
    <tr>
      <td><a href={href({ page: "order", connectionId, region, orderId: order.tiktok_order_id })}>{order.tiktok_order_id}</a></td>
      <td>{order.shopify_order_name ?? "—"}</td>
      <td>{order.total !== null && order.total !== undefined ? `${order.total} ${order.currency ?? ""}` : "—"}</td>
      <td>{order.status.replaceAll("_", " ").toLowerCase()}{order.held ? " (held)" : ""}</td>
      <td>
        <span class={`status status-${order.relay_state}`}>{order.relay_state.replaceAll("_", " ")}</span>
        {order.failure_reason && <div class="error">{order.failure_reason}</div>}
        {order.address_notice && <div class="muted">{order.address_notice}</div>}
      </td>
    </tr>
  );
}

/** One order: its state, history (the retry log included) and, when it is not in Shopify, Retry. */
export function OrderPage({ orderId, onUnauthorized }: { orderId: string; onUnauthorized: () => void }) {
  const [order, setOrder] = useState<Schemas["OrderDetail"] | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    void (async () => {
      const { data, error, response } = await api.GET("/api/v1/orders/{tiktok_order_id}", {
        params: { path: { tiktok_order_id: orderId } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setMessage({ text: reason(error, response.status), error: true });
      setOrder(data);
    })();
  }, [orderId, reload]);

  async function retry() {
    const { data, error, response } = await api.POST("/api/v1/orders/{tiktok_order_id}/retry", {
      params: { path: { tiktok_order_id: orderId } },
    });
    if (data === undefined) return setMessage({ text: reason(error, response.status), error: true });
    setMessage({ text: "Retry queued: the order is sent to Shopify again.", error: false });
    setReload((n) => n + 1);
  }

  return (
    <main>
      <h1>Order {orderId}</h1>
      {message !== null && <p class={message.error ? "error" : "notice"} role={message.error ? "alert" : "status"}>{message.text}</p>}
      {order === null ? <p aria-busy="true">Loading…</p> : (
        <>
          <dl class="facts">
            <dt>Status on TikTok Shop</dt><dd>{order.status}</dd>
            <dt>Shopify order</dt><dd>{order.shopify_order_name ?? "not in Shopify yet"}</dd>
            <dt>Sync</dt><dd>{order.relay_state.replaceAll("_", " ")} ({order.relay_attempts} attempts)</dd>
            {order.failure_reason && <><dt>Why it is not in Shopify</dt><dd class="error">{order.failure_reason}</dd></>}
            <dt>Fulfilment</dt><dd>{order.fulfillment_status}{order.fulfillment_error ? `: ${order.fulfillment_error}` : ""}</dd>
          </dl>
          {order.shopify_order_id === null && <button type="button" onClick={retry}>Retry</button>}
          <h2>History</h2>
          <ol class="history">{order.history.map((h, i) => (
            <li key={i}><time dateTime={h.at}>{new Date(h.at).toLocaleString()}</time> {h.kind}: {h.message}</li>
          ))}</ol>
        </>
      )}
    </main>
  );
}
