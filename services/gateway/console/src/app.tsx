import { useEffect, useState } from "preact/hooks";
import { api, rememberCsrf, type Schemas } from "./api/client";
import { Connections } from "./pages/Connections";
import { HomePage } from "./pages/Home";
import { Login } from "./pages/Login";
import { OrderPage, OrdersPage } from "./pages/Orders";
import { CategoriesPage } from "./pages/categories";
import { GlobalCategoriesPage, GlobalProductsPage } from "./pages/global";
import { ProductsPage } from "./pages/Products";
import { TasksPage } from "./pages/Tasks";
import { NotificationsPage } from "./pages/notifications";
import { AcceptInvitation, ResetPassword } from "./pages/password-links";
import { SettingsPage } from "./pages/settings";
import { UsersPage } from "./pages/users";
import { go, href, type Route, useRoute } from "./route";

/** The page frame: navigation, the connection's region switcher, and the routed page. */
export function App() {
  const route = useRoute();
  const toLogin = () => go({ page: "login" });
  // Pages reached without a login: no account navigation, no "Log out".
  const open = route.page === "login" || route.page === "accept-invitation" || route.page === "reset-password";

  async function logout() {
    await api.POST("/api/v1/auth/logout");
    rememberCsrf(null);
    toLogin();
  }

  return (
    <>
      <a class="skip" href="#content">Skip to content</a>
      <header>
        <nav aria-label="Main">
          <a class="brand" href={href({ page: "connections" })}>Shopify ⇄ TikTok Shop</a>
          {"connectionId" in route && <ConnectionNav route={route} />}
          {!open && <AccountNav route={route} />}
          {!open && <button type="button" class="link" onClick={logout}>Log out</button>}
        </nav>
      </header>
      <div id="content">
        {route.page === "login" && <Login />}
        {route.page === "connections" && <Connections onUnauthorized={toLogin} />}
        {route.page === "home" && <HomePage {...route} onUnauthorized={toLogin} />}
        {route.page === "tasks" && <TasksPage {...route} onUnauthorized={toLogin} />}
        {route.page === "products" && <ProductsPage {...route} onUnauthorized={toLogin} />}
        {route.page === "orders" && <OrdersPage {...route} onUnauthorized={toLogin} />}
        {route.page === "order" && <OrderPage orderId={route.orderId} onUnauthorized={toLogin} />}
        {route.page === "categories" && <CategoriesPage {...route} onUnauthorized={toLogin} />}
        {route.page === "global" && <GlobalProductsPage {...route} onUnauthorized={toLogin} />}
        {route.page === "global-categories" && <GlobalCategoriesPage {...route} onUnauthorized={toLogin} />}
        {route.page === "settings" && <SettingsPage {...route} onUnauthorized={toLogin} />}
        {route.page === "users" && <UsersPage onUnauthorized={toLogin} />}
        {route.page === "notifications" && <NotificationsPage onUnauthorized={toLogin} />}
        {route.page === "accept-invitation" && <AcceptInvitation token={route.token} />}
        {route.page === "reset-password" && <ResetPassword token={route.token} />}
      </div>
    </>
  );
}

type ConnectionRoute = Extract<Route, { connectionId: string }>;
type NavPage = Exclude<ConnectionRoute["page"], "order">;
const PAGES: [NavPage, string][] = [
  ["home", "Home"], ["products", "Products"], ["categories", "Categories"], ["orders", "Orders"], ["tasks", "Tasks"],
  ["settings", "Settings"],
];
const GLOBAL_PAGES: [NavPage, string][] = [["global", "Global Products"], ["global-categories", "Global Categories"]];
const EU = new Set(["DE", "FR", "ES", "IT", "IE"]);

/** The account's pages, beside every connection's. */
function AccountNav({ route }: { route: Route }) {
  return (
    <>
      {(["users", "notifications"] as const).map((page) => (
        <a key={page} href={href({ page })} aria-current={route.page === page ? "page" : undefined}>
          {page === "users" ? "Users" : "Email notifications"}</a>
      ))}
    </>
  );
}

function ConnectionNav({ route }: { route: ConnectionRoute }) {
  const [connection, setConnection] = useState<Schemas["ConnectionView"] | null>(null);
  useEffect(() => {
    void api.GET("/api/v1/connections/{connection_id}", {
      params: { path: { connection_id: route.connectionId } },
    }).then(({ data }) => setConnection(data ?? null));
  }, [route.connectionId]);
  const at = (page: NavPage) => href({ page, connectionId: route.connectionId, region: route.region });
  const current = route.page === "order" ? "orders" : route.page;
  // Global Products exist for EU regions only (the guide: "When you connect multiple EU regions").
  const pages = connection?.regions.some((r) => EU.has(r.region)) ? [...PAGES, ...GLOBAL_PAGES] : PAGES;
  return (
    <>
      <span class="muted">{connection?.name}</span>
      {pages.map(([page, label]) => (
        <a key={page} href={at(page)} aria-current={current === page ? "page" : undefined}>{label}</a>
      ))}
      {connection !== null && connection.regions.length > 0 && (
        <label class="inline">Region{" "}
          <select value={route.region ?? connection.regions[0]?.region}
            onChange={(e) => go({ page: current, connectionId: route.connectionId, region: e.currentTarget.value })}>
            {connection.regions.map((r) => <option key={r.region} value={r.region}>{r.region}</option>)}
          </select>
        </label>
      )}
    </>
  );
}
