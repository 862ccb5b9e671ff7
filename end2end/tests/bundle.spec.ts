import { expect, test } from "@playwright/test";
import { logIn, open } from "./helpers";

// Issue 7: the storefront downloads no admin code; an admin screen fetches
// its own WASM chunk when staff open it.
test("shoppers load no admin chunks; an admin screen loads its own", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith(".wasm")) wasm.push(url.pathname);
  });
  for (const path of ["/", "/c/clothing", "/cart", "/checkout"]) {
    await open(page, path);
  }
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.filter((p) => /\/pkg\/(split_|chunk_)/.test(p))).toEqual([]);

  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin|\/account|\/$/);
  await open(page, "/admin/orders");
  await expect(page.getByTestId("orders-search")).toBeVisible();
  expect(wasm.some((p) => p.includes("split___orders_route_view"))).toBe(true);
});
