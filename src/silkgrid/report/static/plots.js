// SilkGrid charts: draws every <div class="plot"> of a page with Plotly, for the report (inline) and
// the dashboard (/static/plots.js).  A chart's figure is the JSON in <script type="application/json"
// id="ID-json"> (data, not code) or, with data-src, fetched from that same-origin URL.  Charts are
// drawn one at a time after the page is shown, those in view first, so a long page responds at once.
// A figure with "frames" (the corridor map) gets a time slider and a play button below it: moving
// the slider restyles the frame's traces (fast), instead of Plotly's animation frames (slow to set up).
(function () {
  "use strict";
  const CONFIG = {displaylogo: false, responsive: true, scrollZoom: false,
                  toImageButtonOptions: {format: "png", scale: 2}, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
  const hooks = {};  // div id -> function(div) called after the chart is drawn
  const drawn = {};  // div id -> ms since the page's navigation started when the chart was drawn
  const queue = [];
  let draining = false;

  function flatten(obj, prefix, out) {  // {marker: {size: [..]}} -> {"marker.size": [[..]]} for restyle
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix ? prefix + "." + k : k;
      if (v && typeof v === "object" && !Array.isArray(v)) flatten(v, key, out);
      else out[key] = [v];
    }
    return out;
  }

  function timeSlider(div, frames) {
    let box = div.nextElementSibling;
    if (!box || !box.classList.contains("timeslider")) {
      box = document.createElement("div");
      box.className = "timeslider";
      div.after(box);
    }
    box.replaceChildren();
    const play = document.createElement("button");
    play.type = "button";
    play.textContent = "▶";
    play.title = "play / pause";
    const range = document.createElement("input");
    range.type = "range";
    range.min = "0";
    range.max = String(frames.length - 1);
    range.value = "0";
    range.setAttribute("aria-label", "time");
    const label = document.createElement("span");
    const show = (i) => {
      const f = frames[i];
      label.textContent = f.label || f.name;
      f.traces.forEach((t, k) => Plotly.restyle(div, flatten(f.data[k], "", {}), [t]));
    };
    let timer = null;
    const stop = () => { clearInterval(timer); timer = null; play.textContent = "▶"; };
    range.addEventListener("input", () => show(Number(range.value)));
    play.addEventListener("click", () => {
      if (timer) { stop(); return; }
      play.textContent = "❚❚";
      timer = setInterval(() => {
        const next = (Number(range.value) + 1) % frames.length;
        range.value = String(next);
        show(next);
      }, 300);
    });
    box.append(play, range, label);
    label.textContent = frames[0].label || frames[0].name;
  }

  function draw(div, fig) {
    if (!div.classList.contains("js-plotly-plot")) div.textContent = "";  // a loading note, not a chart
    return Plotly.react(div, {data: fig.data, layout: fig.layout, config: CONFIG}).then(() => {
      if (fig.frames && fig.frames.length > 1) timeSlider(div, fig.frames);
      if (hooks[div.id]) hooks[div.id](div);
      drawn[div.id] = performance.now();
    });
  }

  async function fetchInto(div) {
    div.classList.add("busy");
    try {
      const r = await fetch(div.dataset.src, {credentials: "same-origin"});
      if (!r.ok) throw new Error(await r.text());
      await draw(div, await r.json());
    } catch (e) {
      Plotly.purge(div);
      const p = document.createElement("p");
      p.className = "warn";
      p.textContent = String(e.message);
      div.replaceChildren(p);
    } finally {
      div.classList.remove("busy");
    }
  }

  function drawOne(div) {
    const data = document.getElementById(div.id + "-json");
    if (data) return draw(div, JSON.parse(data.textContent));
    if (div.dataset.src) return fetchInto(div);
    return Promise.resolve();
  }

  function drain() {
    if (!queue.length) { draining = false; return; }
    draining = true;
    const view = window.innerHeight;
    const i = queue.findIndex((d) => { const r = d.getBoundingClientRect(); return r.bottom > 0 && r.top < view; });
    const div = queue.splice(i < 0 ? 0 : i, 1)[0];
    // a chart that fails (even synchronously, inside Plotly) must not stop the charts after it
    new Promise((resolve) => resolve(drawOne(div))).catch((e) => {
      const p = document.createElement("p");
      p.className = "warn";
      p.textContent = "This chart could not be drawn: " + String(e && e.message ? e.message : e);
      div.replaceChildren(p);
    }).then(() => setTimeout(drain, 0));
  }

  function render(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("div.plot").forEach((div) => queue.push(div));
    if (!draining) setTimeout(drain, 0);
  }

  window.SilkGridPlots = {render, fetchInto, hooks, drawn, CONFIG};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => render(document));
  else render(document);
})();
