import { expect, test } from "@playwright/test";
import { addAnInStockProduct, logIn, open, sentMessages } from "./helpers";

// ORD-1, ORD-2, ORD-5, LOG-2: a shopper's cash order is found by an operator
// in /admin/orders by phone and confirmed; a manager picks, packs (shipping
// without a tracking number is refused), ships and marks it delivered; the
// customer's page shows each step and the tracking number, and the shipping
// SMS reaches the gateway.
test("an order moves from the queue to delivered and the customer sees every step", async ({ page, browser }, info) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  const seven = String(Date.now()).slice(-6) + (info.project.name === "mobile" ? "1" : "2");
  const phone = `+7916${seven}`;
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  await page.getByTestId("checkout-name").fill(`Queue Shopper ${info.project.name}`);
  await page.getByTestId("checkout-phone").fill(phone);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Очередная, 7");
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-place").click();
  await expect(page).toHaveURL(/\/order\//);
  const number = ((await page.getByTestId("order-number").textContent()) ?? "").replace(/\D/g, "");
  const customerPage = page.url();

  // The operator finds it by phone and confirms it.
  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const operator = await staff.newPage();
  await logIn(operator, "operator@lavka.local", "lavka-demo-pass");
  await expect(operator).toHaveURL(/\/admin|\/account|\/$/);
  await open(operator, "/admin/orders");
  await operator.getByTestId("orders-search").fill(seven);
  await operator.getByTestId("orders-show").click();
  await expect(operator.getByTestId("order-row")).toHaveCount(1);
  await expect(operator.getByTestId("order-row-status")).toHaveText("Received");
  // Confirmed from the queue with "confirm selected".
  await operator.getByTestId("order-select").check();
  await operator.getByTestId("orders-confirm-selected").click();
  await expect(operator.getByTestId("orders-bulk-result")).toContainText("Confirmed: 1");
  await expect(operator.getByTestId("order-row-status")).toHaveText("Confirmed");
  await operator.getByTestId("order-row-number").click();
  await expect(operator).toHaveURL(new RegExp(`/admin/orders/${number}$`));
  await expect(operator.getByTestId("staff-order-customer")).toContainText(`Queue Shopper ${info.project.name}`);
  await expect(operator.getByTestId("staff-order-status")).toHaveText("Confirmed");
  // An operator may cancel, not pick.
  await expect(operator.getByTestId("order-action-start_picking")).toHaveCount(0);
  await expect(operator.getByTestId("order-action-cancel")).toBeVisible();
  // An internal note: an empty one is refused, a real one kept.
  await operator.getByTestId("order-note-add").click();
  await expect(operator.getByTestId("order-action-error")).toHaveText("Write the note first.");
  await operator.getByTestId("order-note").fill("Customer asked to call before delivery");
  await operator.getByTestId("order-note-add").click();
  await expect(operator.getByTestId("staff-note")).toHaveCount(1);
  await expect(operator.getByTestId("staff-note")).toContainText("operator@lavka.local");
  // Delivery settings are not an operator's business.
  await open(operator, "/admin/delivery");
  await expect(operator.getByRole("heading", { level: 1 })).toContainText(/forbidden|not allowed|access/i);
  await staff.close();

  // The manager takes it through the warehouse steps.
  const office = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const manager = await office.newPage();
  await logIn(manager, "manager@lavka.local", "lavka-demo-pass");
  await expect(manager).toHaveURL(/\/admin|\/account|\/$/);
  await open(manager, `/admin/orders/${number}`);
  await expect(manager.getByTestId("staff-note")).toContainText("Customer asked to call before delivery");
  // The pick list for it (WMS-2): one line, with its order number.
  await open(manager, "/admin/orders");
  await manager.getByTestId("orders-search").fill(seven);
  await manager.getByTestId("orders-show").click();
  await expect(manager.getByTestId("order-row")).toHaveCount(1);
  await manager.getByTestId("order-select").check();
  const href = await manager.getByTestId("orders-pick-list").getAttribute("href");
  expect(href).toBe(`/admin/pick-list?orders=${number}`);
  await manager.goto(href!);
  await expect(manager.getByTestId("pick-line")).toHaveCount(1);
  await expect(manager.getByTestId("pick-line")).toContainText(number);
  await open(manager, `/admin/orders/${number}`);
  await manager.getByTestId("order-action-start_picking").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Being picked");
  await manager.getByTestId("order-action-pack").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Packed");
  await manager.getByTestId("order-action-ship").click();
  await expect(manager.getByTestId("order-action-error")).toHaveText("Enter the parcel's tracking number.");
  const tracking = `LV${number}RU`;
  await manager.getByTestId("order-tracking-input").fill(tracking);
  await manager.getByTestId("order-action-ship").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Shipped");
  await expect(manager.getByTestId("staff-order-tracking")).toHaveText(tracking);
  await expect(manager.getByTestId("order-action-error")).toHaveCount(0);

  // The customer sees it on the way, with the tracking number.
  await open(page, customerPage);
  await expect(page.getByTestId("order-status")).toHaveText("Shipped");
  await expect(page.getByTestId("order-tracking")).toHaveText(tracking);
  await expect
    .poll(async () => (await sentMessages()).sms.filter((s) => s.text.includes(tracking)).length, { timeout: 15_000 })
    .toBe(1);

  await manager.getByTestId("order-action-deliver").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Delivered");
  await expect(manager.getByTestId("staff-order-payment")).toContainText("Paid");
  const steps = manager.getByTestId("staff-order-timeline").locator("li");
  await expect(steps).toHaveCount(6);
  await open(page, customerPage);
  await expect(page.getByTestId("order-status")).toHaveText("Delivered");
  await expect(page.getByText("Customer asked to call before delivery")).toHaveCount(0);
  await office.close();
});
