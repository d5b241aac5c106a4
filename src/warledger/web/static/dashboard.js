/* warledger dashboard: the ledger's API drawn as a map, a timeline, tables and a drawer of sources.
   Every text from articles goes in with textContent, never as HTML. Filters live in the URL. */
"use strict";

const API = "/api/v1";
const TYPE_COLOURS = {
  "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22", "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d",
};
const FILTERS = ["date_from", "date_to", "country", "event_type", "side", "source", "q"];

const state = { next: null, markers: null, map: null, timeline: null, series: null, outlines: null };
window.warledger = state; // for the browser tests: the marker layer and the charts

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function filters() {
  const params = new URLSearchParams(location.search);
  const out = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) out.set(name, params.get(name));
  return out;
}

function setFilters(values) {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(values)) {
    if (value) params.set(name, value); else params.delete(name);
  }
  history.replaceState(null, "", "?" + params.toString());
  fillForm();
}

function fillForm() {
  const params = new URLSearchParams(location.search);
  const form = document.getElementById("filters");
  for (const name of FILTERS) form.elements[name].value = params.get(name) || "";
}

async function get(path, params) {
  const url = API + path + (params && params.toString() ? "?" + params.toString() : "");
  const response = await fetch(url);
  if (!response.ok) throw new Error(url + ": " + response.status);
  return response.json();
}

/* ---------------------------------------------------------------- map */
async function initMap() {
  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12 }).setView([30, 30], 2);
  state.map = map;
  const world = await (await fetch("/static/vendor/world-atlas/countries-110m.json")).json();
  state.outlines = L.geoJSON(topojson.feature(world, world.objects.countries), {
    style: { color: "#9aa", weight: 0.6, fillColor: "#f4f3ee", fillOpacity: 1 }, interactive: false,
  }).addTo(map);
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = el("div", null, "legend");
    for (const [type, colour] of Object.entries(TYPE_COLOURS)) {
      const row = el("div");
      const dot = el("i");
      dot.style.background = colour;
      row.append(dot, document.createTextNode(type));
      box.append(row);
    }
    return box;
  };
  legend.addTo(map);
}

async function drawMap() {
  const data = await fetch(API + "/map.geojson?" + filters().toString()).then((r) => r.json());
  if (state.markers) state.map.removeLayer(state.markers);
  const cluster = L.markerClusterGroup({ disableClusteringAtZoom: 9, showCoverageOnHover: false });
  for (const feature of data.features) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
    const marker = L.circleMarker([lat, lon], {
      radius: 5 + Math.min(12, Math.sqrt(p.fatalities || 0) * 2),
      color: p.geo_precision > 1 ? "#555" : "#fff", weight: p.geo_precision > 1 ? 5 : 1,
      opacity: p.geo_precision > 1 ? 0.35 : 1, fillColor: TYPE_COLOURS[p.event_type] || "#333", fillOpacity: 0.85,
    });
    marker.eventId = p.id;
    marker.on("click", () => openEvent(p.id));
    cluster.addLayer(marker);
  }
  cluster.addTo(state.map);
  state.markers = cluster;
  if (data.features.length) {
    state.map.fitBounds(cluster.getBounds(), { maxZoom: 7, padding: [20, 20] });
  }
}

/* ---------------------------------------------------------------- timeline */
async function drawTimeline() {
  const params = filters();
  params.delete("date_from");
  params.delete("date_to");
  const rows = (await get("/timeline", params)).rows;
  const xs = rows.map((r) => Date.parse(r.bucket) / 1000);
  const ys = rows.map((r) => r.events);
  const box = document.getElementById("timeline");
  box.textContent = "";
  const width = box.clientWidth || 800;
  state.timeline = new uPlot({
    width, height: 120, cursor: { drag: { x: true, y: false, setScale: false } },
    select: { show: true },
    scales: { x: { time: true } },
    series: [{}, { label: "events", stroke: "#334", fill: "#33447733", paths: uPlot.paths.bars({ size: [0.9, 20] }) }],
    axes: [{}, { size: 40 }],
    hooks: {
      setSelect: [(u) => {
        if (u.select.width < 2) return;
        const from = u.posToVal(u.select.left, "x");
        const to = u.posToVal(u.select.left + u.select.width, "x");
        const day = (t) => new Date(t * 1000).toISOString().slice(0, 10);
        setFilters({ date_from: day(from), date_to: day(to) });
        refreshEvents();
      }],
    },
  }, [xs, ys], box);
}

/* ---------------------------------------------------------------- events table */
function eventRow(e) {
  const row = el("tr");
  row.dataset.id = e.article_id + ":" + e.event_id;
  row.append(el("td", e.event_date || e.date_start), el("td", e.sub_event_type),
    el("td", [e.actor1, e.actor2].filter(Boolean).join(" / ")),
    el("td", [e.location, e.country].filter(Boolean).join(", ")), el("td", e.fatalities), el("td", e.source || e.outlet));
  row.addEventListener("click", () => openEvent(row.dataset.id));
  return row;
}

async function loadEvents(more) {
  const body = document.querySelector("#events tbody");
  let page;
  if (more && state.next) {
    page = await fetch(state.next).then((r) => r.json());
  } else {
    body.textContent = "";
    const params = filters();
    params.set("sort", "-date");
    params.set("limit", "50");
    params.set("with_total", "true");
    page = await get("/events", params);
    document.getElementById("count").textContent = page.total + " events";
    const csv = filters();
    csv.set("limit", "1000");
    document.getElementById("csv").href = API + "/events.csv?" + csv.toString();
  }
  for (const e of page.rows) body.append(eventRow(e));
  state.next = page.next_url;
  document.getElementById("more").hidden = !page.next_url;
}

async function refreshEvents() {
  await Promise.all([drawMap(), loadEvents(false)]);
}

/* ---------------------------------------------------------------- drawer */
function reportBox(r, contested) {
  const box = el("div", null, "report" + (contested.has(r.source) ? " contradiction" : ""));
  const head = el("div");
  head.append(el("span", r.source_side || r.side || "?", "side"), el("strong", r.source || r.outlet || "article " + r.article_id));
  const facts = el("div", [r.sub_event_type, (r.actor1 || "?") + " → " + (r.actor2 || "?"),
    "toll " + (r.fatalities ?? "?")].join(" · "));
  box.append(head, facts, el("div", r.sentence || r.notes, "sentence"));
  if (r.url && /^https?:\/\//.test(r.url)) {
    const link = el("a", r.outlet || r.url);
    link.href = r.url;
    link.rel = "noopener noreferrer";
    box.append(link);
  } else if (r.url) {
    box.append(el("div", r.url));
  }
  return box;
}

async function openEvent(id) {
  const drawer = document.getElementById("drawer");
  const body = document.getElementById("drawer-body");
  body.textContent = "";
  drawer.hidden = false;
  const event = await get("/events/" + encodeURIComponent(id));
  body.append(el("h2", event.sub_event_type), el("div", [event.event_date, event.location, event.country]
    .filter(Boolean).join(" · ")));
  if (event.incident_id === null || event.incident_id === undefined) {
    body.append(reportBox(event, new Set()));
    return;
  }
  const incident = await get("/incidents/" + event.incident_id);
  const contested = new Set(incident.contradictions.flatMap((c) => c.between));
  body.append(el("h3", "Incident " + incident.incident_id + ": " + incident.reports + " reports, " +
    incident.independent_sources + " independent sources"));
  const figures = el("table", null, "figures");
  const head = el("tr");
  for (const name of ["source", "side", "perpetrator", "target", "toll"]) head.append(el("th", name));
  figures.append(head);
  for (const v of incident.figures) {
    const row = el("tr", null, contested.has(v.source) ? "contradiction" : "");
    row.append(el("td", v.source), el("td", v.side), el("td", v.perpetrator), el("td", v.target),
      el("td", v.fatalities_low !== null && v.fatalities_low !== undefined && v.fatalities_high === null
        ? v.fatalities_low + "+" : v.fatalities));
    figures.append(row);
  }
  body.append(figures);
  for (const c of incident.contradictions) {
    body.append(el("div", c.kind + ": " + c.between.join(" vs ") + (c.says ? " (" + c.says.join(" vs ") + ")" : ""),
      "contradiction"));
  }
  for (const d of incident.denials || []) body.append(el("div", "denial by " + d.source + ": " + d.sentence, "contradiction"));
  for (const r of incident.reports_side_by_side) body.append(reportBox(r, contested));
}

/* ---------------------------------------------------------------- figures, sources, judgements */
async function drawSeries() {
  const category = document.getElementById("category").value;
  const params = filters();
  params.set("category", category);
  const rows = (await get("/series", params)).rows;
  const sources = [...new Set(rows.map((r) => r.source || "article"))];
  const days = [...new Set(rows.map((r) => r.date))].sort();
  const xs = days.map((d) => Date.parse(d) / 1000);
  const data = [xs];
  const series = [{}];
  const palette = ["#c0392b", "#2980b9", "#27ae60", "#8e44ad", "#e67e22"];
  sources.forEach((source, k) => {
    const value = (d, field) => {
      const row = rows.find((r) => r.date === d && (r.source || "article") === source);
      return row ? (row[field] ?? row.best ?? row.low ?? row.high) : null;
    };
    data.push(days.map((d) => value(d, "best")), days.map((d) => value(d, "low")), days.map((d) => value(d, "high")));
    const colour = palette[k % palette.length];
    series.push({ label: source, stroke: colour, width: 2, spanGaps: true, points: { show: true } },
      { label: source + " low", stroke: colour, dash: [4, 4], width: 1, spanGaps: true },
      { label: source + " high", stroke: colour, dash: [4, 4], width: 1, spanGaps: true });
  });
  const box = document.getElementById("series");
  box.textContent = "";
  state.series = new uPlot({ width: box.clientWidth || 800, height: 260, scales: { x: { time: true } }, series },
    data, box);
  const body = document.querySelector("#series-table tbody");
  body.textContent = "";
  for (const r of rows) {
    const row = el("tr");
    row.append(el("td", r.date), el("td", r.source), el("td", r.low), el("td", r.best), el("td", r.high),
      el("td", r.sentence));
    body.append(row);
  }
}

async function drawSources() {
  const rows = (await get("/sources", new URLSearchParams({ limit: "1000" }))).rows;
  const box = document.getElementById("sources");
  box.textContent = "";
  const sides = {};
  for (const s of rows) (sides[s.side || "UNKNOWN"] = sides[s.side || "UNKNOWN"] || []).push(s);
  for (const side of Object.keys(sides).sort()) {
    box.append(el("h3", side));
    const list = el("ul");
    for (const s of sides[side]) {
      list.append(el("li", s.name + " (" + s.kind + "): " + s.articles + " articles, " + s.claims + " claims, " +
        s.events + " events"));
    }
    box.append(list);
  }
}

async function drawJudgements() {
  const rows = (await get("/judgements", new URLSearchParams({ limit: "1000" }))).rows;
  const body = document.querySelector("#judgements tbody");
  body.textContent = "";
  for (const j of rows) {
    const row = el("tr");
    const band = el("td");
    const wrap = el("span", null, "band-wrap");
    const bar = el("span", null, "band");
    bar.style.left = Math.round(j.low * 100) + "px";
    bar.style.width = Math.max(2, Math.round((j.high - j.low) * 100)) + "px";
    wrap.append(bar);
    band.append(wrap, document.createTextNode(" " + Math.round(j.low * 100) + "–" + Math.round(j.high * 100) + "%"));
    row.append(el("td", j.phrase), el("td", j.standard), band, el("td", j.source), el("td", j.statement));
    body.append(row);
  }
}

/* ---------------------------------------------------------------- wiring */
const VIEWS = { events: null, figures: drawSeries, sources: drawSources, judgements: drawJudgements };

async function show(view) {
  for (const name of Object.keys(VIEWS)) {
    document.getElementById("view-" + name).hidden = name !== view;
    document.querySelector(`nav button[data-view="${name}"]`).classList.toggle("on", name === view);
  }
  setFilters({ view: view === "events" ? "" : view });
  if (VIEWS[view]) await VIEWS[view]();
  if (view === "events") state.map.invalidateSize();
}

async function main() {
  fillForm();
  const types = document.querySelector("select[name=event_type]");
  for (const type of Object.keys(TYPE_COLOURS)) types.append(new Option(type, type));
  fillForm();
  const categories = [...new Set((await get("/claims", new URLSearchParams({ limit: "1000" }))).rows
    .map((c) => c.category))].sort();
  const select = document.getElementById("category");
  for (const c of categories) select.append(new Option(c, c));
  if (categories.includes("attacks")) select.value = "attacks";
  select.addEventListener("change", drawSeries);
  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setFilters(Object.fromEntries(FILTERS.map((name) => [name, form.get(name)])));
    refreshEvents();
    drawTimeline();
  });
  document.getElementById("reset").addEventListener("click", () => {
    setFilters(Object.fromEntries(FILTERS.map((name) => [name, ""])));
    refreshEvents();
    drawTimeline();
  });
  document.getElementById("more").addEventListener("click", () => loadEvents(true));
  document.getElementById("close").addEventListener("click", () => { document.getElementById("drawer").hidden = true; });
  for (const button of document.querySelectorAll("nav button")) {
    button.addEventListener("click", () => show(button.dataset.view));
  }
  await initMap();
  await Promise.all([refreshEvents(), drawTimeline()]);
  const view = new URLSearchParams(location.search).get("view");
  if (view && VIEWS[view]) await show(view);
  document.body.dataset.ready = "true";
}

main().catch((error) => { console.error(error); document.body.dataset.ready = "error"; });
