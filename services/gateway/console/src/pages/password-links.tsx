import { useState } from "preact/hooks";
import { api, reason } from "../api/client";
import { Field, Outcome } from "../fields";
import { href } from "../route";
import { useSaving } from "../saving";

/** The invitation's link: the invited user sets a first password, then logs in. */
export function AcceptInvitation({ token }: { token: string }) {
  return (
    <NewPasswordForm title="Set your password" action="Set password" done="Your password is set: you can log in now."
      send={(password) => api.POST("/api/v1/auth/accept-invitation", { body: { token, password } })} />
  );
}

/** Password reset: without a token, ask for the mail; with the mailed link's token, set a new one. */
export function ResetPassword({ token }: { token: string | null }) {
  if (token !== null) {
    return (
      <NewPasswordForm title="Choose a new password" action="Save new password"
        done="Your password is changed and every session ended: log in with the new one."
        send={(password) => api.POST("/api/v1/auth/password-reset/confirm", { body: { token, password } })} />
    );
  }
  return <ResetRequest />;
}

function ResetRequest() {
  const [email, setEmail] = useState("");
  const saving = useSaving();

  async function submit(event: Event) {
    event.preventDefault();
    // The answer is the same for every address, so this page never tells who has a login.
    await saving.save(() => api.POST("/api/v1/auth/password-reset", { body: { email } }),
      "If a user has this email, a link to choose a new password is on its way (valid 1 hour).", "email");
  }

  return (
    <main class="narrow">
      <h1>Reset your password</h1>
      <form onSubmit={submit} noValidate>
        <Field id="email" label="Email" type="email" autocomplete="username" value={email} onInput={setEmail}
          error={saving.errors["email"]} />
        <Outcome saved={saving.saved} problem={saving.problem} />
        <button type="submit" disabled={saving.busy}>Mail me a link</button>
      </form>
      <p><a href={href({ page: "login" })}>Back to log in</a></p>
    </main>
  );
}

function NewPasswordForm({ title, action, done, send }: {
  title: string; action: string; done: string; send: (password: string) => Promise<{ error?: unknown; response: Response }>;
}) {
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const saving = useSaving();

  async function submit(event: Event) {
    event.preventDefault();
    setMismatch(password !== again);
    if (password !== again) return;
    // A refused password (too short) is said under it; an unusable link above the button.
    await saving.save(async () => {
      const answer = await send(password);
      return answer.response.status === 422 ? { ...answer, error: { detail: [{ loc: ["password"], msg: reason(answer.error, 422) }] } } : answer;
    }, done);
  }

  return (
    <main class="narrow">
      <h1>{title}</h1>
      {saving.saved !== null ? (
        <>
          <Outcome saved={saving.saved} problem={null} />
          <p><a href={href({ page: "login" })}>Log in</a></p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field id="new-password" label="New password (at least 12 characters)" type="password" autocomplete="new-password"
            value={password} onInput={setPassword} error={saving.errors["password"]} />
          <Field id="new-password-again" label="New password again" type="password" autocomplete="new-password"
            value={again} onInput={setAgain} error={mismatch ? "the two passwords differ" : undefined} />
          <Outcome saved={null} problem={saving.problem} />
          <button type="submit" disabled={saving.busy}>{action}</button>
        </form>
      )}
    </main>
  );
}
