import { expect, test } from "@playwright/test";
import { open } from "./helpers";

test("the language switch changes the UI text without a reload", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await open(page, "/");
  await expect(page.getByTestId("cart-link")).toContainText("Cart");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  await page.getByRole("button", { name: "Русский" }).click();
  await expect(page.getByTestId("cart-link")).toContainText("Корзина");
  await expect(page.getByTestId("account-link")).toHaveText("Войти");
  await expect(page.getByText(/Бесплатная доставка от 5\s000\s₽/)).toBeVisible();

  // The choice is remembered over the browser's Accept-Language.
  await page.reload();
  await expect(page.getByTestId("cart-link")).toContainText("Корзина");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByText("Free delivery on orders over RUB 5,000.00").first()).toBeVisible();
});

test("Russian is served to Russian browsers, with contacts in the footer", async ({ browser }) => {
  const context = await browser.newContext({ locale: "ru-RU" });
  const page = await context.newPage();
  await open(page, "/");
  await expect(page.locator("html")).toHaveAttribute("lang", "ru");
  await expect(page.getByRole("link", { name: "Войти" }).first()).toBeVisible();
  const contacts = page.getByTestId("contacts");
  await expect(contacts.getByRole("link", { name: "+7 495 123-45-67" })).toHaveAttribute("href", "tel:+74951234567");
  await expect(contacts.getByRole("link", { name: "Telegram" })).toHaveAttribute("href", "https://t.me/lavka_shop");
  await context.close();
});

test("the page hydrates: client-only interactions work", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en" });
  await open(page, "/login");
  const password = page.locator("#login-password");
  await expect(password).toHaveAttribute("type", "password");
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(password).toHaveAttribute("type", "text");
  await page.getByRole("button", { name: "Hide password" }).click();
  await expect(password).toHaveAttribute("type", "password");
});

test("the header cart count follows localStorage, across tabs too", async ({ page, context }) => {
  await open(page, "/cart");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await expect(page.getByTestId("cart-empty")).toBeVisible();

  const other = await context.newPage();
  await open(other, "/");
  await other.evaluate(() =>
    localStorage.setItem("lavka.cart", JSON.stringify({ version: 1, lines: [{ variant_id: 7, quantity: 3 }] })),
  );
  // The first tab hears the storage event and updates without a reload.
  await expect(page.getByTestId("cart-count")).toHaveText("3");
  await page.reload();
  await expect(page.getByTestId("cart-count")).toHaveText("3");
  await expect(page.getByTestId("cart-summary")).toContainText("3");
});
