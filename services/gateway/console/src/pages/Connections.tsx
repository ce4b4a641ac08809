import { useEffect, useState } from "preact/hooks";
import { api, fieldErrors, reason, type Schemas } from "../api/client";
import { Field } from "../fields";
import { href } from "../route";

type Connection = Schemas["ConnectionView"];

/** The connections list and the wizard's first step (name, Shopify store, first market). */
export function Connections({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    const { data, error: failed, response } = await api.GET("/api/v1/connections");
    if (response.status === 401) return onUnauthorized();
    if (data === undefined) return setError(reason(failed, response.status));
    setConnections(data);
  }
  useEffect(() => void load(), []);

  return (
    <main>
      <h1>Connections</h1>
      {error !== null && <p class="error" role="alert">{error}</p>}
      {connections === null ? (
        <p aria-busy="true">Loading…</p>
      ) : connections.length === 0 ? (
        <p>No connection yet: connect a Shopify store below.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Your connections</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Shopify store</th><th scope="col">Status</th>
              <th scope="col">TikTok Shop regions</th></tr>
          </thead>
          <tbody>
            {connections.map((c) => (
              <tr key={c.connection_id}>
                <td><a href={href({ page: "home", connectionId: c.connection_id, region: null })}>{c.name}</a></td>
                <td>{c.shopify_shop_domain}{c.shopify_authorized ? "" : " (not authorized)"}</td>
                <td><span class={`status status-${c.status}`}>{c.status}</span>
                  {c.authorization_problem && <div class="error">{c.authorization_problem}</div>}</td>
                <td>{c.regions.map((r) => `${r.region} (${r.status})`).join(", ") || "none yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewConnection onCreated={load} />
    </main>
  );
}

function NewConnection({ onCreated }: { onCreated: () => Promise<void> }) {
  const [name, setName] = useState("");
  const [domain, setDomain] = useState("");
  const [region, setRegion] = useState("US");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [links, setLinks] = useState<Schemas["CreatedConnection"] | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    const { data, error, response } = await api.POST("/api/v1/connections", {
      body: { name, shopify_shop_domain: domain, tiktok_region: region },
    });
    if (data === undefined) {
      setErrors(fieldErrors(error));
      setProblem(reason(error, response.status));
      return;
    }
    setErrors({});
    setProblem(null);
    setLinks(data);
    await onCreated();
  }

  return (
    <section aria-labelledby="new-connection">
      <h2 id="new-connection">Connect a Shopify store</h2>
      <form onSubmit={submit} noValidate>
        <Field id="name" label="Connection name" value={name} onInput={setName} error={errors["name"]} />
        <Field id="shopify_shop_domain" label="Shopify store (name.myshopify.com)" value={domain}
          onInput={setDomain} error={errors["shopify_shop_domain"]} />
        <Field id="tiktok_region" label="First TikTok Shop market (e.g. US, GB, DE)" value={region}
          onInput={setRegion} error={errors["tiktok_region"]} />
        {problem !== null && Object.keys(errors).length === 0 && <p class="error" role="alert">{problem}</p>}
        <button type="submit">Create connection</button>
      </form>
      {links !== null && (
        <div class="notice" role="status">
          <p>Connection “{links.connection.name}” created. Authorize both platforms:</p>
          <ol>
            <li><a href={links.shopify_authorize_url}>Authorize Shopify</a></li>
            <li><a href={links.tiktok_authorize_url}>Authorize TikTok Shop</a></li>
          </ol>
        </div>
      )}
    </section>
  );
}
