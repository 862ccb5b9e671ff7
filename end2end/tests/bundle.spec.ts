import { expect, test } from "@playwright/test";
import { logIn, open } from "./helpers";

// Issue 7: the catalog pages load only the main WASM; the cart and the
// checkout fetch their own chunks (storefront lazy routes are named Shop…),
// never an admin screen's; an admin screen fetches its own when staff open it.
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
  expect(wasm.some((p) => p.includes("split___shop_cart_route_view"))).toBe(true);
  expect(wasm.some((p) => p.includes("split___shop_checkout_route_view"))).toBe(true);
  expect(wasm.filter((p) => p.includes("/pkg/split_") && !p.includes("split___shop_"))).toEqual([]);

  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin|\/account|\/$/);
  await open(page, "/admin/orders");
  await expect(page.getByTestId("orders-search")).toBeVisible();
  expect(wasm.some((p) => p.includes("split___orders_route_view"))).toBe(true);
});
