import { expect, test } from "@playwright/test";
import { addAnInStockProduct, logIn, open } from "./helpers";

// CHK-2, LOG-1: a manager edits a delivery method (a bad value is refused
// next to its field) and adds a pickup point that shoppers then find at
// checkout, until it is switched off.
test("a manager edits delivery settings and a new pickup point reaches checkout", async ({ page, browser }, info) => {
  const staff = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const admin = await staff.newPage();
  await logIn(admin, "manager@lavka.local", "lavka-demo-pass");
  await expect(admin).toHaveURL(/\/account|\/admin|\/$/);
  await open(admin, "/admin/delivery");

  const method = admin.getByTestId("method-pickup");
  await method.locator("summary").click();
  const lead = method.getByTestId("method-pickup-lead_days");
  const days = await lead.inputValue();
  await lead.fill("a week");
  await method.getByTestId("method-save").click();
  await expect(method.getByRole("alert")).toBeVisible();
  await lead.fill(days);
  await method.getByTestId("method-save").click();
  await expect(method.getByText("Saved")).toBeVisible();

  const city = `Testgrad ${info.project.name} ${Date.now()}`;
  const form = admin.getByTestId("point-form-new");
  await form.getByTestId("point-new-name").fill("Locker 42");
  await form.getByTestId("point-new-city").fill(city);
  await form.getByTestId("point-new-address").fill("1 Test Street");
  await form.getByTestId("point-save").click();
  await expect(form.getByText("This field is required.")).toBeVisible();
  await form.getByTestId("point-new-hours").fill("24/7");
  await form.getByTestId("point-save").click();
  const row = admin.getByTestId("pickup-point-row").filter({ hasText: city });
  await expect(row).toHaveCount(1);

  // A shopper finds it at checkout.
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await addAnInStockProduct(page);
  await open(page, "/checkout");
  await page.getByTestId("checkout-delivery-pickup").locator("input").check();
  await page.getByTestId("pickup-search").fill(city);
  await expect(page.getByTestId("pickup-point")).toHaveCount(1);
  await expect(page.getByTestId("pickup-point")).toContainText("1 Test Street");

  // Switched off, it is no longer offered.
  await row.locator("summary").click();
  await row.locator('input[type="checkbox"]').uncheck();
  await row.getByTestId("point-save").click();
  await expect(row.getByText("Saved")).toBeVisible();
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.getByTestId("pickup-search").fill(city);
  await expect(page.getByTestId("pickup-point")).toHaveCount(0);
  await staff.close();
});
