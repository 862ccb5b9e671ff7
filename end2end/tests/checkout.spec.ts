import { expect, Page, test } from "@playwright/test";
import { addAnInStockProduct, amount, logIn, open, sentMessages, uniqueEmail } from "./helpers";

async function english(page: Page) {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
}

async function fillContacts(page: Page, name: string) {
  await page.getByTestId("checkout-name").fill(name);
  await page.getByTestId("checkout-phone").fill("+7 916 555-00-11");
  await page.getByTestId("checkout-email").fill("buyer@example.com");
}

// CHK-1, CHK-4, CHK-5: a guest orders to a pickup point and pays on delivery;
// the private link shows the order; nothing typed is lost on a reload.
test("a guest checks out to a pickup point and sees the order behind the private link", async ({ page }, info) => {
  await english(page);
  const product = await addAnInStockProduct(page);
  await open(page, "/cart");
  await page.getByTestId("cart-checkout").click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("checkout-lines")).toContainText(product);

  // Nothing filled in: each problem next to its field, no order.
  await page.getByTestId("checkout-place").click();
  await expect(page.getByTestId("checkout-message")).toContainText("correct the fields");
  await expect(page.getByText("Enter the recipient's name.")).toBeVisible();
  await expect(page.getByText("Choose a delivery method.")).toBeVisible();

  const name = `Guest ${info.project.name} ${Date.now()}`;
  await fillContacts(page, name);
  await page.getByTestId("checkout-delivery-pickup").locator("input").check();
  await page.getByTestId("pickup-search").fill("Невский");
  await expect(page.getByTestId("pickup-point")).toHaveCount(1);
  await page.getByTestId("pickup-point").locator("input").check();
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-comment").fill("Call before coming");

  // A reload keeps everything typed.
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("checkout-name")).toHaveValue(name);
  await expect(page.getByTestId("checkout-comment")).toHaveValue("Call before coming");
  await expect(page.getByTestId("checkout-delivery-pickup").locator("input")).toBeChecked();

  const total = amount(await page.getByTestId("checkout-total").textContent());
  await page.getByTestId("pickup-search").fill("Невский");
  await page.getByTestId("pickup-point").locator("input").check();
  await page.getByTestId("checkout-place").click();
  await expect(page).toHaveURL(/\/order\/[A-Za-z0-9_-]{20,}$/);
  await expect(page.getByTestId("order-thanks")).toBeVisible();
  await expect(page.getByTestId("order-status")).toHaveText("Received");
  await expect(page.getByTestId("order-address")).toContainText("Невский пр., 48");
  await expect(page.getByTestId("order-payment")).toHaveText("Cash on delivery");
  expect(amount(await page.getByTestId("order-total").textContent())).toBeCloseTo(total, 2);
  await expect(page.getByTestId("cart-count")).toHaveText("0");

  // The link works in another browser with no session: it is the key.
  const link = page.url();
  const other = await page.context().browser()!.newContext({ locale: "en-US" });
  const stranger = await other.newPage();
  await open(stranger, link);
  await expect(stranger.getByTestId("order-lines")).toContainText(product);
  await open(stranger, "/order/not-a-real-token-at-all-123");
  await expect(stranger.getByRole("heading", { level: 1 })).toContainText(/not found/i);
  await other.close();
});

// CHK-4, LOG-2: a customer orders by courier, pays cash on delivery; a double
// click makes one order, and the order is in /account/orders.
test("a signed-in customer's double-clicked order is placed once and listed in their orders", async ({ page }, info) => {
  await english(page);
  const email = uniqueEmail("buyer", info);
  await open(page, "/register");
  await page.getByLabel(/^E-mail$/).fill(email);
  await page.locator("#reg-password").fill("a long enough secret");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);

  await addAnInStockProduct(page, 1);
  await open(page, "/checkout");
  await expect(page.getByTestId("checkout-email")).toHaveValue(email);
  await fillContacts(page, "Courier Customer");
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Примерная, 1, кв. 2");
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-place").dblclick();
  await expect(page).toHaveURL(/\/order\//);
  const number = ((await page.getByTestId("order-number").textContent()) ?? "").replace(/\D/g, "");

  await open(page, "/account/orders");
  await expect(page.getByTestId("order-row")).toHaveCount(1);
  await expect(page.getByTestId("order-number")).toHaveText(number);
  await page.getByTestId("order-number").click();
  await expect(page).toHaveURL(new RegExp(`/account/orders/${number}$`));
  await expect(page.getByTestId("order-address")).toContainText("Примерная");
  await expect(page.getByTestId("order-timeline").locator("li")).toHaveCount(1);
  await expect(page.getByTestId("cart-count")).toHaveText("0");

  // The next checkout offers the address; one tap fills it in (CHK-1).
  await addAnInStockProduct(page, 1);
  await open(page, "/checkout");
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await expect(page.getByTestId("saved-address")).toHaveCount(1);
  await page.getByTestId("checkout-city").fill("");
  await page.getByTestId("checkout-address").fill("");
  await page.getByTestId("saved-address-use").click();
  await expect(page.getByTestId("checkout-city")).toHaveValue("Москва");
  await expect(page.getByTestId("checkout-address")).toHaveValue("ул. Примерная, 1, кв. 2");
  await page.getByTestId("saved-address-forget").click();
  await expect(page.getByTestId("saved-address")).toHaveCount(0);
});

// CHK-1: the phone field formats a Russian number while it is typed.
test("the phone mask formats a number as it is typed", async ({ page }) => {
  await english(page);
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  const phone = page.getByTestId("checkout-phone");
  await phone.pressSequentially("89161234567");
  await expect(phone).toHaveValue("+7 (916) 123-45-67");
  // Deleting works, brackets and dashes included.
  for (let i = 0; i < 4; i++) await phone.press("Backspace");
  await expect(phone).toHaveValue("+7 (916) 123-4");
});

// Another customer's order number is not theirs to see.
test("order pages of other customers stay private", async ({ page }) => {
  await english(page);
  await logIn(page, "operator@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin/);
  await open(page, "/account/orders/100001");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/not found/i);
});

// CHK-3: card online through the sandbox provider — a decline leaves the
// order unpaid with a way to pay again; paying then marks it paid once the
// signed webhook arrives (late, and twice).
test("a card payment is declined, paid again, and the order shows paid", async ({ page }, info) => {
  await english(page);
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  await fillContacts(page, `Card ${info.project.name}`);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Примерная, 1");
  await page.getByTestId("checkout-payment-card_online").locator("input").check();
  const total = amount(await page.getByTestId("checkout-total").textContent());
  await page.getByTestId("checkout-place").click();

  // The provider's page, with the order's amount.
  await expect(page).toHaveURL(/\/sandbox-pay\//);
  expect(amount(await page.getByTestId("bank-amount").textContent())).toBeCloseTo(total, 2);
  await page.getByTestId("bank-card").fill("4000 0000 0000 0002");
  await page.getByTestId("bank-pay").click();
  await expect(page).toHaveURL(/\/order\/.*payment=return/);
  await expect(page.getByTestId("order-unpaid")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("order-timeline")).toContainText("Payment failed");

  // Pay again with a good card.
  await page.getByTestId("order-pay").click();
  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await page.getByTestId("bank-pay").click();
  await expect(page).toHaveURL(/\/order\//);
  await expect(page.getByTestId("order-paid")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("order-pay")).toHaveCount(0);
  // The webhook came twice; the order was paid once.
  await page.waitForTimeout(1500);
  await page.reload();
  await expect(page.getByTestId("order-timeline").locator("li", { hasText: /^.*— Paid$/ })).toHaveCount(1);
});

// CHK-3, CHK-5, ORD-5: a guest picks a pickup point and pays by card on the
// provider's page; the private link shows the order paid, and the
// confirmation and payment e-mails and SMS arrive, each once.
test("a guest pays by card for a pickup-point order and is told by e-mail and SMS", async ({ page }, info) => {
  await english(page);
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  const email = uniqueEmail("paid", info);
  await page.getByTestId("checkout-name").fill(`Paid ${info.project.name}`);
  await page.getByTestId("checkout-phone").fill("+7 916 555-00-22");
  await page.getByTestId("checkout-email").fill(email);
  await page.getByTestId("checkout-delivery-pickup").locator("input").check();
  await page.getByTestId("pickup-search").fill("Невский");
  await page.getByTestId("pickup-point").locator("input").check();
  await page.getByTestId("checkout-payment-card_online").locator("input").check();
  await page.getByTestId("checkout-place").click();

  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await page.getByTestId("bank-card").fill("4242 4242 4242 4242");
  await page.getByTestId("bank-pay").click();
  await expect(page).toHaveURL(/\/order\//);
  await expect(page.getByTestId("order-paid")).toBeVisible({ timeout: 15_000 });
  const number = ((await page.getByTestId("order-number").textContent()) ?? "").replace(/\D/g, "");
  expect(number).toMatch(/^\d{6,}$/);

  // The private link, opened elsewhere, says paid too.
  const link = page.url().replace(/\?.*$/, "");
  const other = await page.context().browser()!.newContext({ locale: "en-US" });
  const elsewhere = await other.newPage();
  await open(elsewhere, link);
  await expect(elsewhere.getByTestId("order-paid")).toBeVisible();
  await expect(elsewhere.getByTestId("order-address")).toContainText("Невский пр., 48");
  await other.close();

  await expect
    .poll(async () => (await sentMessages()).emails.filter((m) => m.to.includes(email)).map((m) => m.subject).sort(), {
      timeout: 15_000,
    })
    .toEqual([`Order ${number} received`, `Payment for order ${number} received`]);
  const texts = (await sentMessages()).sms.filter((m) => m.text.includes(number));
  expect(texts.map((m) => m.to)).toEqual(["+79165550022", "+79165550022"]);
  expect(new Set(texts.map((m) => m.key)).size).toBe(2);
});

// CHK-3, LOG-2: a company pays by bank transfer: its INN and KPP are checked
// next to the fields, the order has a printable invoice and receipt, and
// "Repeat this order" puts the goods back in the cart.
test("a company orders against an invoice, prints it, and repeats the order", async ({ page }, info) => {
  await english(page);
  const product = await addAnInStockProduct(page);
  await open(page, "/checkout");
  await fillContacts(page, `Company ${info.project.name}`);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Примерная, 3");
  await page.getByTestId("checkout-payment-bank_invoice").locator("input").check();
  await page.getByTestId("checkout-company").fill("ООО «Ромашка»");
  await page.getByTestId("checkout-inn").fill("7707083894");
  await page.getByTestId("checkout-place").click();
  await expect(page.getByText("The INN has 10 digits (company) or 12 (sole trader); check the digits.")).toBeVisible();
  await expect(page.getByText("A company's KPP has 9 characters, e.g. 773601001.")).toBeVisible();
  await page.getByTestId("checkout-inn").fill("7707083893");
  await page.getByTestId("checkout-kpp").fill("773601001");
  const total = amount(await page.getByTestId("checkout-total").textContent());
  await page.getByTestId("checkout-place").click();
  await expect(page.getByTestId("order-thanks")).toBeVisible();
  await expect(page.getByTestId("order-payment")).toHaveText("Bank transfer against an invoice (companies)");
  const number = ((await page.getByTestId("order-number").textContent()) ?? "").replace(/\D/g, "");

  // The invoice: seller's bank details, the buyer company, the order's total.
  const invoiceUrl = await page.getByTestId("order-invoice").getAttribute("href");
  const invoice = await page.context().newPage();
  await invoice.goto(invoiceUrl!);
  await expect(invoice.getByTestId("document-title")).toContainText(`Invoice No. ${number}`);
  await expect(invoice.getByTestId("document-buyer")).toContainText("ООО «Ромашка», INN 7707083893, KPP 773601001");
  await expect(invoice.getByTestId("invoice-bank")).toContainText("40702810900000000001");
  await expect(invoice.getByTestId("document-line")).toContainText(product);
  expect(amount(await invoice.getByTestId("document-total").textContent())).toBeCloseTo(total, 2);
  const receiptUrl = await page.getByTestId("order-receipt").getAttribute("href");
  await invoice.goto(receiptUrl!);
  await expect(invoice.getByTestId("document-title")).toContainText(`Receipt for order No. ${number}`);
  await invoice.close();

  // Repeat: the same goods go back into the (now empty) cart.
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await page.getByTestId("order-repeat").click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.getByTestId("cart-count")).toHaveText("1");
  await expect(page.locator("body")).toContainText(product);
});

// CHK-3, CART-6: paying in instalments is a credit application to the
// sandbox bank; a decline is shown on the order with a way to apply again,
// and an approval marks the order paid.
test("a credit application is declined, made again and approved", async ({ page }, info) => {
  await english(page);
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  await fillContacts(page, `Credit ${info.project.name}`);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Примерная, 4");
  await page.getByTestId("checkout-payment-credit").locator("input").check();
  await expect(page.getByTestId("checkout-plan-4")).toBeVisible();
  await page.getByTestId("checkout-place").click();
  await expect(page.getByText("Choose an instalment plan available for this total.")).toBeVisible();
  await page.getByTestId("checkout-plan-4").locator("input").check();
  await page.getByTestId("checkout-place").click();

  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await expect(page.getByTestId("bank-months")).toHaveText("4");
  await page.getByTestId("bank-income").fill("1000");
  await page.getByTestId("bank-apply").click();
  await expect(page).toHaveURL(/\/order\//);
  await expect(page.getByTestId("order-timeline")).toContainText("Credit declined by the bank", { timeout: 15_000 });
  await expect(page.getByTestId("order-unpaid")).toBeVisible();

  await page.getByTestId("order-pay").click();
  await expect(page).toHaveURL(/\/sandbox-pay\//);
  await page.getByTestId("bank-income").fill("1 000 000");
  await page.getByTestId("bank-apply").click();
  await expect(page.getByTestId("order-paid")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("order-timeline")).toContainText("Credit approved by the bank");
});
