import { expect, test } from "@playwright/test";
import { open } from "./helpers";

// CART-1, CART-2, CART-8: the cart lives in localStorage, the server prices it.
test("a shopper adds a product, changes the quantity in the cart and removes it", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await open(page, "/c/clothing?in_stock=1&sort=price_desc");
  await page.getByTestId("product-card").first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/p\//);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const name = (await page.getByTestId("product-name").textContent()) ?? "";
  const add = page.getByTestId("add-to-cart");
  const colours = page.locator('[data-testid^="option-color-"]');
  for (let i = 0; (await add.isDisabled()) && i < (await colours.count()); i++) {
    await colours.nth(i).click();
  }
  await add.click();
  await expect(page.getByTestId("cart-count")).toHaveText("1");

  await page.getByTestId("cart-link").click();
  await expect(page).toHaveURL(/\/cart$/);
  const line = page.getByTestId("cart-line");
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId("cart-line-name")).toHaveText(name);
  await expect(page.getByTestId("cart-quantity")).toHaveValue("1");
  const single = (await page.getByTestId("cart-line-total").textContent()) ?? "";
  await expect(page.getByTestId("cart-total")).toHaveText(single);

  // More: the server reprices, the header and localStorage follow.
  await page.getByTestId("cart-more").click();
  await expect(page.getByTestId("cart-quantity")).toHaveValue("2");
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  await expect(page.getByTestId("cart-line-total")).not.toHaveText(single);
  const double = (await page.getByTestId("cart-line-total").textContent()) ?? "";
  await expect(page.getByTestId("cart-total")).toHaveText(double);
  const amount = (text: string) => Number(text.replace(/[^\d.]/g, ""));
  expect(amount(double)).toBeCloseTo(2 * amount(single), 2);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("cart-quantity")).toHaveValue("2");

  await page.getByTestId("cart-remove").click();
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  await expect(page.getByTestId("cart-count")).toHaveText("0");
});

test("lines that are no longer sold are dropped with a notice", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await open(page, "/");
  await page.evaluate(() =>
    localStorage.setItem("lavka.cart", JSON.stringify({ version: 1, lines: [{ variant_id: 999999, quantity: 2 }] })),
  );
  await open(page, "/cart");
  await expect(page.getByTestId("cart-notices")).toContainText("no longer sold");
  // The stored cart is corrected too: nothing is left.
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  expect(await page.evaluate(() => localStorage.getItem("lavka.cart"))).toContain('"lines":[]');
});
