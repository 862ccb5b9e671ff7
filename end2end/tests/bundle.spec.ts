import { expect, test } from "@playwright/test";
import { logIn, open } from "./helpers";

// Issue 7: the catalog pages load only the main WASM; the cart and the
// checkout fetch the storefront's module (split_shop_…), never the admin
// screens' (split_admin_…), which staff fetch when they open one; each
// needs at most one chunk of code shared between the two.
test("shoppers load no admin chunks; an admin screen loads its own", async ({ page }) => {
  const wasm: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.endsWith(".wasm")) wasm.push(url.pathname);
  });
  for (const path of ["/", "/c/clothing"]) {
    await open(page, path);
  }
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.filter((p) => !/^\/pkg\/lavka\.[^/]*\.wasm$/.test(p))).toEqual([]);
  for (const path of ["/cart", "/checkout"]) {
    await open(page, path);
  }
  const files = (prefix: string) => new Set(wasm.filter((p) => p.startsWith(`/pkg/${prefix}`))).size;
  expect(files("split_shop_")).toBe(1);
  expect(files("split_admin_")).toBe(0);
  expect(files("chunk_")).toBeLessThanOrEqual(1);

  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin|\/account|\/$/);
  await open(page, "/admin/orders");
  await expect(page.getByTestId("orders-search")).toBeVisible();
  expect(files("split_admin_")).toBe(1);
});
