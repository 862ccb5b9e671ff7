import { expect, test } from "@playwright/test";
import { logIn, logOut, open, uniqueEmail } from "./helpers";

test.use({ locale: "en-US" });

test("a shopper registers, logs out and logs back in", async ({ page }, info) => {
  const email = uniqueEmail("shopper", info);
  await open(page, "/register");
  await page.getByLabel(/^E-mail$/).fill(email);
  await page.locator("#reg-password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  // Bad input: a specific message next to the field, and what was typed stays.
  await expect(page.getByText("The password must be at least 8 characters long.")).toBeVisible();
  await expect(page.getByLabel(/^E-mail$/)).toHaveValue(email);

  await page.locator("#reg-password").fill("a long enough secret");
  await page.getByLabel(/^Phone/).fill("8 900 123 45 67");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("profile-email")).toHaveText(email);
  await expect(page.getByText("+79001234567")).toBeVisible();
  await expect(page.getByTestId("account-link")).toHaveText(email);

  await logOut(page);
  await logIn(page, email, "wrong password");
  await expect(page.getByText("Wrong e-mail or password.")).toBeVisible();
  await page.locator("#login-password").fill("a long enough secret");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("profile-email")).toHaveText(email);
});

test("a customer is refused the admin area", async ({ page }, info) => {
  const anonymous = await page.goto("/admin");
  await expect(page).toHaveURL(/\/login\?next=\/admin$/);
  expect(anonymous?.status()).toBe(200);

  const email = uniqueEmail("customer", info);
  await open(page, "/register");
  await page.getByLabel(/^E-mail$/).fill(email);
  await page.locator("#reg-password").fill("a long enough secret");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);

  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
});

test("an admin creates an operator, who then logs in to /admin", async ({ page }, info) => {
  const email = uniqueEmail("operator", info);
  await logIn(page, "admin@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole("link", { name: "Staff" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);

  const form = page.locator("form.form");
  await form.getByLabel(/^E-mail$/).fill(email);
  await form.getByLabel(/^Name$/).fill("Olga Operator");
  await form.getByLabel(/^Role$/).selectOption("operator");
  await form.locator("#staff-password").fill("operator secret 1");
  await form.getByRole("button", { name: "Create staff user" }).click();
  await expect(page.getByTestId("staff-created")).toContainText(email);
  await expect(page.getByTestId("users-table")).toContainText(email);

  await open(page, "/admin/audit");
  await expect(page.getByTestId("audit-table")).toContainText(email);

  await logOut(page);
  await logIn(page, email, "operator secret 1");
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId("admin-greeting")).toContainText("Olga Operator");
  // Operators see the dashboard, not staff management.
  await expect(page.getByRole("link", { name: "Staff" })).toHaveCount(0);
  const users = await page.goto("/admin/users");
  expect(users?.status()).toBe(403);
});
