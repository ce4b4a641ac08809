// "Sync Missed Orders" (the guide): a window of TikTok order creation times; the sync is a task.
import { useState } from "preact/hooks";
import { api } from "../api/client";
import { FieldError, Outcome, Section, described } from "../fields";
import { href } from "../route";
import { useSaving } from "../saving";

const DAY_MS = 24 * 3600 * 1000;

/** A `datetime-local` value (the merchant's local time, to the minute) for a moment. */
function local(at: Date): string {
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The moment a `datetime-local` value means, for the API (a text that is none goes as is). */
function moment(value: string): string {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

export function MissedOrders({ connectionId, region, onUnauthorized }: {
  connectionId: string; region: string | null; onUnauthorized: () => void;
}) {
  const [from, setFrom] = useState(() => local(new Date(Date.now() - DAY_MS)));
  const [to, setTo] = useState(() => local(new Date(Date.now() + 60_000)));
  const [started, setStarted] = useState(false);
  const saving = useSaving(onUnauthorized);
  // The window's own check (to after from, at most 30 days) names no field: it goes under "to".
  const toError = saving.errors.created_to ?? saving.errors.body;

  async function submit(e: Event) {
    e.preventDefault();
    setStarted(false);
    const done = await saving.save(() => api.POST("/api/v1/order-syncs", {
      body: { connection_id: connectionId, region, created_from: moment(from), created_to: moment(to) },
    }), "Sync started: the orders found are sent to Shopify.");
    setStarted(done !== undefined);
  }

  return (
    <Section id="missed-orders-title" title="Sync missed orders">
      <p class="muted hint">Only orders awaiting shipment on TikTok Shop are found and synced.</p>
      <form class="grid" onSubmit={submit}>
        <div class="field">
          <label for="created_from">Created from</label>
          <input id="created_from" type="datetime-local" value={from} {...described("created_from", saving.errors.created_from)}
            onInput={(e) => setFrom(e.currentTarget.value)} />
          <FieldError id="created_from" error={saving.errors.created_from} />
        </div>
        <div class="field">
          <label for="created_to">Created to</label>
          <input id="created_to" type="datetime-local" value={to} {...described("created_to", toError)}
            onInput={(e) => setTo(e.currentTarget.value)} />
          <FieldError id="created_to" error={toError} />
        </div>
        <div><button type="submit" disabled={saving.busy}>Sync All Missed Orders</button></div>
      </form>
      <Outcome saved={saving.saved} problem={saving.problem} />
      {started && <p><a href={href({ page: "tasks", connectionId, region })}>Follow it in Tasks</a></p>}
    </Section>
  );
}
