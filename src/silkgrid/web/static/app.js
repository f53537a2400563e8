// SilkGrid dashboard: map details, dispatch selector, Run form with job polling, compare view.
// Vanilla JS and the Plotly bundle served by this server; no external resources. All text from the server is inserted with textContent,
// or is HTML rendered (and escaped) by the server.
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fmt(v) {
  if (v === null || v === undefined) return "-";
  if (typeof v === "number") {  // below 0.05 (MW, MWh, EUR/MWh) is solver round-off: shown as 0
    if (Math.abs(v) < 0.05) return "0";
    return Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en") : String(Number(v.toPrecision(3)));
  }
  return String(v);
}

// The per-server token that mutating requests (POST, DELETE) carry in X-SilkGrid-Token: the server
// embeds it in this same-origin page (<meta name="silkgrid-token">); other origins cannot read it.
function apiToken() {
  const m = document.querySelector("meta[name='silkgrid-token']");
  return m ? m.content : "";
}

async function getJSON(url) {
  const r = await fetch(url, {credentials: "same-origin"});
  if (!r.ok) throw new Error(await r.text());
  return r.json();
}

// ---------------------------------------------------------------- map details
function detailsTable(rows) {
  const t = el("table");
  for (const [k, v] of rows) {
    const tr = el("tr");
    tr.appendChild(el("td", k));
    tr.appendChild(el("td", fmt(v)));
    t.appendChild(tr);
  }
  return t;
}

function showDetails(d) {
  const box = document.getElementById("details");
  box.replaceChildren();
  if (d.kind === "node") {
    box.appendChild(el("h3", `Node ${d.id}` + (d.name ? ` (${d.name})` : "")));
    box.appendChild(detailsTable([
      ["mean price, EUR/MWh", d.mean_price_eur_per_mwh], ["demand, MWh/yr", d.demand_mwh],
      ["unserved, MWh/yr", d.unserved_mwh], ["curtailment, MWh/yr", d.curtailment_mwh]]));
    box.appendChild(el("h3", "Capacity, MW"));
    box.appendChild(detailsTable(Object.entries(d.capacity_mw)));
    box.appendChild(el("h3", "Generation, MWh/yr"));
    box.appendChild(detailsTable(Object.entries(d.generation_mwh)));
    box.appendChild(el("h3", "Links (MWh/yr out / in)"));
    box.appendChild(detailsTable(Object.entries(d.links).map(
      ([id, l]) => [`${id} ↔ ${l.to}`, `${fmt(l.out_mwh)} / ${fmt(l.in_mwh)}`])));
  } else {
    box.appendChild(el("h3", `Link ${d.id}: ${d.from_node} → ${d.to_node}`));
    box.appendChild(detailsTable([
      ["capacity, MW", d.total_mw], ["existing, MW", d.existing_mw], ["new, MW", d.new_mw],
      ["utilisation", d.utilisation === null ? "-" : (100 * d.utilisation).toFixed(1) + " %"],
      [`flow ${d.from_node}→${d.to_node}, MWh/yr`, d.forward_mwh],
      [`flow ${d.to_node}→${d.from_node}, MWh/yr`, d.backward_mwh], ["losses, MWh/yr", d.losses_mwh],
      [`mean price ${d.from_node}, EUR/MWh`, d.mean_price_from_eur_per_mwh],
      [`mean price ${d.to_node}, EUR/MWh`, d.mean_price_to_eur_per_mwh]]));
  }
}

// Charts are drawn by /static/plots.js (window.SilkGridPlots), shared with the report.
function initMap(rid) {
  SilkGridPlots.hooks["fig-map"] = (div) => {
    div.on("plotly_click", async (ev) => {
      const cd = ev.points && ev.points[0] && ev.points[0].customdata;
      if (!Array.isArray(cd) || (cd[0] !== "node" && cd[0] !== "link")) return;
      try {
        showDetails(await getJSON(`/api/results/${encodeURIComponent(rid)}/${cd[0]}/${encodeURIComponent(cd[1])}`));
      } catch (e) {
        document.getElementById("details").replaceChildren(el("p", String(e.message), "warn"));
      }
    });
  };
}

// ---------------------------------------------------------------- dispatch selector
function initDispatch(rid) {
  const form = document.getElementById("dispatch-form");
  const div = document.getElementById("fig-dispatch");
  if (!form || !div) return;
  const base = div.dataset.src;
  const node = () => new FormData(form).get("node");
  div.dataset.src = base + encodeURIComponent(node());
  form.addEventListener("change", () => {
    div.dataset.src = base + encodeURIComponent(node());
    SilkGridPlots.fetchInto(div);
  });
}

// ---------------------------------------------------------------- runs
const watching = new Set();

function jobItem(job) {
  let li = document.getElementById("job-" + job.id);
  if (!li) {
    li = el("li");
    li.id = "job-" + job.id;
    document.getElementById("jobs").prepend(li);
  }
  li.className = job.state;
  li.replaceChildren();
  li.appendChild(el("b", `${job.id} ${job.label}: `));
  if (job.state === "done") {
    const plan = job.verdict && job.verdict !== "optimal" ? ` (${job.verdict})` : "";
    li.appendChild(document.createTextNode(`done${plan} → `));
    const pathway = job.pathway_id != null;
    const a = el("a", pathway ? job.pathway_id : job.result_id);
    a.href = (pathway ? "/pathways/" : "/results/") + encodeURIComponent(pathway ? job.pathway_id : job.result_id);
    li.appendChild(a);
  } else if (!isActive(job)) {  // failed, cancelled, timed_out, interrupted
    li.appendChild(document.createTextNode(job.state.replace("_", " ") + (job.error ? ": " + job.error : "")));
  } else {
    const secs = job.elapsed_s != null ? `, ${Math.round(job.elapsed_s)} s` : "";
    const gap = job.gap != null ? `, gap ${(100 * job.gap).toFixed(2)}%` : "";
    const bounds = job.lower_bound != null && job.upper_bound != null
      ? ` between ${(job.lower_bound / 1e9).toFixed(3)} and ${(job.upper_bound / 1e9).toFixed(3)} bn EUR/yr` : "";
    const eta = job.eta_s != null ? `, about ${Math.round(job.eta_s)} s left` : "";
    li.appendChild(document.createTextNode(
      job.state + (job.stage ? ` (${job.stage}${secs}${gap}${bounds}${eta})` : "") + " … "));
    const b = el("button", job.cancelling ? "cancelling…" : "Cancel");
    b.type = "button";
    b.className = "cancel";
    b.disabled = !!job.cancelling;
    b.addEventListener("click", async () => {
      b.disabled = true;
      const r = await fetch("/api/runs/" + encodeURIComponent(job.id), {method: "DELETE",
                            headers: {"X-SilkGrid-Token": apiToken()}});
      if (r.ok) jobItem(await r.json());
    });
    li.appendChild(b);
  }
}

function isActive(job) { return job.state === "queued" || job.state === "running"; }

async function refreshResults() {
  const box = document.getElementById("results-list");
  const ticked = new Set([...box.querySelectorAll("input[name=ids]:checked")].map((x) => x.value));
  const r = await fetch("/fragments/results");
  if (!r.ok) return;
  box.innerHTML = await r.text();  // server-rendered, escaped HTML
  box.querySelectorAll("input[name=ids]").forEach((x) => { x.checked = ticked.has(x.value); });
}

async function poll() {
  for (const id of [...watching]) {
    try {
      const job = await getJSON("/api/jobs/" + encodeURIComponent(id));
      jobItem(job);
      if (!isActive(job)) {
        watching.delete(id);
        if (job.state === "done") await refreshResults();
      }
    } catch (e) { watching.delete(id); }
  }
  if (watching.size) setTimeout(poll, 700);
}

function initRunForm() {
  const form = document.getElementById("run-form");
  if (!form) return;
  const err = document.getElementById("run-error");
  getJSON("/api/jobs").then((jobs) => {
    jobs.forEach((j) => { jobItem(j); if (isActive(j)) watching.add(j.id); });
    if (watching.size) poll();
  }).catch(() => {});
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    err.hidden = true;
    const f = new FormData(form);
    const body = {label: f.get("label") || "run", cbam_hourly_matching: f.get("cbam_hourly_matching") === "on"};
    if (f.has("year")) body.year = Number(f.get("year"));
    for (const k of ["caspian_mw", "black_sea_mw"]) {
      if (!f.has(k)) continue;
      const v = String(f.get(k)).trim();
      body[k] = (v === "" || v.toLowerCase().startsWith("optimi")) ? "optimise" : Number(v);
    }
    for (const k of ["co2_price", "discount_rate"]) {
      const v = String(f.get(k) ?? "").trim();
      if (v !== "") body[k] = Number(v);
    }
    if (f.has("finance")) body.finance = String(f.get("finance"));
    if (f.has("weather_year")) body.weather_year = Number(f.get("weather_year"));
    const grant = String(f.get("grant_share") ?? "").trim();
    if (grant !== "") body.grant_share = Number(grant);
    if (form.elements.namedItem("include_announced")) body.include_announced = f.get("include_announced") === "on";
    const res = String(f.get("resolution") ?? "").trim();
    if (res) body.resolution = res;
    await submitRun(body);
  });
}

function initUpload() {
  const upload = document.getElementById("upload-form");
  if (!upload) return;
  const err = document.getElementById("run-error");
  upload.addEventListener("submit", async (ev) => {
    // the file's text goes as JSON {"yaml", "label"}: the same token and Content-Type rules as the form
    ev.preventDefault();
    err.hidden = true;
    const file = upload.querySelector("input[type=file]").files[0];
    if (!file) { err.textContent = "Choose a scenario YAML file first."; err.hidden = false; return; }
    const label = file.name.replace(/\.ya?ml$/i, "").slice(0, 60) || "upload";
    await submitRun({yaml: await file.text(), label}, "/api/runs/upload");
  });
  const pw = document.getElementById("pathway-form");
  if (!pw) return;
  pw.addEventListener("submit", async (ev) => {  // a packaged pathway: run_pathway in the queue
    ev.preventDefault();
    err.hidden = true;
    const f = new FormData(pw);
    const body = {pathway: String(f.get("pathway")), foresight: String(f.get("foresight"))};
    const res = String(f.get("resolution") ?? "").trim();
    if (res) body.resolution = res;
    await submitRun(body, "/api/runs/pathway");
  });
}

async function submitRun(body, url = "/api/runs") {
  const err = document.getElementById("run-error");
  const r = await fetch(url, {method: "POST", headers: {"Content-Type": "application/json",
                                      "X-SilkGrid-Token": apiToken()}, body: JSON.stringify(body)});
  const out = await r.json().catch(() => ({error: r.status === 413 ? "the file is too large"
                                                                   : "the server gave no answer"}));
  if (!r.ok) {
    err.textContent = out.error || ("error " + r.status);
    err.hidden = false;
    return;
  }
  document.getElementById("run-notes").textContent = (out.notes || []).join("; ");
  jobItem(out);
  const was = watching.size;
  watching.add(out.id);
  if (!was) setTimeout(poll, 300);
}

// ---------------------------------------------------------------- compare
function initCompare() {
  const form = document.getElementById("compare-form");
  if (!form) return;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const ids = [...form.querySelectorAll("input[name=ids]:checked")].map((x) => x.value);
    const out = document.getElementById("compare-out");
    const r = await fetch("/compare?ids=" + encodeURIComponent(ids.join(",")));
    const text = await r.text();
    if (r.ok) { out.innerHTML = text; SilkGridPlots.render(out); }  // server-rendered, escaped HTML and figure JSON
    else out.replaceChildren(el("p", text, "warn"));
  });
}

// ---------------------------------------------------------------- sweep chart
// The form's metric / axis / line selects set the chart's data-src; plots.js fetches and redraws it.
function initSweepChart() {
  const form = document.getElementById("sweep-chart");
  const div = document.getElementById("fig-sweep");
  if (!form || !div) return;
  const sync = () => {  // one line per value of a second axis: never the x axis itself
    const x = form.elements.x.value;
    for (const o of form.elements.colour.options) o.disabled = o.value !== "" && o.value === x;
    if (form.elements.colour.value === x) form.elements.colour.value = "";
  };
  sync();
  form.addEventListener("change", () => {
    sync();
    div.dataset.src = form.dataset.src + "?" + new URLSearchParams(new FormData(form)).toString();
    SilkGridPlots.fetchInto(div);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const head = document.getElementById("headline");
  if (head) {
    initMap(head.dataset.result);
    initDispatch(head.dataset.result);
  }
  initRunForm();
  initUpload();
  initCompare();
  initSweepChart();
});
