// Puts one engine's run (JSON from scripts/bench.sh) into bench-results.json,
// keeping the other engine's last run, and writes bench-results.md from both.
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const run = JSON.parse(process.argv[2]);
const file = "bench-results.json";
const previous = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
const results = { runs: { ...(previous.runs ?? {}), [run.engine]: run } };
writeFileSync(file, JSON.stringify(results, null, 2) + "\n");

const lines = [];
for (const r of Object.values(results.runs)) {
  lines.push(
    `### ${r.engine} (${r.date}, ${r.cores} cores, ${r.machine})`,
    "",
    `${r.data.products} synthetic products plus the demo catalog, ${r.data.customers} customers, ` +
      `${r.data.orders} orders (loaded in ${r.data.load_seconds} s); ` +
      `wrk -t${r.load.threads} -c${r.load.connections} -d${r.load.duration} per scenario on loopback.`,
    "",
    "| scenario | req/s | p50 ms | p99 ms | max ms | errors | RSS after, MB | peak so far, MB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [name, s] of Object.entries(r.scenarios)) {
    lines.push(
      `| ${name} | ${s.rps.toFixed(0)} | ${s.p50_ms} | ${s.p99_ms} | ${s.max_ms} | ${s.errors} | ` +
        `${s.rss_mb ?? "–"} | ${s.hwm_mb ?? "–"} |`,
    );
  }
  const p = r.scenarios.place_order;
  lines.push(
    "",
    `Place order: ${p.placed_per_s.toFixed(0)} orders/s (${p.placed} placed within the run); the shop holds ` +
      `${p.stock_check.placed} new orders and stock fell by ${p.stock_check.units_taken} units. ` +
      `Race: ${r.race.shoppers} shoppers for ${r.race.units} units: ${r.race.placed} placed, ` +
      `${r.race.sold_out} told sold out, ${r.race.left} left.`,
    `Server RSS: ${r.rss_idle_mb} MB idle, ${r.rss_peak_mb} MB peak.`,
    "",
    "| first load (HTML + CSS + JS + WASM) | brotli KB | gzip KB |",
    "|---|---:|---:|",
  );
  const kb = (bytes) => (bytes / 1024).toFixed(0);
  for (const [page, f] of Object.entries(r.first_load)) {
    lines.push(`| ${page} | ${kb(f.total_br)} (HTML ${kb(f.html_br)}) | ${kb(f.total_gz)} (HTML ${kb(f.html_gz)}) |`);
  }
  lines.push("");
}
writeFileSync("bench-results.md", lines.join("\n"));
console.log(lines.join("\n"));
