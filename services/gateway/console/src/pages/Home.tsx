import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";

type Home = Schemas["Home"];

/** The guide's Home: order figures, revenue per currency with its download, top products and
 * customers. Amounts stay per currency: they are never added together. */
export function HomePage({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [home, setHome] = useState<Home | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");

  useEffect(() => {
    void (async () => {
      const { data, error: failed, response } = await api.GET("/api/v1/home/{connection_id}", {
        params: { path: { connection_id: connectionId },
          query: { region, from: from || null, to: to || null } },
      });
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setError(reason(failed, response.status));
      setError(null);
      setHome(data);
    })();
  }, [connectionId, region, from, to]);

  const csv = new URLSearchParams();
  if (region !== null) csv.set("region", region);
  if (from) csv.set("from", from);
  if (to) csv.set("to", to);

  return (
    <main>
      <h1>Home</h1>
      <form class="inline" onSubmit={(e) => e.preventDefault()} aria-label="Period">
        <label for="from">From</label>
        <input id="from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        <label for="to">To</label>
        <input id="to" type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
      </form>
      {error !== null && <p class="error" role="alert">{error}</p>}
      {home === null ? <p aria-busy="true">Loading…</p> : (
        <>
          <section aria-labelledby="orders-heading">
            <h2 id="orders-heading">Orders</h2>
            <dl class="figures">
              <Figure label="Fulfilled" value={home.orders.fulfilled} />
              <Figure label="Unfulfilled" value={home.orders.unfulfilled} />
              <Figure label="Unsynced" value={home.orders.unsynced} />
              <Figure label="Cancelled" value={home.orders.cancelled} />
            </dl>
          </section>
          <section aria-labelledby="revenue-heading">
            <h2 id="revenue-heading">Revenue</h2>
            {home.revenue.length === 0 ? <p>No revenue in this period.</p> : (
              <dl class="figures">
                {home.revenue.map((r) => (
                  <Figure key={r.currency} label={`${r.currency} (${r.orders} orders)`} value={r.amount} />
                ))}
              </dl>
            )}
            <p><a href={`/api/v1/home/${encodeURIComponent(connectionId)}/revenue.csv?${csv}`} download>
              Download revenue (CSV)</a></p>
          </section>
          {home.top.map((t) => (
            <section key={t.currency} aria-labelledby={`top-${t.currency}`}>
              <h2 id={`top-${t.currency}`}>Top products and customers ({t.currency})</h2>
              <div class="columns">
                <table>
                  <caption>Top products</caption>
                  <thead><tr><th scope="col">Product</th><th scope="col">Amount</th><th scope="col">Count</th></tr></thead>
                  <tbody>{t.products.map((p) => (
                    <tr key={`${p.tiktok_product_id}:${p.tiktok_sku_id ?? ""}`}><td>{p.name}{p.seller_sku !== null && p.seller_sku !== undefined ? ` (${p.seller_sku})` : ""}</td><td>{p.amount}</td><td>{p.quantity}</td></tr>
                  ))}</tbody>
                </table>
                <table>
                  <caption>Top customers</caption>
                  <thead><tr><th scope="col">Buyer</th><th scope="col">Orders</th><th scope="col">Amount</th></tr></thead>
                  <tbody>{t.customers.map((c) => (
                    <tr key={c.buyer_id}><td>{c.masked_name ?? "Buyer"}</td><td>{c.orders}</td><td>{c.amount}</td></tr>
                  ))}</tbody>
                </table>
              </div>
            </section>
          ))}
        </>
      )}
    </main>
  );
}

function Figure({ label, value }: { label: string; value: number | string }) {
  return <div class="figure"><dt>{label}</dt><dd>{value}</dd></div>;
}
