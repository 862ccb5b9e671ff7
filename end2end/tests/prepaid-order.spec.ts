import { expect, test } from "@playwright/test";
import { addAnInStockProduct, amount, logIn, open } from "./helpers";

// ORD-2, ORD-6, CHK-3, LOG-3: an order paid online through the sandbox
// bank. The first card is declined and the order waits unpaid; an operator
// confirms it; the warehouse may not pick it before the money arrives; the
// shopper pays from the order page; a manager picks, packs (by scanning),
// ships it with a tracking number and delivers it with one item handed
// back at the door; the refund for that item goes back to the card through
// the provider, and the customer's page shows every step.
test("a prepaid order is confirmed, paid online, shipped and refunded for an item handed back", async ({ page, browser }, info) => {
  test.slow();
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  const digits = String(Date.now()).slice(-6) + (info.project.name === "mobile" ? "7" : "8");
  await addAnInStockProduct(page);
  await addAnInStockProduct(page, 1);
  await open(page, "/checkout");
  await page.getByTestId("checkout-name").fill(`Prepaid Shopper ${info.project.name}`);
  await page.getByTestId("checkout-phone").fill(`+7916${digits}`);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Предоплатная, 4");
  await page.getByTestId("checkout-payment-card_online").locator("input").check();
  await page.getByTestId("checkout-try-on").check();
  await page.getByTestId("checkout-place").click();
  // The first card is declined: the order is placed and waits unpaid.
  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await page.getByTestId("bank-card").fill("4000 0000 0000 0002");
  await page.getByTestId("bank-pay").click();
  await expect(page).toHaveURL(/\/order\/.*payment=return/);
  await expect(page.getByTestId("order-unpaid")).toBeVisible({ timeout: 15_000 });
  const number = ((await page.getByTestId("order-number").textContent()) ?? "").replace(/\D/g, "");
  const customerPage = page.url().split("?")[0];

  // The operator confirms it after a call.
  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const operator = await staff.newPage();
  await logIn(operator, "operator@lavka.local", "lavka-demo-pass");
  await expect(operator).toHaveURL(/\/admin|\/account|\/$/);
  await open(operator, `/admin/orders/${number}`);
  await operator.getByTestId("order-action-confirm").click();
  await expect(operator.getByTestId("staff-order-status")).toHaveText("Confirmed");
  await staff.close();

  // Not paid yet: the manager cannot start picking it.
  const office = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const manager = await office.newPage();
  await logIn(manager, "manager@lavka.local", "lavka-demo-pass");
  await expect(manager).toHaveURL(/\/admin|\/account|\/$/);
  await open(manager, `/admin/orders/${number}`);
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Confirmed");
  await expect(manager.getByTestId("order-action-start_picking")).toHaveCount(0);

  // The shopper pays from the order page with a good card.
  await open(page, customerPage);
  await page.getByTestId("order-pay").click();
  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await page.getByTestId("bank-pay").click();
  await expect(page).toHaveURL(/\/order\//);
  await expect(page.getByTestId("order-paid")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("order-status")).toHaveText("Paid");
  const total = amount(await page.getByTestId("order-total").textContent());

  // The manager picks, packs by scanning and ships it.
  await open(manager, `/admin/orders/${number}`);
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Paid");
  await manager.getByTestId("order-action-start_picking").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Being picked");
  await manager.getByTestId("order-action-pack").click();
  await expect(manager).toHaveURL(new RegExp(`/admin/warehouse/pack/${number}$`));
  const items = manager.getByTestId("pack-item");
  await expect(items).toHaveCount(2);
  for (let i = 0; i < (await items.count()); i++) {
    const cells = items.nth(i).locator("td");
    const barcode = ((await cells.nth(1).textContent()) ?? "").trim();
    const code = barcode || ((await cells.nth(0).textContent()) ?? "").trim();
    await manager.getByTestId("pack-scan").fill(code);
    await manager.getByTestId("pack-scan").press("Enter");
    await expect(items.nth(i).getByTestId("pack-count")).toHaveText("1 / 1");
  }
  await manager.getByTestId("pack-submit").click();
  await expect(manager.getByTestId("pack-done")).toBeVisible();
  await open(manager, `/admin/orders/${number}`);
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Packed");
  await manager.getByTestId("order-tracking-input").fill(`PP${number}`);
  await manager.getByTestId("order-action-ship").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Shipped");

  // Delivered with try-on: the first item is handed back at the door.
  await manager.getByTestId("order-return-qty").first().fill("1");
  await manager.getByTestId("order-action-deliver").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Delivered");
  const refunded = amount(await manager.getByTestId("staff-order-refunded").textContent());
  expect(refunded).toBeGreaterThan(0);
  expect(refunded).toBeLessThan(total);
  await office.close();

  // The refund goes back to the card through the provider; the customer sees it all.
  await expect
    .poll(
      async () => {
        await open(page, customerPage);
        return (await page.getByTestId("order-timeline").textContent()) ?? "";
      },
      { timeout: 30_000 },
    )
    .toContain("Refund paid back to the card");
  const timeline = page.getByTestId("order-timeline");
  for (const step of ["Payment failed", "Confirmed", "Paid", "Being picked", "Packed", "Shipped", "Delivered"]) {
    await expect(timeline).toContainText(step);
  }
  expect(amount(await page.getByTestId("order-refunded").textContent())).toBe(refunded);
  await expect(page.getByTestId("order-line-returned")).toHaveCount(1);
});
