import { expect, Page, test } from "@playwright/test";
import { open } from "./helpers";

test.beforeEach(async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
});

/** On phones the filters sit behind a toggle. */
async function showFilters(page: Page) {
  const toggle = page.getByRole("button", { name: "Filters" });
  if (await toggle.isVisible()) {
    await toggle.click();
  }
}

test("browse a category, filter by price and colour, pick a variant, add to cart", async ({ page }) => {
  await open(page, "/");
  await page.getByRole("navigation", { name: "Catalog" }).getByRole("link", { name: "Clothing" }).click();
  await expect(page).toHaveURL(/\/c\/clothing$/);
  await expect(page.getByRole("heading", { level: 1, name: "Clothing" })).toBeVisible();
  const totalText = async () => (await page.getByTestId("listing-total").textContent()) ?? "";
  const count = async () => Number((await totalText()).replace(/\D/g, ""));
  const everything = await count();
  expect(everything).toBeGreaterThan(24);

  // Price: at most 5,000.
  await showFilters(page);
  await page.getByTestId("price-max").fill("5000");
  await page.getByTestId("price-apply").click();
  await expect(page).toHaveURL(/price_max=5000/);
  await expect.poll(count).toBeLessThan(everything);
  const cheap = await count();

  // Colour: the count next to "Red" is what the listing then shows.
  await showFilters(page);
  const red = page.getByTestId("facet-color-red");
  const promised = Number(((await red.locator(".count").textContent()) ?? "").trim());
  expect(promised).toBeGreaterThan(0);
  await red.click();
  await expect(page).toHaveURL(/f\.color=red/);
  await expect(page).toHaveURL(/price_max=5000/);
  await expect.poll(count).toBe(promised);
  expect(promised).toBeLessThanOrEqual(cheap);
  await showFilters(page);
  await expect(page.getByTestId("facet-color-red")).toHaveAttribute("aria-checked", "true");

  // The filtered page can be shared: a fresh load shows the same result.
  await open(page, page.url().replace(/^https?:\/\/[^/]+/, ""));
  expect(await count()).toBe(promised);

  // Open a product, switch colour: price, photo and SKU change without a reload.
  await page.getByTestId("product-card").first().getByRole("link").click();
  await expect(page.getByTestId("product-page")).toBeVisible();
  const colourButtons = page.locator('[data-testid^="option-color-"]');
  expect(await colourButtons.count()).toBeGreaterThan(1);
  const price = page.getByTestId("product-price");
  const photo = page.getByTestId("main-photo").locator("img");
  const before = { price: await price.textContent(), photo: await photo.getAttribute("src"), sku: await page.getByTestId("sku").textContent() };
  const current = await page.locator('[data-testid^="option-color-"][aria-pressed="true"]').getAttribute("data-testid");
  await page.locator(`[data-testid^="option-color-"]:not([data-testid="${current}"])`).first().click();
  await expect(page.locator(`[data-testid="${current}"]`)).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByTestId("sku")).not.toHaveText(before.sku ?? "");
  await expect(photo).not.toHaveAttribute("src", before.photo ?? "");
  await expect(price).not.toHaveText(before.price ?? "");

  // Add to cart: the header count follows at once and survives a reload.
  const add = page.getByTestId("add-to-cart");
  if (await add.isDisabled()) {
    // This colour is sold out: take the first one that can be bought.
    for (let i = 0; i < (await colourButtons.count()); i++) {
      await colourButtons.nth(i).click();
      if (await add.isEnabled()) break;
    }
  }
  await add.click();
  await expect(page.getByTestId("added-note")).toContainText("Added to cart");
  await expect(page.getByTestId("cart-count")).toHaveText("1");
  await page.reload();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByTestId("cart-count")).toHaveText("1");
});

test("search with a typo-ish prefix finds the product, with suggestions as you type", async ({ page }) => {
  await open(page, "/");
  const box = page.getByRole("combobox", { name: "Search the shop" });
  await box.click();
  await box.pressSequentially("snaeker", { delay: 40 });
  const suggestions = page.getByTestId("suggestions");
  await expect(suggestions).toBeVisible();
  await expect(suggestions.getByRole("link").first()).toContainText("Sneakers");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=snaeker/);
  await expect(page.getByTestId("product-card").first()).toContainText("Sneakers");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
});

test("product pages carry JSON-LD and a canonical link; the sitemap lists them", async ({ page, request }) => {
  await open(page, "/c/mugs");
  const card = page.getByTestId("product-card").first();
  const href = (await card.getByRole("link").getAttribute("href"))!;
  expect(href).toMatch(/^\/p\/[a-z0-9-]+$/);
  await open(page, href);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`${href}$`));
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  const product = blocks.map((b) => JSON.parse(b)).find((j) => j["@type"] === "Product");
  expect(product).toBeTruthy();
  expect(product.offers[0].priceCurrency).toBe("RUB");
  expect(product.offers[0].price).toMatch(/^\d+\.\d{2}$/);
  expect(product.offers[0].availability).toMatch(/^https:\/\/schema\.org\//);
  expect(blocks.some((b) => b.includes("BreadcrumbList"))).toBe(true);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", /\/media\/.+\.jpg$/);

  const sitemap = await request.get("/sitemap.xml");
  expect(sitemap.ok()).toBe(true);
  expect(await sitemap.text()).toContain(`${href}</loc>`);
  const robots = await (await request.get("/robots.txt")).text();
  expect(robots).toContain("Disallow: /admin");
  expect(robots).toContain("Disallow: /search");
});

test("unknown products answer 404 and pictures have sizes and lazy loading", async ({ page }) => {
  const response = await page.goto("/p/no-such-product");
  expect(response?.status()).toBe(404);
  await open(page, "/c/home");
  const images = page.getByTestId("product-card").locator("img");
  expect(await images.count()).toBeGreaterThan(8);
  await expect(images.first()).toHaveAttribute("width", /\d+/);
  await expect(images.first()).toHaveAttribute("height", /\d+/);
  await expect(images.first()).toHaveAttribute("srcset", /320w/);
  await expect(images.nth(8)).toHaveAttribute("loading", "lazy");
  // The picture really is there.
  const src = await images.first().getAttribute("src");
  const picture = await page.request.get(src!);
  expect(picture.headers()["content-type"]).toBe("image/jpeg");
  expect(picture.headers()["cache-control"]).toContain("immutable");
});
