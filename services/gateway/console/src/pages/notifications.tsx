import { useEffect, useState } from "preact/hooks";
import { api, reason } from "../api/client";
import { Outcome, Switch } from "../fields";
import { useSaving } from "../saving";

// The guide's limit; the API refuses more with its reason.
const MOST = 5;

/** The guide's Email Notification: on or off for every connection of the account, and up to
 * five "Send emails to" addresses (pre-filled with the owner's until saved). */
export function NotificationsPage({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [enabled, setEnabled] = useState(true);
  const [emails, setEmails] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const saving = useSaving(onUnauthorized);

  useEffect(() => {
    void (async () => {
      const { data, error: failed, response } = await api.GET("/api/v1/notifications/settings");
      if (response.status === 401) return onUnauthorized();
      if (data === undefined) return setError(reason(failed, response.status));
      setEnabled(data.enabled); setEmails(data.send_emails_to.length > 0 ? data.send_emails_to : [""]);
    })();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    if (emails === null) return;
    const body = { enabled, send_emails_to: emails.map((e) => e.trim()).filter(Boolean) };
    const saved = await saving.save(() => api.PUT("/api/v1/notifications/settings", { body }), "Email notification settings saved.");
    if (saved !== undefined && saved !== true) setEmails(saved.send_emails_to.length > 0 ? saved.send_emails_to : [""]);
  }

  return (
    <main>
      <h1>Email notifications</h1>
      {error !== null && <p class="error" role="alert">{error}</p>}
      {emails === null ? <p aria-busy="true">Loading…</p> : (
        <form onSubmit={submit} noValidate>
          <Switch id="enabled" label="Email notifications" checked={enabled} onChange={setEnabled}
            hint="On: failed orders, oversold cancellations, authorizations revoked or about to end and push failures are mailed. This applies to every connection." />
          <fieldset aria-describedby={saving.problem !== null ? "recipients-error" : undefined}>
            <legend>Send emails to</legend>
            {emails.map((address, i) => (
              <div key={i} class="inline recipient">
                <label for={`recipient-${i}`}>Email {i + 1}</label>
                <input id={`recipient-${i}`} type="email" value={address} autocomplete="email"
                  onInput={(e) => setEmails(emails.map((x, j) => (j === i ? e.currentTarget.value : x)))} />
                <button type="button" class="secondary" onClick={() => setEmails(emails.filter((_, j) => j !== i))}>
                  Remove<span class="visually-hidden"> email {i + 1}</span></button>
              </div>
            ))}
            {emails.length < MOST && (
              <button type="button" class="secondary" onClick={() => setEmails([...emails, ""])}>Add another email</button>
            )}
            {saving.problem !== null && <p id="recipients-error" class="error" role="alert">{saving.problem}</p>}
          </fieldset>
          <Outcome saved={saving.saved} problem={null} />
          <button type="submit" disabled={saving.busy}>Save</button>
        </form>
      )}
    </main>
  );
}
