// One way to send a form and show what the API said: a 422 naming fields puts each message under
// its field; another reason goes under the field the form names for it, or in the form's outcome.
import { useState } from "preact/hooks";
import { fieldErrors, reason } from "./api/client";
import type { Errors } from "./fields";

type Answer<T> = { data?: T; error?: unknown; response: Response };

export type Saving = {
  errors: Errors;
  problem: string | null;
  saved: string | null;
  busy: boolean;
  /** Send `call`; on success say `done` and return the answer's data (`true` for no content). */
  save: <T>(call: () => Promise<Answer<T>>, done: string, reasonAt?: string) => Promise<T | true | undefined>;
  clear: () => void;
};

export function useSaving(onUnauthorized?: () => void): Saving {
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function clear() {
    setErrors({}); setProblem(null); setSaved(null);
  }

  async function save<T>(call: () => Promise<Answer<T>>, done: string, reasonAt?: string) {
    setBusy(true);
    clear();
    const { data, error, response } = await call();
    setBusy(false);
    if (response.status === 401 && onUnauthorized !== undefined) {
      onUnauthorized();
      return undefined;
    }
    if (!response.ok) {
      const named = fieldErrors(error);
      if (Object.keys(named).length > 0) setErrors(named);
      else if (reasonAt !== undefined) setErrors({ [reasonAt]: reason(error, response.status) });
      else setProblem(reason(error, response.status));
      return undefined;
    }
    setSaved(done);
    return data ?? true;
  }

  return { errors, problem, saved, busy, save, clear };
}
