// Routing by the URL's fragment: the gateway serves one page at / and never sees console routes.
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "login" }
  | { page: "connections" }
  | { page: "users" }
  | { page: "notifications" }
  | { page: "accept-invitation"; token: string }
  | { page: "reset-password"; token: string | null }
  | { page: "home"; connectionId: string; region: string | null }
  | { page: "tasks"; connectionId: string; region: string | null }
  | { page: "products"; connectionId: string; region: string | null }
  | { page: "orders"; connectionId: string; region: string | null }
  | { page: "categories"; connectionId: string; region: string | null }
  | { page: "global"; connectionId: string; region: string | null }
  | { page: "global-categories"; connectionId: string; region: string | null }
  | { page: "settings"; connectionId: string; region: string | null }
  | { page: "order"; connectionId: string; region: string | null; orderId: string };

// Pages of a connection, by the path segment after its id.
const CONNECTION_PAGES = ["tasks", "products", "orders", "categories", "global", "global-categories", "settings"] as const;

export function parse(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(query);
  const region = params.get("region");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "login") return { page: "login" };
  if (parts[0] === "users" || parts[0] === "notifications") return { page: parts[0] };
  // The mailed links (gateway `one_time_links`): the secret rides in the fragment, never sent.
  const token = params.get("token");
  if (parts[0] === "accept-invitation" && token !== null) return { page: "accept-invitation", token };
  if (parts[0] === "reset-password") return { page: "reset-password", token };
  if (parts[0] === "connections" && parts[1] !== undefined) {
    const connectionId = parts[1];
    if (parts[2] === "orders" && parts[3] !== undefined) {
      return { page: "order", connectionId, region, orderId: parts[3] };
    }
    const page = CONNECTION_PAGES.find((p) => p === parts[2]);
    return page === undefined ? { page: "home", connectionId, region } : { page, connectionId, region };
  }
  return { page: "connections" };
}

export function href(route: Route): string {
  switch (route.page) {
    case "login":
      return "#/login";
    case "connections":
    case "users":
    case "notifications":
      return `#/${route.page}`;
    case "accept-invitation":
      return `#/accept-invitation?token=${encodeURIComponent(route.token)}`;
    case "reset-password":
      return route.token === null ? "#/reset-password" : `#/reset-password?token=${encodeURIComponent(route.token)}`;
    default: {
      const base = `#/connections/${encodeURIComponent(route.connectionId)}`;
      const path =
        route.page === "home" ? base
        : route.page === "order" ? `${base}/orders/${encodeURIComponent(route.orderId)}`
        : `${base}/${route.page}`;
      return route.region === null ? path : `${path}?region=${encodeURIComponent(route.region)}`;
    }
  }
}

export function go(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parse(window.location.hash));
  useEffect(() => {
    const changed = () => setRoute(parse(window.location.hash));
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}
