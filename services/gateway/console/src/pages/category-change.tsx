// Change a category by hand: search the region's TikTok category tree and pick a leaf.
import { useState } from "preact/hooks";
import { api, reason, type Schemas } from "../api/client";
import { FormOutcome, type Outcome } from "../forms/status";
import { type CategoryScope, saveMapping } from "./category-scope";

export function ChangeCategory({ scope, sourceKey, onSaved }: { scope: CategoryScope; sourceKey: string; onSaved: () => void }) {
  const [keyword, setKeyword] = useState("");
  const [found, setFound] = useState<Schemas["TikTokCategory"][] | null>(null);
  const [chosen, setChosen] = useState<string>("");
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function search(event: Event) {
    event.preventDefault();
    const { data, error, response } = await api.GET("/api/v1/catalog/{connection_id}/tiktok/categories", {
      params: { path: { connection_id: scope.connectionId },
        query: { keyword: keyword.trim() || null, region: scope.kind === "categories" ? scope.region : null } },
    });
    if (data === undefined) return setOutcome({ text: reason(error, response.status), error: true });
    setOutcome(null);
    setFound(data.filter((c) => c.is_leaf));  // a product lists in a leaf only
  }

  async function save() {
    const leaf = found?.find((c) => c.id === chosen);
    if (leaf === undefined) return setOutcome({ text: "Choose a TikTok Shop category.", error: true });
    const saved = await saveMapping(scope, sourceKey, { tiktok_category_id: leaf.id, tiktok_category_name: leaf.name });
    setOutcome(saved ?? { text: `“${sourceKey}” now maps to ${leaf.name}.`, error: false });
    if (saved === null) onSaved();
  }

  return (
    <section aria-labelledby="change-title">
      <h3 id="change-title">Change the TikTok Shop category of “{sourceKey}”</h3>
      <form class="inline" role="search" onSubmit={search}>
        <label for="category-keyword">TikTok Shop category</label>
        <input id="category-keyword" type="search" value={keyword} onInput={(e) => setKeyword(e.currentTarget.value)} />
        <button type="submit">Search categories</button>
      </form>
      {found !== null && (
        <fieldset>
          <legend>Categories{found.length === 0 ? ": none found" : ""}</legend>
          {found.map((c) => (
            <label key={c.id} class="choice">
              <input type="radio" name="tiktok-category" value={c.id} checked={chosen === c.id}
                onChange={() => setChosen(c.id)} /> {c.name}
            </label>
          ))}
        </fieldset>
      )}
      <FormOutcome outcome={outcome} />
      <button type="button" disabled={found === null} onClick={save}>Save category</button>
    </section>
  );
}
