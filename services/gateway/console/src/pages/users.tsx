import { useEffect, useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { Choice, Field, Outcome } from "../fields";
import { useSaving } from "../saving";

type User = Schemas["UserView"];

/** The guide's User Management: every user of the account. The owner adds one by name and
 * email (an invitation is mailed), edits a name, deletes one (undone by adding the email
 * again); an admin sees the list and changes nothing, as the API allows. */
export function UsersPage({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [me, setMe] = useState<Schemas["Me"] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    void (async () => {
      // The list and who is asking, at once.
      const [list, self] = await Promise.all([api.GET("/api/v1/users"), api.GET("/api/v1/auth/me")]);
      if (list.response.status === 401) return onUnauthorized();
      if (list.data === undefined) return setError(reason(list.error, list.response.status));
      setUsers(list.data);
      setMe(self.data ?? null);
    })();
  }, [reload]);

  const owner = me?.role === "owner";
  const changed = () => setReload((n) => n + 1);
  return (
    <main>
      <h1>Users</h1>
      {error !== null && <p class="error" role="alert">{error}</p>}
      {me !== null && !owner && <p class="notice">Only an owner of the account can add, edit or delete users.</p>}
      {users === null ? <p aria-busy="true">Loading…</p> : (
        <table>
          <caption class="visually-hidden">Users of the account</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th>
            {owner && <th scope="col">Actions</th>}</tr></thead>
          <tbody>{users.map((u) => <UserLine key={u.user_id} user={u} editable={owner} self={u.user_id === me?.user_id}
            onChanged={changed} onUnauthorized={onUnauthorized} />)}</tbody>
        </table>
      )}
      {owner && <NewUserForm onAdded={changed} onUnauthorized={onUnauthorized} />}
    </main>
  );
}

function UserLine({ user, editable, self, onChanged, onUnauthorized }: {
  user: User; editable: boolean; self: boolean; onChanged: () => void; onUnauthorized: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(user.name);
  const saving = useSaving(onUnauthorized);
  const path = { user_id: user.user_id };
  const id = `name-${user.user_id}`;

  async function rename(event: Event) {
    event.preventDefault();
    const saved = await saving.save(() => api.PATCH("/api/v1/users/{user_id}", { params: { path }, body: { name } }), "Name saved.", "name");
    if (saved !== undefined) { setEditing(false); onChanged(); }
  }

  async function remove() {
    if (!window.confirm(`Delete ${user.name} (${user.email})? Adding the email again undoes it.`)) return;
    if (await saving.save(() => api.DELETE("/api/v1/users/{user_id}", { params: { path } }), "User deleted.") !== undefined) onChanged();
  }

  return (
    <tr>
      <td>{editing ? (
        <form onSubmit={rename} noValidate class="inline">
          <Field id={id} label={`New name for ${user.email}`} value={name} onInput={setName} error={saving.errors["name"]} autocomplete="off" />
          <button type="submit" disabled={saving.busy}>Save</button>
          <button type="button" class="secondary" onClick={() => { setEditing(false); setName(user.name); saving.clear(); }}>Cancel</button>
        </form>
      ) : user.name}</td>
      <td>{user.email}</td>
      <td>{user.role}</td>
      <td><span class={`status status-${user.status}`}>{user.status}</span></td>
      {editable && (
        <td class="actions">
          {!editing && <button type="button" class="secondary" onClick={() => setEditing(true)}>
            Edit<span class="visually-hidden"> {user.email}</span></button>}
          {!self && <button type="button" class="danger" onClick={remove}>Delete<span class="visually-hidden"> {user.email}</span></button>}
          <Outcome saved={null} problem={saving.problem} />
        </td>
      )}
    </tr>
  );
}

function NewUserForm({ onAdded, onUnauthorized }: { onAdded: () => void; onUnauthorized: () => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Schemas["Role"]>("admin");
  const saving = useSaving(onUnauthorized);

  async function submit(event: Event) {
    event.preventDefault();
    const added = await saving.save(() => api.POST("/api/v1/users", { body: { name, email, role } }),
      `Invitation mailed to ${email}: the link in it sets a password (valid 7 days).`, "email");
    if (added !== undefined) { setName(""); setEmail(""); setRole("admin"); onAdded(); }
  }

  return (
    <section aria-labelledby="new-user">
      <h2 id="new-user">Add a user</h2>
      <form onSubmit={submit} noValidate>
        <Field id="new-user-name" label="Name" value={name} onInput={setName} error={saving.errors["name"]} autocomplete="off" />
        <Field id="new-user-email" label="Email" type="email" value={email} onInput={setEmail} error={saving.errors["email"]} autocomplete="off" />
        <Choice name="new-user-role" legend="Role" value={role} onChange={setRole} error={saving.errors["role"]}
          options={[["admin", "Admin: sees users, changes none"], ["owner", "Owner: adds, edits and deletes users"]]} />
        <Outcome saved={saving.saved} problem={saving.problem} />
        <button type="submit" disabled={saving.busy}>Invite user</button>
      </form>
    </section>
  );
}
