import { expect, test } from "@playwright/test";
import { addAnInStockProduct, logIn, open } from "./helpers";

// CHK-2, LOG-1: a manager adds a courier priced by city (a bad rate line is
// refused and named); at checkout its price follows the typed city at once,
// an address it does not serve is refused next to the delivery choice, and
// the order records try-on at the door.
test("a new courier is priced by the typed city, refuses other cities and records try-on", async ({ page, browser }, info) => {
  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const admin = await staff.newPage();
  await logIn(admin, "manager@lavka.local", "lavka-demo-pass");
  await expect(admin).toHaveURL(/\/account|\/admin|\/$/);
  await open(admin, "/admin/delivery");

  const stamp = `${info.project.name}${Date.now()}`;
  const code = `zone-${stamp}`;
  const city = `Zonegrad ${stamp}`;
  await admin.getByTestId("method-new").locator("summary").click();
  const form = admin.getByTestId("method-form-new");
  await form.getByTestId("method-new-code").fill(code);
  await form.getByTestId("method-new-name_ru").fill(`Курьер по зонам ${stamp}`);
  await form.getByTestId("method-new-name_en").fill(`Zone courier ${stamp}`);
  await form.getByTestId("method-new-price").fill("999");
  await form.getByTestId("method-new-rates").fill(`${city}; 20; 150\nnowhere`);
  await form.getByTestId("method-new-try_on").check();
  await form.getByTestId("method-save").click();
  await expect(form.getByText(/^Line 2: write "zone; up to kg; price"/)).toBeVisible();
  await form.getByTestId("method-new-rates").fill(`${city}; 20; 150\n*; 20; 450`);
  await form.getByTestId("method-save").click();
  const method = admin.getByTestId(`method-${code}`);
  await expect(method).toHaveCount(1);

  // Warehouses: a bad number of days is refused; a good one saved.
  const warehouse = admin.locator('[data-testid^="warehouse-"]').filter({ hasText: "Санкт-Петербург" });
  const days = warehouse.locator('input[type="text"]');
  const kept = await days.inputValue();
  await days.fill("soon");
  await warehouse.getByTestId("warehouse-save").click();
  await expect(warehouse.getByRole("alert")).toBeVisible();
  await days.fill(kept);
  await warehouse.getByTestId("warehouse-save").click();
  await expect(warehouse.getByText("Saved")).toBeVisible();

  // The shopper: "from" until the city is known, then that city's price.
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  const option = page.getByTestId(`checkout-delivery-${code}`);
  await expect(option.locator(".delivery-price")).toHaveText(/^from .*150/);
  await option.locator("input").check();
  await page.getByTestId("checkout-name").fill("Zone Shopper");
  await page.getByTestId("checkout-phone").fill("+7 916 555-00-12");
  await page.getByTestId("checkout-city").fill(city);
  await page.getByTestId("checkout-address").fill("1 Ring Road");
  await expect(option.locator(".delivery-price")).toHaveText(/^RUB 150/);
  await expect(page.getByTestId("checkout-delivery-price")).toHaveText(/150/);
  await page.getByTestId("checkout-city").fill("Elsewhere");
  await expect(option.locator(".delivery-price")).toHaveText(/^RUB 450/);

  // The manager stops serving other cities; the server refuses the order.
  await method.locator("summary").click();
  await method.getByTestId(`method-${code}-rates`).fill(`${city}; 20; 150`);
  await method.getByTestId("method-save").click();
  await expect(method.getByText("Saved")).toBeVisible();
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-place").click();
  await expect(page.getByText("This method does not deliver to that address; choose another.")).toBeVisible();
  await expect(page).toHaveURL(/\/checkout$/);

  // After a reload (nothing typed is lost) the option says so itself.
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(option.locator(".delivery-price")).toHaveText("Not delivered to this address");
  await page.getByTestId("checkout-city").fill(city);
  await expect(option.locator(".delivery-price")).toHaveText(/^RUB 150/);
  await page.getByTestId("checkout-try-on").check();
  await page.getByTestId("checkout-place").click();
  await expect(page).toHaveURL(/\/order\//);
  await expect(page.getByTestId("order-try-on")).toBeVisible();
  await expect(page.getByTestId("order-delivery")).toContainText(`Zone courier ${stamp}`);

  // Tidy up: the method is no longer offered.
  await method.getByTestId(`method-${code}-active`).uncheck();
  await method.getByTestId("method-save").click();
  await expect(method.getByText("Saved")).toBeVisible();
  await staff.close();
});
