import { expect, test } from "@playwright/test";
import { addAnInStockProduct, logIn, logOut, open, uniqueEmail } from "./helpers";

// CART-1, CART-2, CART-8: the cart lives in localStorage, the server prices it.
test("a shopper adds a product, changes the quantity in the cart and removes it", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  const name = await addAnInStockProduct(page);
  await expect(page.getByTestId("cart-count")).toHaveText("1");

  await page.getByTestId("cart-link").click();
  await expect(page).toHaveURL(/\/cart$/);
  const line = page.getByTestId("cart-line");
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId("cart-line-name")).toHaveText(name);
  await expect(page.getByTestId("cart-quantity")).toHaveValue("1");
  const single = (await page.getByTestId("cart-line-total").textContent()) ?? "";
  await expect(page.getByTestId("cart-total")).toHaveText(single);

  // More: the server reprices, the header and localStorage follow.
  await page.getByTestId("cart-more").click();
  await expect(page.getByTestId("cart-quantity")).toHaveValue("2");
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  await expect(page.getByTestId("cart-line-total")).not.toHaveText(single);
  const double = (await page.getByTestId("cart-line-total").textContent()) ?? "";
  await expect(page.getByTestId("cart-total")).toHaveText(double);
  const amount = (text: string) => Number(text.replace(/[^\d.]/g, ""));
  expect(amount(double)).toBeCloseTo(2 * amount(single), 2);
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("cart-quantity")).toHaveValue("2");

  // A second tab shows the same cart and follows changes made here.
  const second = await page.context().newPage();
  await open(second, "/cart");
  await expect(second.getByTestId("cart-quantity")).toHaveValue("2");

  // Remove, undo: the line is back with its quantity; remove again.
  await page.getByTestId("cart-remove").click();
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await expect(second.getByTestId("cart-empty")).toBeVisible();
  await expect(page.getByTestId("cart-undo")).toContainText(name);
  await page.getByTestId("cart-undo-button").click();
  await expect(page.getByTestId("cart-quantity")).toHaveValue("2");
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  await expect(second.getByTestId("cart-quantity")).toHaveValue("2");
  await page.getByTestId("cart-remove").click();
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  // An empty cart offers something to start from, not a blank page.
  await expect(page.getByTestId("cart-suggestions").getByTestId("product-card").first()).toBeVisible();
  await second.close();
});

// CART-1, issue 7: the WASM starts only after the page has loaded, so a
// shopper may tap "add to cart" before it runs. The tap is held (the button
// shows it is busy), starts the app at once and is replayed once: tapping
// again while waiting does not add a second unit.
test("a tap on add to cart before the app runs is kept and counted once", async ({ page, browser }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await open(page, "/c/clothing?in_stock=1&sort=price_desc");
  const hrefs = [
    ...new Set(
      await page
        .getByTestId("product-card")
        .getByRole("link")
        .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? "")),
    ),
  ].slice(0, 6);

  const fresh = await browser.newContext({ locale: "en-US" });
  const shopper = await fresh.newPage();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await shopper.route(/\/pkg\/lavka\.[^/]*\.wasm$/, async (route) => {
    await released;
    // A product page left while its WASM was held has cancelled the request.
    await route.continue().catch(() => {});
  });
  const add = shopper.getByTestId("add-to-cart");
  // The server renders the first variant's button; take a product whose first variant is in stock.
  let opened = "";
  for (const href of hrefs) {
    await shopper.goto(href);
    if (await add.isEnabled()) {
      opened = href;
      break;
    }
  }
  expect(opened, "a product whose first variant can be bought").not.toBe("");
  await expect(shopper.locator("body")).not.toHaveAttribute("data-hydrated", "true");
  await add.click();
  await add.click();
  await expect(add).toHaveAttribute("aria-busy", "true");
  await expect(shopper.getByTestId("added-note")).toBeEmpty();

  release();
  await expect(shopper.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(shopper.getByTestId("added-note")).toBeVisible();
  await expect(shopper.getByTestId("cart-count")).toHaveText("1");
  await expect(add).not.toHaveAttribute("aria-busy", "true");
  // After the start, taps are the app's own: one more unit.
  await add.click();
  await expect(shopper.getByTestId("cart-count")).toHaveText("2");
  await fresh.close();
});

// CART-2, issue 7: the deals under a cart not yet read come with the page
// itself, so its largest paint does not wait for the WASM.
test.describe("without scripts", () => {
  test.use({ javaScriptEnabled: false });
  test("the cart page shows the server's deals before the cart is read", async ({ page }) => {
    await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
    await page.goto("/cart");
    await expect(page.getByTestId("cart-suggestions").getByTestId("product-card").first()).toBeVisible();
    // Nothing is claimed about the cart until the browser has read it.
    await expect(page.getByTestId("cart-empty")).toHaveCount(0);
    await expect(page.getByTestId("cart-line")).toHaveCount(0);
  });
});

test("lines that are no longer sold are dropped with a notice", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await open(page, "/");
  await page.evaluate(() =>
    localStorage.setItem("lavka.cart", JSON.stringify({ version: 1, lines: [{ variant_id: 999999, quantity: 2 }] })),
  );
  await open(page, "/cart");
  await expect(page.getByTestId("cart-notices")).toContainText("no longer sold");
  // The stored cart is corrected too: nothing is left.
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  expect(await page.evaluate(() => localStorage.getItem("lavka.cart"))).toContain('"lines":[]');
});

test("a guest's cart joins the account at registration and follows the customer to another browser", async ({ page, browser }, info) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  const name = await addAnInStockProduct(page);
  await expect(page.getByTestId("cart-count")).toHaveText("1");

  const email = uniqueEmail("cart", info);
  await open(page, "/register");
  await page.getByLabel(/^E-mail$/).fill(email);
  await page.locator("#reg-password").fill("a long enough secret");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("cart-count")).toHaveText("1");

  // Logging out leaves an empty cart in this browser; the account keeps its
  // own. The account's cart the page asked for on opening arrives only after
  // the log-out here, and must not refill this browser's cart.
  let loggedOut!: () => void;
  const afterLogout = new Promise<void>((resolve) => (loggedOut = resolve));
  await page.route("**/api/cart_account*", async (route) => {
    const response = await route.fetch();
    await afterLogout;
    await route.fulfill({ response });
  });
  await logOut(page);
  const lateAnswer = page.waitForResponse((r) => r.url().includes("/api/cart_account"));
  loggedOut();
  await lateAnswer;
  await page.unroute("**/api/cart_account*");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  expect(await page.evaluate(() => localStorage.getItem("lavka.cart"))).toContain('"lines":[]');

  const elsewhere = await browser.newContext({ locale: "en-US" });
  const other = await elsewhere.newPage();
  await logIn(other, email, "a long enough secret");
  await expect(other).toHaveURL(/\/account$/);
  await expect(other.getByTestId("cart-count")).toHaveText("1");
  await open(other, "/cart");
  await expect(other.getByTestId("cart-line-name")).toHaveText(name);
  // A change here is stored on the account too: visible after the next login.
  const saved = other.waitForResponse((r) => r.url().includes("/api/cart_save") && r.ok());
  await other.getByTestId("cart-more").click();
  await saved;
  await expect(other.getByTestId("cart-count")).toHaveText("2");
  await elsewhere.close();

  await logIn(page, email, "a long enough secret");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByTestId("cart-count")).toHaveText("2");

  // A change this browser has not sent yet goes out when a page opens; a
  // log-out before that save is answered still leaves an empty cart here.
  await page.evaluate(() => localStorage.setItem("lavka.cart.unsynced", "1"));
  let loggedOutAgain!: () => void;
  const afterSecondLogout = new Promise<void>((resolve) => (loggedOutAgain = resolve));
  await page.route("**/api/cart_save*", async (route) => {
    const response = await route.fetch();
    await afterSecondLogout;
    await route.fulfill({ response });
  });
  const lateSave = page.waitForResponse((r) => r.url().includes("/api/cart_save"));
  await logOut(page);
  loggedOutAgain();
  await lateSave;
  await page.unroute("**/api/cart_save*");
  // The page handles the answer just after it arrives: give it that moment,
  // or a stale count could still be on its way when the check passes.
  await page.waitForTimeout(500);
  await expect(page.getByTestId("cart-count")).toHaveText("0");
});
