// The place-order scenario's set-up and checks for scripts/bench.sh (CHK-4),
// all through the shop's own HTTP API as staff and shoppers use it:
//   login <email> <password>        prints the session cookie ("name=value")
//   prepare <count>                 picks <count> variants sold only from stock,
//                                   receives 100,000 units of each, prints the state
//   check <state.json> <answered>   after wrk: stock fell by exactly the orders placed
//   race <state.json>               <RACE_SHOPPERS> shoppers at once for <RACE_UNITS>
//                                   units: exactly that many orders, nothing left
// Environment: LAVKA_BASE_URL, BENCH_COOKIE (a staff session with the warehouse
// permission). Prints JSON; exits non-zero when an invariant fails.
import { readFileSync } from "node:fs";

const base = process.env.LAVKA_BASE_URL;
const cookie = process.env.BENCH_COOKIE ?? "";
const RECEIVED = 100_000;
const RACE_UNITS = 100;
const RACE_SHOPPERS = 400;

async function call(endpoint, body, { json = true } = {}) {
  const response = await fetch(`${base}/api/${endpoint}`, {
    method: "POST",
    headers: {
      "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded",
      Accept: "application/json",
      Origin: base,
      Cookie: cookie,
    },
    body: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${endpoint} answered ${response.status}: ${text}`);
  return { response, value: text ? JSON.parse(text) : null };
}

function fail(message, details) {
  console.log(JSON.stringify({ ok: false, message, ...details }));
  process.exit(1);
}

/** Units available to sell of one SKU, over every warehouse. */
async function available(sku) {
  const { value } = await call("warehouse_stock", { search: sku, warehouse_id: null, page: 0, lang: "Ru" });
  return value.rows.filter((r) => r.sku === sku).reduce((sum, r) => sum + r.available, 0);
}

async function move(sku, warehouse_id, quantity, adjustment) {
  const { value } = await call("warehouse_move", {
    form: { code: sku, warehouse_id, quantity: String(quantity), reason: "load test", adjustment },
    lang: "Ru",
  });
  if (!value.Done) fail(`stock move refused for ${sku}`, { answer: value });
}

/** One shopper's one-unit cash order, as the checkout page sends it. */
function placeBody(key, variantId, n) {
  return {
    key,
    cart: { version: 2, lines: [{ variant_id: variantId, quantity: 1 }] },
    choices: { promo_code: null, delivery: "courier", instalment_months: null },
    form: {
      name: "Bench Buyer",
      phone: `+795${String(n % 1e8).padStart(8, "0")}`,
      email: `buyer${n}@example.com`,
      delivery: "courier",
      city: "Москва",
      address: "ул. Примерная, 1",
      postcode: "",
      pickup_point: null,
      payment: "cash_on_delivery",
      comment: "",
    },
    lang: "Ru",
  };
}

const commands = {
  async login(email, password) {
    const { response } = await call("login", { email, password }, { json: false });
    const session = response.headers.getSetCookie().find((c) => c.startsWith("lavka_session="));
    if (!session) fail("no session cookie after login");
    console.log(session.split(";")[0]);
  },

  // Variants that are not sold ahead of stock, so that running out refuses orders.
  async prepare(count) {
    const wanted = Number(count) + 1;
    const picked = [];
    let warehouse = null;
    for (let id = 1; picked.length < wanted && id < 20_000; id++) {
      let editor;
      try {
        ({ value: editor } = await call("admin_product_editor", { id: String(id) }, { json: false }));
      } catch {
        continue; // a deleted or missing product id
      }
      warehouse ??= editor.warehouses[0].id;
      for (const v of editor.form.variants) {
        if (v.backorder_days === "" && picked.length < wanted) picked.push({ id: v.id, sku: v.sku });
      }
    }
    if (picked.length < wanted) fail("not enough variants sold only from stock", { picked });
    const [race, ...hot] = picked;
    for (const v of hot) {
      await move(v.sku, warehouse, RECEIVED, false);
      v.available = await available(v.sku);
    }
    console.log(JSON.stringify({ warehouse, race, hot }));
  },

  // `answered`: the orders wrk saw placed. Requests still in flight when wrk
  // stops are placed without wrk counting them, so the shop's own count of
  // new orders (the history holds only closed ones) is the one to balance.
  async check(stateFile, answered) {
    const state = JSON.parse(readFileSync(stateFile, "utf8"));
    let taken = 0;
    for (const v of state.hot) {
      const now = await available(v.sku);
      if (now < 0) fail(`stock of ${v.sku} below zero`, { now });
      taken += v.available - now;
    }
    const { value: queue } = await call("admin_orders", {
      filter: { status: "new", paid: null, delivery: null, from: null, to: null, search: "", sort: "Newest", page: 0 },
      lang: "Ru",
    });
    const placed = queue.found;
    const result = { placed, answered: Number(answered), units_taken: taken };
    // No order placed means the requests were refused: nothing was measured.
    result.ok = placed > 0 && taken === placed && placed >= result.answered;
    if (!result.ok) fail("units taken differ from orders placed", result);
    console.log(JSON.stringify(result));
  },

  async race(stateFile) {
    const { warehouse, race } = JSON.parse(readFileSync(stateFile, "utf8"));
    // Exactly RACE_UNITS in one warehouse, none elsewhere.
    const { value } = await call("warehouse_stock", { search: race.sku, warehouse_id: null, page: 0, lang: "Ru" });
    for (const row of value.rows.filter((r) => r.sku === race.sku)) {
      const target = row.warehouse_id === warehouse ? RACE_UNITS : 0;
      if (row.available !== target) await move(race.sku, row.warehouse_id, target - row.available, true);
    }
    const before = await available(race.sku);
    if (before !== RACE_UNITS) fail("the race variant was not stocked", { before });
    const stamp = Date.now();
    const answers = await Promise.all(
      Array.from({ length: RACE_SHOPPERS }, (_, i) =>
        call("checkout_place", placeBody(`race-${stamp}-${i}`, race.id, 900_000_000 + i)).then(
          ({ value }) => Object.keys(value)[0],
        ),
      ),
    );
    const count = (kind) => answers.filter((a) => a === kind).length;
    const result = {
      units: RACE_UNITS,
      shoppers: RACE_SHOPPERS,
      placed: count("Placed"),
      sold_out: count("OutOfStock") + count("CartChanged"),
      other: answers.filter((a) => !["Placed", "OutOfStock", "CartChanged"].includes(a)),
      left: await available(race.sku),
    };
    result.ok = result.placed === RACE_UNITS && result.left === 0 && result.other.length === 0;
    if (!result.ok) fail("oversold or lost orders in the race", result);
    console.log(JSON.stringify(result));
  },
};

const [command, ...args] = process.argv.slice(2);
if (!commands[command]) {
  console.error("usage: bench-orders.mjs login|prepare|check|race ...");
  process.exit(2);
}
await commands[command](...args);
