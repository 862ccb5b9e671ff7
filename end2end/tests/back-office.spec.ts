import { expect, test } from "@playwright/test";
import { addAnInStockProduct, expectNoSidewaysScroll, logIn, open, PNG, sentMessages } from "./helpers";

// ORD-1, ORD-2, ORD-5, LOG-2, WMS-1 … WMS-4: a shopper's cash order is found
// by an operator in /admin/orders by phone and confirmed; the warehouse
// picks it, packs it by scanning (a wrong item refused), weighs two parcels,
// prints the label and hands it over with a number per parcel (none is
// refused) and prints the manifest; a manager marks it delivered with one
// item handed back at the door (LOG-3); the customer's page shows each step,
// the tracking number and the parcels' statuses (LOG-2: one entered by an
// operator, the rest from the sandbox carrier), and the shipping SMS reaches
// the gateway; then the shopper asks to return the kept item with a photo and
// a manager accepts and receives it (ORD-7).
test("an order moves from the queue to delivered and the customer sees every step", async ({ page, browser }, info) => {
  // The whole back office in one story: longer than the default 30 s under load.
  test.slow();
  await page.setExtraHTTPHeaders({ "Accept-Language": "en-US,en;q=0.9" });
  const seven = String(Date.now()).slice(-6) + (info.project.name === "mobile" ? "1" : "2");
  const phone = `+7916${seven}`;
  await addAnInStockProduct(page);
  await addAnInStockProduct(page, 1);
  await open(page, "/checkout");
  await page.getByTestId("checkout-name").fill(`Queue Shopper ${info.project.name}`);
  await page.getByTestId("checkout-phone").fill(phone);
  await page.getByTestId("checkout-delivery-courier").locator("input").check();
  await page.getByTestId("checkout-city").fill("Москва");
  await page.getByTestId("checkout-address").fill("ул. Очередная, 7");
  await page.getByTestId("checkout-payment-cash_on_delivery").locator("input").check();
  await page.getByTestId("checkout-try-on").check();
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
  // The queue's wide table scrolls in its own box on a phone.
  await expect(operator.getByTestId("order-row").first()).toBeVisible();
  await expectNoSidewaysScroll(operator);
  await operator.getByTestId("orders-search").fill(seven);
  await operator.getByTestId("orders-show").click();
  await expect(operator.getByTestId("order-row")).toHaveCount(1);
  await expect(operator.getByTestId("order-row-status")).toHaveText("Received");
  // ORD-4: the first confirmation call goes unanswered; it is on record and the order waits.
  await operator.getByTestId("order-row-number").click();
  await expect(operator).toHaveURL(new RegExp(`/admin/orders/${number}$`));
  await operator.getByTestId("order-action-no_answer").click();
  await expect(operator.getByTestId("staff-order-timeline")).toContainText("We called to confirm and got no answer");
  await expect(operator.getByTestId("staff-order-status")).toHaveText("Received");
  await open(operator, "/admin/orders");
  await operator.getByTestId("orders-search").fill(seven);
  await operator.getByTestId("orders-show").click();
  await expect(operator.getByTestId("order-row")).toHaveCount(1);
  // Called again and confirmed, from the queue with "confirm selected".
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
  // Nor the warehouse pages.
  await open(operator, "/admin/warehouse");
  await expect(operator.getByRole("heading", { level: 1 })).toContainText(/forbidden|not allowed|access/i);

  // The manager takes it through the warehouse steps.
  const office = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const manager = await office.newPage();
  await logIn(manager, "manager@lavka.local", "lavka-demo-pass");
  await expect(manager).toHaveURL(/\/admin|\/account|\/$/);
  await open(manager, `/admin/orders/${number}`);
  await expect(manager.getByTestId("staff-note")).toContainText("Customer asked to call before delivery");
  // The pick list for it (WMS-2): a line per item, with its order number.
  await open(manager, "/admin/orders");
  await manager.getByTestId("orders-search").fill(seven);
  await manager.getByTestId("orders-show").click();
  await expect(manager.getByTestId("order-row")).toHaveCount(1);
  await manager.getByTestId("order-select").check();
  const href = await manager.getByTestId("orders-pick-list").getAttribute("href");
  expect(href).toBe(`/admin/pick-list?orders=${number}`);
  await manager.goto(href!);
  await expect(manager.getByTestId("pick-line")).toHaveCount(2);
  await expect(manager.getByTestId("pick-line").first()).toContainText(number);
  await expect(manager.getByTestId("pick-line").last()).toContainText(number);
  await staff.close();

  // The warehouse (WMS-1 … WMS-4): start picking, pack by scanning, weigh,
  // print the label, hand over with a number per parcel, print the manifest.
  const store = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "Accept-Language": "en-US" } });
  const keeper = await store.newPage();
  await logIn(keeper, "warehouse@lavka.local", "lavka-demo-pass");
  await expect(keeper).toHaveURL(/\/admin|\/account|\/$/);
  await open(keeper, "/admin/warehouse");
  const toPick = keeper.getByTestId("wh-to-pick-row").filter({ hasText: number });
  await expect(toPick).toHaveCount(1);
  await toPick.getByTestId("wh-select").check();
  await keeper.getByTestId("wh-start-picking").click();
  await expect(keeper.getByTestId("wh-start-result")).toContainText(number);
  const picking = keeper.getByTestId("wh-picking-row").filter({ hasText: number });
  await expect(picking).toHaveCount(1);
  await picking.getByTestId("wh-pack-link").click();
  await expect(keeper).toHaveURL(new RegExp(`/admin/warehouse/pack/${number}$`));
  await expect(keeper.getByTestId("pack-status")).toHaveText("Being picked");
  // A wrong item is refused loudly and counts for nothing.
  await keeper.getByTestId("pack-scan").fill("NOT-IN-THIS-ORDER");
  await keeper.getByTestId("pack-scan").press("Enter");
  await expect(keeper.getByTestId("pack-scan-error")).toContainText("is not in this order");
  // Packing before every unit is scanned is refused by the server too.
  await keeper.getByTestId("pack-submit").click();
  await expect(keeper.getByTestId("pack-error")).toContainText("Not packed yet");
  const items = keeper.getByTestId("pack-item");
  for (let i = 0; i < (await items.count()); i++) {
    const cells = items.nth(i).locator("td");
    const barcode = ((await cells.nth(1).textContent()) ?? "").trim();
    const code = barcode || ((await cells.nth(0).textContent()) ?? "").trim();
    const quantity = Number(((await items.nth(i).getByTestId("pack-count").textContent()) ?? "").split("/")[1]);
    for (let n = 0; n < quantity; n++) {
      await keeper.getByTestId("pack-scan").fill(code);
      await keeper.getByTestId("pack-scan").press("Enter");
      await expect(keeper.getByTestId("pack-scan-ok")).toContainText(`(${n + 1}/${quantity})`);
    }
    await expect(items.nth(i).getByTestId("pack-count")).toHaveText(`${quantity} / ${quantity}`);
  }
  // Two parcels: the second weight is typed with a comma, as on a Russian keyboard.
  await keeper.getByTestId("pack-add-parcel").click();
  await keeper.getByTestId("pack-weight").nth(1).fill("0,3");
  await keeper.getByTestId("pack-submit").click();
  await expect(keeper.getByTestId("pack-done")).toBeVisible();
  const slip = await keeper.getByTestId("pack-print").getAttribute("href");
  await keeper.goto(slip!);
  await expect(keeper.getByTestId("label")).toHaveCount(2);
  await expect(keeper.getByTestId("label-number").first()).toContainText(`${number} · 1/2`);
  await expect(keeper.getByTestId("slip-line").first()).toBeVisible();
  // Handover: a courier parcel needs a tracking number, one per parcel.
  await open(keeper, "/admin/warehouse");
  const packed = keeper.getByTestId("wh-packed-row").filter({ hasText: number });
  await packed.getByTestId("wh-handover-select").check();
  await keeper.getByTestId("wh-handover").click();
  await expect(keeper.getByTestId("wh-handover-result")).toContainText("Enter the parcel's tracking number.");
  await packed.getByTestId("wh-generate").click();
  const tracking = `LV${number}-1`;
  await expect(packed.getByTestId("wh-tracking")).toHaveValue(`${tracking} LV${number}-2`);
  await keeper.getByTestId("wh-handover").click();
  await expect(keeper.getByTestId("wh-handover-result")).toContainText(`Done: ${number}`);
  const manifest = await keeper.getByTestId("wh-manifest-link").getAttribute("href");
  await keeper.goto(manifest!);
  const line = keeper.getByTestId("manifest-row").filter({ hasText: number });
  await expect(line).toHaveCount(1);
  await expect(line.getByTestId("manifest-tracking")).toHaveText(`${tracking}, LV${number}-2`);
  // The ledger shows the shipment of this order's units.
  await open(keeper, "/admin/warehouse?tab=ledger");
  await keeper.getByTestId("wh-ledger-search").fill(number);
  await keeper.getByTestId("wh-ledger-search").press("Enter");
  await expect(keeper.getByTestId("wh-ledger-kind").filter({ hasText: "Shipment" }).first()).toBeVisible();
  await expect(keeper.getByTestId("wh-ledger-kind").filter({ hasText: "Reservation" }).first()).toBeVisible();
  // The warehouse sees no customer contacts: the order queue is not theirs.
  await open(keeper, "/admin/orders");
  await expect(keeper.getByRole("heading", { level: 1 })).toContainText(/forbidden|not allowed|access/i);
  await store.close();

  await open(manager, `/admin/orders/${number}`);
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Shipped");
  await expect(manager.getByTestId("staff-order-tracking")).toHaveText(tracking);
  // ORD-6: the customer paid part by bank transfer; the manager records it.
  await manager.getByTestId("payment-amount").fill("abc");
  await manager.getByTestId("payment-take").click();
  await expect(manager.getByTestId("order-action-error")).toContainText("Enter an amount above zero");
  await manager.getByTestId("payment-amount").fill("100");
  await manager.getByTestId("payment-take").click();
  await expect(manager.getByTestId("staff-order-paid-part")).toContainText("paid");
  await expect(manager.getByTestId("order-action-error")).toHaveCount(0);
  // LOG-2: the carrier said on the phone where the second parcel is; the operator enters it.
  await expect(manager.getByTestId("parcel-tracking")).toHaveCount(2);
  await manager.getByTestId("tracking-parcel").selectOption(`LV${number}-2`);
  await manager.getByTestId("tracking-status").selectOption("out_for_delivery");
  await manager.getByTestId("tracking-place").fill("x".repeat(121));
  await manager.getByTestId("tracking-add").click();
  await expect(manager.getByTestId("order-action-error")).toContainText("The place is at most 120 characters.");
  await manager.getByTestId("tracking-place").fill("Moscow depot");
  await manager.getByTestId("tracking-add").click();
  const second = manager.getByTestId("parcel-tracking").nth(1);
  await expect(second.getByTestId("tracking-event").filter({ hasText: "Out for delivery · Moscow depot" })).toHaveCount(1);
  await expect(manager.getByTestId("order-action-error")).toHaveCount(0);

  // The customer sees it on the way, with the tracking number.
  await open(page, customerPage);
  await expect(page.getByTestId("order-status")).toHaveText("Shipped");
  await expect(page.getByTestId("order-tracking")).toHaveText(tracking);
  await expect(page.getByTestId("tracking-event").filter({ hasText: "Moscow depot" })).toHaveCount(1);
  await expect(page.getByTestId("order-paid-part")).toBeVisible();
  // The sandbox carrier (a status every 4 s in tests) reports both parcels on its own.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("tracking-event").filter({ hasText: "Accepted by the carrier" })).toHaveCount(2, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect
    .poll(async () => (await sentMessages()).sms.filter((s) => s.text.includes(tracking)).length, { timeout: 15_000 })
    .toBe(1);

  // LOG-3: the shopper tries both on and hands one back to the courier.
  await manager.getByTestId("order-return-qty").first().fill("9");
  await manager.getByTestId("order-action-deliver").click();
  await expect(manager.getByTestId("order-action-error")).toContainText("At most 1 of this item can come back.");
  await manager.getByTestId("order-return-qty").first().fill("1");
  await manager.getByTestId("order-action-deliver").click();
  await expect(manager.getByTestId("staff-order-status")).toHaveText("Delivered");
  await expect(manager.getByTestId("staff-order-payment")).toContainText("Paid");
  await expect(manager.getByTestId("staff-order-refunded")).toBeVisible();
  const steps = manager.getByTestId("staff-order-timeline").locator("li");
  await expect(steps).toHaveCount(8);
  await open(page, customerPage);
  await expect(page.getByTestId("order-status")).toHaveText("Delivered");
  await expect(page.getByTestId("order-return")).toContainText("Returned to the courier at the try-on");
  await expect(page.getByTestId("order-line-returned")).toHaveCount(1);
  await expect(page.getByTestId("order-refunded")).toBeVisible();
  await expect(page.getByTestId("order-final")).toBeVisible();
  await expect(page.getByText("Customer asked to call before delivery")).toHaveCount(0);

  // ORD-7: the shopper asks to return the item they kept, with a photo.
  await page.getByTestId("return-request-open").locator("summary").click();
  await expect(page.getByTestId("return-request-qty")).toHaveCount(1);
  await page.getByTestId("return-request-qty").fill("1");
  await page.getByTestId("return-request-reason").selectOption("defective");
  await page.getByTestId("return-request-send").click();
  await expect(page.getByTestId("return-request-error")).toHaveText("Describe what is wrong with the goods.");
  await page.getByTestId("return-request-qty").fill("1");
  await page.getByTestId("return-request-reason").selectOption("defective");
  await page.getByTestId("return-request-comment").fill("The zip is broken");
  await page.getByTestId("return-request-photos").setInputFiles({ name: "zip.png", mimeType: "image/png", buffer: PNG });
  await page.getByTestId("return-request-send").click();
  await expect(page.getByTestId("return-request-sent")).toBeVisible();
  await expect(page.getByTestId("return-request-status")).toHaveText("Waiting for the shop");
  await expect(page.getByTestId("return-request-open")).toHaveCount(0);

  // The manager sees it with the photo, accepts it, then takes the goods back on sale.
  await open(manager, "/admin/returns");
  const request = manager.getByTestId("return-request").filter({ hasText: number });
  await expect(request.getByTestId("return-comment")).toHaveText("The zip is broken");
  await expect(request.getByTestId("return-photo")).toHaveCount(1);
  await request.getByTestId("return-accept").click();
  await expect(request.getByTestId("return-status")).toHaveText("Accepted: send the goods back");
  await request.getByTestId("return-receive").click();
  await expect(request).toHaveCount(0);
  await manager.getByTestId("returns-all").check();
  await expect(request.getByTestId("return-status")).toHaveText("Received and refunded");

  // The customer sees the request done, the second refund, and the order returned.
  await open(page, customerPage);
  await expect(page.getByTestId("return-request-status")).toHaveText("Received and refunded");
  await expect(page.getByTestId("order-return")).toHaveCount(2);
  await expect(page.getByTestId("order-status")).toHaveText("Returned");
  await office.close();
});
