import { expect, test } from "@playwright/test";
import { addAnInStockProduct, amount, logIn, open, sentMessages } from "./helpers";

// ORD-6: the customer calls before their order is picked; the operator
// changes it: one more unit, a second product found by name, and the
// delivery moved from the courier to a pickup point (a missing address is
// refused on the way). Every change is priced before saving; after saving,
// the order page, the timeline, the customer's page and the SMS all show
// the new order.
test("an operator changes an order's goods and delivery before it is picked", async ({ page, browser }, info) => {
  test.slow();
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  const digits = String(Date.now()).slice(-6) + (info.project.name === "mobile" ? "5" : "6");
  const phone = `+7916${digits}`;
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  await page.getByTestId("checkout-name").fill(`Edit Shopper ${info.project.name}`);
  await page.getByTestId("checkout-phone").fill(phone);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Первая, 1");
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-place").click();
  await expect(page).toHaveURL(/\/order\//);
  const number = ((await page.getByTestId("order-number").textContent()) ?? "").replace(/\D/g, "");
  const customerPage = page.url();
  const placedTotal = amount(await page.getByTestId("order-total").textContent());
  // The second product, to be found by name on the edit page.
  const second = await addAnInStockProduct(page, 1);

  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const operator = await staff.newPage();
  await logIn(operator, "operator@lavka.local", "lavka-demo-pass");
  await expect(operator).toHaveURL(/\/admin|\/account|\/$/);
  await open(operator, `/admin/orders/${number}`);
  await operator.getByTestId("order-edit-open").click();
  await expect(operator).toHaveURL(new RegExp(`/admin/orders/${number}/edit$`));
  await expect(operator.getByTestId("order-edit-line")).toHaveCount(1);
  await expect.poll(async () => amount(await operator.getByTestId("order-edit-total").textContent())).toBe(placedTotal);

  // One more unit: priced at once, nothing saved yet.
  await operator.getByTestId("order-edit-quantity").fill("2");
  await operator.getByTestId("order-edit-quantity").press("Tab");
  await expect(operator.getByTestId("order-edit-changes")).toContainText("+1 ×");
  await expect.poll(async () => amount(await operator.getByTestId("order-edit-total").textContent())).toBeGreaterThan(placedTotal);

  // A second product, found by name.
  await operator.getByTestId("order-edit-find-product").fill(second);
  await operator.getByTestId("order-edit-find-product-go").click();
  await operator.locator('[data-testid="order-edit-add"]:not([disabled])').first().click();
  await expect(operator.getByTestId("order-edit-line")).toHaveCount(2);
  await expect(operator.getByTestId("order-edit-line").last()).toContainText(second);

  // The courier needs an address: an emptied one is refused, with checkout's message.
  await operator.getByTestId("order-edit-address").fill("");
  await operator.getByTestId("order-edit-address").press("Tab");
  await expect(operator.getByTestId("order-edit-problem")).toHaveText("Enter the street, house and flat.");
  await operator.getByTestId("order-edit-address").fill("ул. Вторая, 2");
  await operator.getByTestId("order-edit-address").press("Tab");
  await expect(operator.getByTestId("order-edit-problem")).toHaveCount(0);

  // Then to a pickup point instead.
  await operator.getByTestId("order-edit-delivery-pickup").locator("input").check();
  await expect(operator.getByTestId("order-edit-pickup")).toBeVisible();
  await expect(operator.getByTestId("order-edit-problem")).toHaveText("Choose a pickup point.");
  await operator.getByTestId("order-edit-pickup").selectOption({ index: 1 });
  await expect(operator.getByTestId("order-edit-problem")).toHaveCount(0);
  await expect(operator.getByTestId("order-edit-changes")).toContainText("delivery:");
  const newTotal = amount(await operator.getByTestId("order-edit-total").textContent());
  await operator.getByTestId("order-edit-reason").fill("The customer called");
  await operator.getByTestId("order-edit-save").click();

  // Saved: the order page and its timeline.
  await expect(operator).toHaveURL(new RegExp(`/admin/orders/${number}$`));
  await expect.poll(async () => amount(await operator.getByTestId("staff-order-total").textContent())).toBe(newTotal);
  await expect(operator.getByTestId("staff-order-timeline")).toContainText("Order changed");
  await expect(operator.getByTestId("staff-order-timeline")).toContainText("The customer called");
  await staff.close();

  // The customer sees the new goods, total and pickup point, and gets an SMS.
  await open(page, customerPage);
  await expect(page.getByTestId("order-line")).toHaveCount(2);
  expect(amount(await page.getByTestId("order-total").textContent())).toBe(newTotal);
  await expect(page.getByTestId("order-delivery")).toContainText(/pickup/i);
  await expect
    .poll(async () => (await sentMessages()).sms.filter((m) => m.to === phone && m.text.includes(`Order ${number} changed`)).length, {
      timeout: 20_000,
    })
    .toBe(1);
});
