import { expect, Page, test } from "@playwright/test";
import { addAnInStockProduct, amount, logIn, open, uniqueEmail } from "./helpers";

async function english(page: Page) {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
}

/** A phone number no other test uses: +7 916 then seven digits unique to this run and project. */
function uniquePhone(project: string, salt: string): { phone: string; digits: string } {
  const digits = String(Date.now()).slice(-5) + salt + (project === "mobile" ? "1" : "2");
  return { phone: `+7916${digits}`, digits };
}

// ORD-4: a guest asks for a call; the operator takes the order by phone from
// the callback request (the caller's cart comes along), adds goods found by
// name, is stopped by a missing address, places the order, and the order,
// its customer card and the closed callback request all point at each other.
test("an operator takes a phone order from a callback request", async ({ page, browser }, info) => {
  await english(page);
  const { phone, digits } = uniquePhone(info.project.name, "3");
  const name = `Phone Caller ${info.project.name} ${Date.now()}`;
  const product = await addAnInStockProduct(page);
  await open(page, "/cart");
  await page.getByTestId("callback").locator("summary").click();
  await page.getByTestId("callback-name").fill(name);
  await page.getByTestId("callback-phone").fill(phone);
  await page.getByTestId("callback-send").click();
  await expect(page.getByTestId("callback-done")).toBeVisible();

  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const operator = await staff.newPage();
  await logIn(operator, "operator@lavka.local", "lavka-demo-pass");
  await expect(operator).toHaveURL(/\/admin/);
  await open(operator, "/admin/callbacks");
  const request = operator.getByTestId("callback-request").filter({ hasText: name });
  await request.getByTestId("callback-take-order").click();
  await expect(operator).toHaveURL(/\/admin\/phone-order\?callback=\d+$/);
  await expect(operator.getByTestId("phone-order-callback")).toBeVisible();
  await expect(operator.getByTestId("phone-order-name")).toHaveValue(name);
  await expect(operator.getByTestId("phone-order-phone")).toHaveValue(phone);
  await expect(operator.getByTestId("phone-order-line")).toHaveCount(1);
  await expect(operator.getByTestId("phone-order-line")).toContainText(product);

  // A new caller: the CRM has nobody with this phone yet.
  await operator.getByTestId("phone-order-find-customer").fill(digits);
  await operator.getByTestId("phone-order-find-customer-go").click();
  await expect(operator.getByTestId("phone-order-no-customer")).toBeVisible();

  // One more unit of the same goods, found by name.
  const before = amount(await operator.getByTestId("phone-order-total").textContent());
  await operator.getByTestId("phone-order-find-product").fill(product);
  await operator.getByTestId("phone-order-find-product-go").click();
  await operator.locator('[data-testid="phone-order-add"]:not([disabled])').first().click();
  await expect
    .poll(async () => amount(await operator.getByTestId("phone-order-total").textContent()))
    .toBeGreaterThan(before);

  // Checkout's rules apply: no delivery, no address, no order.
  await operator.getByTestId("phone-order-place").click();
  await expect(operator.getByTestId("phone-order-form")).toContainText("Choose a delivery method.");
  await operator.getByTestId("phone-order-delivery-courier").locator("input").check();
  await operator.getByTestId("phone-order-city").fill("Москва");
  await operator.getByTestId("phone-order-place").click();
  await expect(operator.getByTestId("phone-order-form")).toContainText("Enter the street, house and flat.");
  await operator.getByTestId("phone-order-address").fill("ул. Звонковая, 9");
  await operator.getByTestId("phone-order-payment-card_on_delivery").locator("input").check();
  await operator.getByTestId("phone-order-place").click();

  await expect(operator).toHaveURL(/\/admin\/orders\/\d+$/);
  const number = operator.url().split("/").pop() ?? "";
  await expect(operator.getByTestId("staff-order-status")).toHaveText("Received");
  await expect(operator.getByTestId("staff-order-timeline")).toContainText("Taken by phone");
  await expect(operator.getByTestId("staff-order-customer")).toContainText(name);
  // On the phone, the operator confirms it straight away (ORD-4 call outcome).
  await operator.getByTestId("order-action-confirm").click();
  await expect(operator.getByTestId("staff-order-status")).toHaveText("Confirmed");
  await operator.getByTestId("staff-order-customer-card").click();
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(operator.getByTestId("customer-orders-count")).toHaveText("1");
  await expect(operator.getByTestId("customer-order")).toContainText("phone");
  await expect(operator.getByTestId("customer-order")).toContainText(number);

  // The request left the queue and points at the order.
  await open(operator, "/admin/callbacks");
  await expect(operator.getByTestId("callback-request").filter({ hasText: name })).toHaveCount(0);
  await operator.getByTestId("callbacks-all").check();
  const handled = operator.getByTestId("callback-request").filter({ hasText: name });
  await expect(handled.getByTestId("callback-order")).toHaveText(number);
  await staff.close();
});

// ORD-3: a guest's order and a new account with the same phone are two
// records; the operator keeps notes and tags and fixes contacts, a manager
// merges the two, and the list finds the customer by tag.
test("the CRM keeps customers, and a manager merges a duplicate", async ({ page, browser }, info) => {
  // A checkout, a registration and three staff sessions: more than the default 30 s on 2 cores.
  test.slow();
  await english(page);
  const { phone, digits } = uniquePhone(info.project.name, "4");
  const name = `CRM Guest ${info.project.name} ${Date.now()}`;
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  await page.getByTestId("checkout-name").fill(name);
  await page.getByTestId("checkout-phone").fill(phone);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Тула");
  await page.getByTestId("checkout-address").fill("ул. Клиентская, 4");
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-place").click();
  await expect(page).toHaveURL(/\/order\//);
  const total = amount(await page.getByTestId("order-total").textContent());

  // The same person registers later with the same phone.
  const email = uniqueEmail("crm", info);
  const shopper = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const account = await shopper.newPage();
  await open(account, "/register");
  await account.getByLabel(/^E-mail$/).fill(email);
  await account.locator("#reg-password").fill("a long enough secret");
  await account.getByLabel(/^Phone/).fill(phone);
  await account.getByRole("button", { name: "Create account" }).click();
  await expect(account).toHaveURL(/\/account$/);
  await shopper.close();

  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const operator = await staff.newPage();
  await logIn(operator, "operator@lavka.local", "lavka-demo-pass");
  await expect(operator).toHaveURL(/\/admin/);
  await open(operator, "/admin/customers");
  await operator.getByTestId("customers-search").fill(digits);
  // Enter submits the filters, as staff do with the keyboard.
  await operator.getByTestId("customers-search").press("Enter");
  await expect(operator.getByTestId("customer-row")).toHaveCount(2);
  // Who ordered comes first.
  const guestRow = operator.getByTestId("customer-row").first();
  await expect(guestRow.getByTestId("customer-row-orders")).toHaveText("1");
  expect(amount(await guestRow.getByTestId("customer-row-spent").textContent())).toBe(total);
  await guestRow.getByTestId("customer-row-name").click();
  await expect(operator).toHaveURL(/\/admin\/customers\/\d+$/);
  const guestCard = operator.url();
  await expect(operator.getByRole("heading", { level: 1 })).toHaveText(name);
  expect(amount(await operator.getByTestId("customer-ltv").textContent())).toBe(total);
  expect(amount(await operator.getByTestId("customer-aov").textContent())).toBe(total);
  await expect(operator.getByTestId("customer-segment")).toHaveText("new");
  await expect(operator.getByTestId("customer-addresses")).toContainText("ул. Клиентская, 4");
  await expect(operator.getByTestId("customer-duplicates")).toContainText(email);
  await expect(operator.getByTestId("customer-merge")).toHaveCount(0);

  // Tags, notes, contacts; bad input is refused with a reason.
  await operator.getByTestId("customer-new-tag").fill("<b>");
  await operator.getByTestId("customer-tag-add").click();
  await expect(operator.getByTestId("customer-error")).toHaveText("A tag may have letters, digits, spaces and dashes.");
  await operator.getByTestId("customer-new-tag").fill("  VIP ");
  await operator.getByTestId("customer-tag-add").click();
  await expect(operator.getByTestId("customer-tag")).toHaveCount(1);
  await expect(operator.getByTestId("customer-tag")).toContainText("vip");
  await operator.getByTestId("customer-note-text").fill("Prefers calls after 6 pm");
  await operator.getByTestId("customer-note-add").click();
  await expect(operator.getByTestId("customer-note")).toContainText("Prefers calls after 6 pm");
  await operator.getByTestId("customer-email").fill("not-an-email");
  await operator.getByTestId("customer-save").click();
  await expect(operator.getByTestId("customer-contacts")).toContainText("Check the e-mail");
  await operator.getByTestId("customer-email").fill("");
  await operator.getByTestId("customer-sms-consent").check();
  await operator.getByTestId("customer-save").click();
  await expect(operator.getByTestId("customer-contacts")).not.toContainText("Check the e-mail");
  await operator.reload();
  await expect(operator.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(operator.getByTestId("customer-sms-consent")).toBeChecked();

  // A manager merges the guest record into the account's.
  const office = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const manager = await office.newPage();
  await logIn(manager, "manager@lavka.local", "lavka-demo-pass");
  await expect(manager).toHaveURL(/\/admin/);
  await open(manager, "/admin/customers");
  await manager.getByTestId("customers-search").fill(digits);
  await manager.getByTestId("customers-search").press("Enter");
  await expect(manager.getByTestId("customer-row")).toHaveCount(2);
  await manager.getByTestId("customer-row").nth(1).getByTestId("customer-row-name").click();
  await expect(manager.getByTestId("customer-account")).toHaveText(email);
  await expect(manager.getByTestId("customer-orders-count")).toHaveText("0");
  await manager.getByTestId("customer-duplicate").getByTestId("customer-merge").click();
  await expect(manager.getByTestId("customer-orders-count")).toHaveText("1");
  await expect(manager.getByTestId("customer-tag")).toContainText("vip");
  await expect(manager.getByTestId("customer-notes")).toContainText("Prefers calls after 6 pm");
  await expect(manager.getByTestId("customer-notes")).toContainText("Merged customer");
  await expect(manager.getByTestId("customer-duplicates")).toHaveCount(0);
  await expect(manager.getByTestId("customer-sms-consent")).toBeChecked();

  // The guest record is gone; the list finds the one left by its tag.
  await open(operator, guestCard);
  await expect(operator.locator('p.field-error[role="alert"]')).toHaveText("Not found.");
  await open(operator, "/admin/customers");
  await operator.getByTestId("customers-search").fill(digits);
  await operator.getByTestId("customers-tag").selectOption("vip");
  await operator.getByTestId("customers-search").press("Enter");
  await expect(operator.getByTestId("customer-row")).toHaveCount(1);
  await expect(operator.getByTestId("customer-row-tags")).toHaveText("vip");
  await staff.close();
  await office.close();
});
