import { expect, Page, TestInfo } from "@playwright/test";

/** A fresh e-mail per test and project, so parallel runs never collide. */
export function uniqueEmail(prefix: string, info: TestInfo): string {
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}-${info.project.name}-${Date.now()}-${rand}@example.com`;
}

/** Opens a page and waits until the WASM app has hydrated it. */
export async function open(page: Page, path: string) {
  const response = await page.goto(path);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  return response;
}

/** The page fits the screen's width: wide tables scroll in their own box,
 * the page itself never sideways (on a phone it would zoom out). */
export async function expectNoSidewaysScroll(page: Page) {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    screen: document.documentElement.clientWidth,
  }));
  expect(widths.page, "page wider than the screen").toBeLessThanOrEqual(widths.screen);
}

export async function logIn(page: Page, email: string, password: string) {
  await open(page, "/login");
  await page.getByLabel(/^E-mail$/).fill(email);
  await page.locator("#login-password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

export async function logOut(page: Page) {
  await open(page, "/account");
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("account-link")).toHaveText("Log in");
}

/** Adds the `nth` most expensive in-stock clothing product to the cart; returns its name. */
export async function addAnInStockProduct(page: Page, nth = 0): Promise<string> {
  await open(page, "/c/clothing?in_stock=1&sort=price_desc");
  await page.getByTestId("product-card").nth(nth).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/p\//);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const name = (await page.getByTestId("product-name").textContent()) ?? "";
  const add = page.getByTestId("add-to-cart");
  const colours = page.locator('[data-testid^="option-color-"]');
  for (let i = 0; (await add.isDisabled()) && i < (await colours.count()); i++) {
    await colours.nth(i).click();
  }
  await add.click();
  await expect(page.getByTestId("added-note")).toBeVisible();
  return name;
}

/** Money as shown ("12 990,50 ₽" or "₽12,990.50") as a number. */
export function amount(text: string | null): number {
  const cleaned = (text ?? "").replace(/[^\d.,]/g, "");
  // A comma followed by exactly two digits at the end is the decimal separator.
  const normalised = /,\d{2}$/.test(cleaned) ? cleaned.replace(/\./g, "").replace(",", ".") : cleaned.replace(/,/g, "");
  return Number(normalised);
}

export type SentEmail = { to: string; subject: string; messageId: string; raw: string };
export type SentSms = { key: string; id: string; to: string; text: string };

/** The e-mails and SMS the shop has sent to the local sink (ORD-5). */
export async function sentMessages(): Promise<{ emails: SentEmail[]; sms: SentSms[] }> {
  const sink = process.env.SINK_URL ?? "http://127.0.0.1:3126";
  const response = await fetch(`${sink}/messages`);
  return response.json();
}

// A 1×1 PNG: the upload paths decode, resize and store it like any photo.
export const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
  "base64",
);
