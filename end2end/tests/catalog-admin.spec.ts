import { expect, test } from "@playwright/test";
import { logIn, open, PNG } from "./helpers";

test("a manager creates a product with two variants and a photo; it appears on the storefront", async ({ page, request }, info) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin$/);
  await open(page, "/admin/catalog");
  await page.getByTestId("new-product").click();
  await expect(page).toHaveURL(/\/admin\/catalog\/new$/);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

  const tag = `${info.project.name}-${Date.now()}`;
  await page.locator("#product-name_ru").fill(`Плед тестовый ${tag}`);
  await page.locator("#product-name_en").fill(`Test blanket ${tag}`);
  await page.locator("#product-brand").fill("Lavka");
  await page.locator("#product-description_en").fill("A warm test blanket.");
  await page.getByTestId("variant-0-sku").fill(`TB-${tag}-R`);
  await page.getByTestId("variant-0-color_ru").fill("Красный");
  await page.getByTestId("variant-0-color_en").fill("Red");
  await page.getByTestId("variant-0-swatch").fill("#c0392b");
  await page.getByTestId("variant-0-price").fill("-10");
  await page.getByTestId("variant-0-stock-msk").fill("7");
  await page.getByTestId("add-variant").click();
  await page.getByTestId("variant-1-sku").fill(`TB-${tag}-B`);
  await page.getByTestId("variant-1-color_ru").fill("Синий");
  await page.getByTestId("variant-1-color_en").fill("Blue");
  await page.getByTestId("variant-1-price").fill("2490,50");
  // An option beyond colour and size (CAT-1): "Name ru | Name en | value ru | value en".
  await page.getByTestId("variant-1-extra_options").fill("Рост | Height | 170");
  await page.getByTestId("published").check();

  // A negative price is refused next to its field, and nothing is saved.
  await page.getByTestId("save-product").click();
  await expect(page.getByTestId("form-problems")).toBeVisible();
  await expect(page.getByText("A price cannot be negative.")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/catalog\/new$/);

  await page.getByTestId("variant-0-price").fill("1990");
  await page.getByTestId("save-product").click();
  await expect(page.getByText("Each line: \"Имя | Name | значение | value\".")).toBeVisible();
  await page.getByTestId("variant-1-extra_options").fill("Рост | Height | 170 см | 170 cm");
  await page.getByTestId("save-product").click();
  await expect(page).toHaveURL(/\/admin\/catalog\/\d+$/);
  await expect(page.getByTestId("variant-row")).toHaveCount(2);
  await expect(page.getByTestId("variant-1-price")).toHaveValue("2490.5");

  // Photo upload: a real multipart post, resized on the server.
  await page.getByTestId("photo-file").setInputFiles({ name: "blanket.png", mimeType: "image/png", buffer: PNG });
  await page.locator("#photo-alt-en").fill("The test blanket");
  await page.getByTestId("upload-shows").selectOption({ label: "Colour: Blue" });
  await page.getByTestId("photo-upload").click();
  await expect(page).toHaveURL(/uploaded=1/);
  await expect(page.getByTestId("admin-photo")).toHaveCount(1);
  await expect(page.getByTestId("photo-shows")).toHaveValue("blue");

  // A file that is not a picture is refused with a reason.
  await page.getByTestId("photo-file").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
  await page.getByTestId("photo-upload").click();
  await expect(page.getByTestId("upload-error")).toContainText("not a JPEG, PNG or WebP");
  await expect(page.getByTestId("admin-photo")).toHaveCount(1);

  // The storefront shows it with both colours, the photo and the right prices.
  const slug = `test-blanket-${tag}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  await open(page, `/p/${slug}`);
  await expect(page.getByTestId("product-name")).toHaveText(`Test blanket ${tag}`);
  await expect(page.getByTestId("option-color-red")).toBeVisible();
  await page.getByTestId("option-color-blue").click();
  await expect(page.getByTestId("product-price")).toContainText("2,490.50");
  await expect(page.getByTestId("option-height-170-cm")).toBeVisible();
  await expect(page.getByTestId("main-photo").locator("img")).toHaveAttribute("alt", "The test blanket");
  const sitemap = await (await request.get("/sitemap.xml")).text();
  expect(sitemap).toContain(`/p/${slug}</loc>`);

  // Search finds it by SKU.
  await open(page, `/search?q=TB-${tag}-R`);
  await expect(page.getByTestId("product-card").first()).toContainText(`Test blanket ${tag}`);
});

test("staff without the catalog role cannot open the catalog admin", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await logIn(page, "operator@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin$/);
  const response = await page.goto("/admin/catalog");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("a manager exports the catalog as CSV and sees every bad row of an import, with nothing applied", async ({ page }) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin$/);
  const exported = await page.request.get("/admin/catalog/export.csv");
  expect(exported.headers()["content-type"]).toContain("text/csv");
  const csv = await exported.text();
  expect(csv.split("\n")[0]).toContain("slug,name_ru,name_en");
  expect(csv.split("\n").length).toBeGreaterThan(300);

  await open(page, "/admin/catalog");
  await page.getByText("Import products from CSV").click();
  const header = csv.split("\n")[0];
  const bad = `${header}\nbad-item,Плохой,Bad,Lavka,home,1,,,BAD-1,,,,,,-10,,1,1\n`;
  await page.getByTestId("import-file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  // Hold the request a moment, so the progress display can be seen.
  await page.route("**/admin/catalog/import", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.getByTestId("import-submit").click();
  await expect(page.getByTestId("import-progress")).toBeVisible();
  await expect(page.getByTestId("import-submit")).toBeDisabled();
  await expect(page).toHaveURL(/\/admin\/catalog\/import\/\d+$/);
  await expect(page.getByTestId("import-nothing")).toBeVisible();
  await expect(page.getByTestId("import-problem")).toHaveCount(1);
  await expect(page.getByTestId("import-problem")).toContainText("A price cannot be negative.");
  await expect(page.getByTestId("import-problem").locator("td").first()).toHaveText("2");
});

test("a manager edits an information page and shoppers see the new text", async ({ page }, info) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  // Each project edits its own page: the two run in parallel.
  const slug = info.project.name === "mobile" ? "returns" : "delivery";
  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin$/);
  await open(page, "/admin/pages");
  const form = page.getByTestId(`page-form-${slug}`);
  const text = `Now also on Sundays (${info.project.name} ${Date.now()}).`;
  await form.getByTestId(`page-${slug}-body_en`).fill(`${text}\n\nSecond paragraph.`);
  await form.getByTestId(`page-${slug}-title_en`).fill("");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("This field is required.")).toBeVisible();
  await form.getByTestId(`page-${slug}-title_en`).fill("Updated title");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("Saved.")).toBeVisible();
  await open(page, `/info/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Updated title");
  await expect(page.getByText(text)).toBeVisible();
});

test("a manager renames a category and the storefront follows", async ({ page }, info) => {
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  // Each project renames its own category: the two run in parallel.
  const slug = info.project.name === "mobile" ? "towels" : "pillows";
  await logIn(page, "manager@lavka.local", "lavka-demo-pass");
  await expect(page).toHaveURL(/\/admin$/);
  await open(page, "/admin/categories");
  const editor = page.getByTestId(`category-${slug}`);
  const name = `Renamed ${info.project.name} ${Date.now()}`;
  await editor.getByTestId(`category-${slug}-name_en`).fill(name);
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId(`category-${slug}`).locator("h2")).toContainText(/./);
  await expect.poll(async () => {
    const response = await page.request.get(`/c/${slug}`, { headers: { "Accept-Language": "en" } });
    return (await response.text()).includes(name);
  }).toBe(true);
  // A category holding products cannot be deleted.
  await open(page, "/admin/categories");
  await page.getByTestId(`category-${slug}`).getByRole("button", { name: "Remove" }).click();
  await expect(page.getByTestId(`category-${slug}`).getByText("The category has products or subcategories")).toBeVisible();
});
