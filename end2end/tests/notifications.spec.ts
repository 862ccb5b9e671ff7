import { expect, test } from "@playwright/test";
import { addAnInStockProduct, logIn, open, uniqueEmail } from "./helpers";

// ORD-5: a manager sees the outbox with each message's state and edits a
// template; a template with a typo is refused with the reason.
test("a manager sees sent messages in the outbox and edits a template", async ({ page, browser }, info) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  const email = uniqueEmail("outbox", info);
  await page.getByTestId("checkout-name").fill("Outbox Buyer");
  await page.getByTestId("checkout-phone").fill("+7 916 555-00-33");
  await page.getByTestId("checkout-email").fill(email);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Примерная, 2");
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-place").click();
  await expect(page.getByTestId("order-thanks")).toBeVisible();

  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const admin = await staff.newPage();
  await logIn(admin, "manager@lavka.local", "lavka-demo-pass");
  await expect(admin).toHaveURL(/\/account|\/admin|\/$/);
  await open(admin, "/admin/notifications");
  const row = admin.getByTestId("outbox-row").filter({ hasText: email });
  await expect(async () => {
    await admin.reload();
    await expect(row.getByTestId("outbox-status")).toContainText("sent", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });

  // The Russian "cancelled" SMS: a misspelt placeholder is refused, then fixed.
  const template = admin.getByTestId("template-order_cancelled-sms-ru");
  await template.locator("summary").click();
  const body = template.getByTestId("template-body");
  await body.fill("Заказ №{{numbr}} отменён.");
  await template.getByTestId("template-save").click();
  await expect(template.getByTestId("template-problem")).toContainText("{{numbr}}");
  await body.fill("Заказ №{{number}} отменён. Вопросы: {{order_url}}");
  await template.getByTestId("template-save").click();
  await expect(template.getByTestId("template-saved")).toBeVisible();
  await admin.reload();
  await expect(admin.locator("body")).toHaveAttribute("data-hydrated", "true");
  const reopened = admin.getByTestId("template-order_cancelled-sms-ru");
  await reopened.locator("summary").click();
  await expect(reopened.getByTestId("template-body")).toHaveValue("Заказ №{{number}} отменён. Вопросы: {{order_url}}");
  await staff.close();
});
