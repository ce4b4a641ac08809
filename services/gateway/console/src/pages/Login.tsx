import { useState } from "preact/hooks";
import { api, reason, rememberCsrf } from "../api/client";
import { go, href } from "../route";

/** The guide's login: email and password; a wrong one says so without saying which. */
export function Login() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    const { data, error: failed, response } = await api.POST("/api/v1/auth/login", {
      body: { email, password },
    });
    setBusy(false);
    if (data === undefined) {
      setError(reason(failed, response.status));
      return;
    }
    rememberCsrf(data.csrf_token);
    go({ page: "connections" });
  }

  return (
    <main class="narrow">
      <h1>Log in</h1>
      <form onSubmit={submit} noValidate>
        <label for="email">Email</label>
        <input id="email" type="email" autocomplete="username" required value={email}
          onInput={(e) => setEmail(e.currentTarget.value)} />
        <label for="password">Password</label>
        <input id="password" type="password" autocomplete="current-password" required
          value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        {error !== null && <p class="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{busy ? "Logging in…" : "Log in"}</button>
      </form>
      <p><a href={href({ page: "reset-password", token: null })}>Forgot your password?</a></p>
    </main>
  );
}
