// The Runtime mesh dashboard: plain JavaScript, no build step, no external fetches. Every 2 s it reads the
// active view's JSON from /api/dashboard/* and updates the page in place (keyed by id, so nothing flickers and
// the graph layout only moves when the set of nodes or edges changes).
"use strict";

const REFRESH_MS = 2000;
const SVG = "http://www.w3.org/2000/svg";
const NODE_W = 186, NODE_H = 50, NODE_GAP = 18, SVC_PAD = 10, SVC_HEAD = 26, COL_GAP = 230, SVC_GAP = 34, MARGIN = 28;
// An edge has a straight run that carries its label: into the target, so labels of edges fanning out to
// different versions never overlap; or, when several edges converge on one target and this one is its source's
// only edge, out of the source, so converging labels never overlap either. LABEL_W fits
// "p50 99.9 · p99 999.9 ms" at 11px.
const LABEL_W = 146, RUN = LABEL_W + SVC_PAD + 18;

const state = { view: "graph", graph: null, layoutKey: "", layout: null, selected: null, lastOk: null, failing: null };

// ---------- helpers ----------
const $ = (sel, root = document) => root.querySelector(sel);
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
const fmtRate = r => r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
const fmtPct = f => (f * 100).toFixed(f > 0 && f < 0.001 ? 2 : 1) + "%";
const fmtMs = ms => ms === null || ms === undefined ? "–" : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
const severity = rate => rate >= 0.05 ? "bad" : rate > 0 ? "warn" : "ok";
function fmtDuration(seconds) {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
const ago = iso => fmtDuration((Date.now() - Date.parse(iso)) / 1000) + " ago";

async function getJson(url) {
  const response = await fetch(url, { cache: "no-store" });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body && body.error ? body.error : `HTTP ${response.status} from ${url}`);
  return body;
}

// ---------- tabs (WAI-ARIA tabs pattern: arrows move, Home/End jump) ----------
const tabs = [...document.querySelectorAll('[role="tab"]')];
function selectTab(tab, focus) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", on ? "true" : "false");
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  state.view = tab.id.replace("tab-", "");
  history.replaceState(null, "", "#" + state.view);
  refresh();
}
for (const tab of tabs) {
  tab.addEventListener("click", () => selectTab(tab, false));
  tab.addEventListener("keydown", e => {
    const i = tabs.indexOf(tab);
    const next = { ArrowRight: tabs[(i + 1) % tabs.length], ArrowLeft: tabs[(i + tabs.length - 1) % tabs.length], Home: tabs[0], End: tabs[tabs.length - 1] }[e.key];
    if (next) { e.preventDefault(); selectTab(next, true); }
  });
}

// ---------- graph layout: services in left-to-right layers, their versions stacked inside ----------
const svcOf = node => `${node.namespace}/${node.service}`;
function layoutGraph(graph) {
  const services = new Map();
  for (const n of graph.nodes) {
    const key = svcOf(n);
    if (!services.has(key)) services.set(key, { key, name: n.service, namespace: n.namespace, unknown: n.kind === "unknown", nodes: [] });
    services.get(key).nodes.push(n);
  }
  for (const s of services.values()) s.nodes.sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }));
  const byId = new Map(graph.nodes.map(n => [n.id, n]));
  const links = [];
  for (const e of graph.edges) {
    const a = byId.get(e.source), b = byId.get(e.target);
    if (a && b && svcOf(a) !== svcOf(b)) links.push([svcOf(a), svcOf(b)]);
  }
  // Longest-path layering; relaxation stops after |services| rounds so a call cycle cannot loop forever.
  const rank = new Map([...services.keys()].map(k => [k, 0]));
  for (let round = 0; round < services.size; round++) {
    let changed = false;
    for (const [a, b] of links) if (rank.get(b) < rank.get(a) + 1) { rank.set(b, rank.get(a) + 1); changed = true; }
    if (!changed) break;
  }
  const columns = [];
  for (const s of services.values()) (columns[rank.get(s.key)] ??= []).push(s);
  const y = new Map();
  const positions = new Map(), boxes = [];
  let width = 0, height = 0;
  columns.forEach((column, c) => {
    // Order by the mean position of callers (fewer crossings), then by name for stability.
    const weight = s => {
      const ys = links.filter(([, b]) => b === s.key).map(([a]) => y.get(a)).filter(v => v !== undefined);
      return ys.length ? ys.reduce((p, v) => p + v, 0) / ys.length : Infinity;
    };
    column.sort((a, b) => (weight(a) - weight(b)) || a.key.localeCompare(b.key));
    let top = MARGIN;
    const x = MARGIN + c * (NODE_W + 2 * SVC_PAD + COL_GAP);
    for (const s of column) {
      const h = SVC_HEAD + s.nodes.length * (NODE_H + NODE_GAP) - NODE_GAP + SVC_PAD;
      boxes.push({ key: s.key, title: s.unknown ? "outside the mesh" : `${s.name}  ·  ${s.namespace}`, x, y: top, w: NODE_W + 2 * SVC_PAD, h, unknown: s.unknown });
      s.nodes.forEach((n, i) => positions.set(n.id, { x: x + SVC_PAD, y: top + SVC_HEAD + i * (NODE_H + NODE_GAP) }));
      y.set(s.key, top + h / 2);
      top += h + SVC_GAP;
      width = Math.max(width, x + NODE_W + 2 * SVC_PAD + MARGIN);
    }
    height = Math.max(height, top - SVC_GAP + MARGIN);
  });
  return { positions, boxes, width, height };
}

function edgeGeometry(e, layout, labelAtSource) {
  const a = layout.positions.get(e.source), b = layout.positions.get(e.target);
  if (!a || !b) return null;
  if (e.source === e.target) {
    const x = a.x + NODE_W, y1 = a.y + 12, y2 = a.y + NODE_H - 12;
    return { d: `M${x},${y1} C${x + 60},${y1 - 30} ${x + 60},${y2 + 30} ${x},${y2}`, mx: x + 46, my: a.y + NODE_H / 2, ex: x + 6, ey: y2 };
  }
  const x1 = a.x + NODE_W, y1 = a.y + NODE_H / 2, x2 = b.x, y2 = b.y + NODE_H / 2;
  if (labelAtSource) {
    const xb = Math.min(x2 - 20, x1 + RUN), dxs = Math.max(30, (x2 - xb) / 2);
    const mx = x1 + SVC_PAD + 8 + LABEL_W / 2;
    return { d: `M${x1},${y1} L${xb},${y1} C${xb + dxs},${y1} ${x2 - dxs},${y2} ${x2},${y2}`, mx, my: y1, ex: mx - LABEL_W / 2 + 20, ey: y1 - 32 };
  }
  const xa = Math.max(x1 + 20, x2 - RUN), dx = Math.max(30, (xa - x1) / 2);
  return { d: `M${x1},${y1} C${x1 + dx},${y1} ${xa - dx},${y2} ${xa},${y2} L${x2},${y2}`, mx: x2 - SVC_PAD - 8 - LABEL_W / 2, my: y2, ex: x2 - SVC_PAD - 8 - LABEL_W + 20, ey: y2 - 32 };
}

function renderGraph(graph) {
  const root = $("#graph");
  const empty = $('[data-testid="graph-empty"]');
  const meta = $('[data-testid="graph-meta"]');
  // sourceError: the configured Prometheus failed and the sidecars' data is shown; the full reason is the tooltip.
  meta.textContent = `last ${graph.windowSeconds} s · data from ${graph.source}` +
    (graph.sourceError ? " (Prometheus unavailable)" : "") + ` · ${graph.nodes.length} nodes · ${graph.edges.length} edges`;
  if (graph.sourceError) meta.title = graph.sourceError; else meta.removeAttribute("title");
  if (graph.nodes.length === 0 && graph.edges.length === 0) {
    root.replaceChildren();
    root.removeAttribute("viewBox"); root.style.width = "0";
    empty.replaceChildren(el("strong", { text: `No traffic in the last ${graph.windowSeconds} s` }),
      el("span", { text: "Send some requests through the sidecars; the graph fills in within a few seconds." }));
    empty.classList.remove("hidden");
    state.layoutKey = "";
    return;
  }
  empty.classList.add("hidden");
  const key = JSON.stringify([graph.nodes.map(n => n.id).sort(), graph.edges.map(e => e.id).sort()]);
  if (key !== state.layoutKey) {
    state.layoutKey = key;
    state.layout = layoutGraph(graph);
    buildGraphDom(graph, state.layout);
  }
  updateGraphDom(graph);
}

function lockGlyph(x, y) {
  const g = svg("g", { class: "lock", "data-testid": "edge-lock", transform: `translate(${x},${y})` });
  const title = svg("title"); title.textContent = "mutual TLS";
  g.append(title, svg("rect", { x: 1, y: 6, width: 10, height: 7, rx: 1.5, fill: "#1f9d63" }),
    svg("path", { d: "M3.5 6V4.2a2.5 2.5 0 0 1 5 0V6", fill: "none", stroke: "#1f9d63", "stroke-width": 1.6 }));
  return g;
}

// Builds the SVG skeleton (boxes, nodes, edges) once per layout; values are filled in by updateGraphDom.
function buildGraphDom(graph, layout) {
  const root = $("#graph");
  // Scales down to the panel's width (never up), so a wide mesh stays on screen without scrolling sideways.
  root.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
  root.style.width = "100%";
  root.style.maxWidth = layout.width + "px";
  root.removeAttribute("width"); root.removeAttribute("height");
  const defs = svg("defs");
  for (const [name, color] of [["ok", "#9aa6b5"], ["warn", "#d98a00"], ["bad", "#d64545"]]) {
    const marker = svg("marker", { id: "arrow-" + name, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
    defs.append(marker);
  }
  const boxes = svg("g"), edges = svg("g"), nodes = svg("g"), labels = svg("g"), splits = svg("g");
  for (const b of layout.boxes) {
    const g = svg("g", { "data-testid": "graph-service", "data-service": b.key });
    g.append(svg("rect", { class: "svc-box", x: b.x, y: b.y, width: b.w, height: b.h, rx: 10, "stroke-dasharray": b.unknown ? "4 3" : "none" }));
    const t = svg("text", { class: "svc-title", x: b.x + 12, y: b.y + 16 }); t.textContent = b.title;
    g.append(t);
    boxes.append(g);
  }
  const into = new Map(), outOf = new Map();
  for (const e of graph.edges) {
    into.set(e.target, (into.get(e.target) || 0) + 1);
    outOf.set(e.source, (outOf.get(e.source) || 0) + 1);
  }
  for (const e of graph.edges) {
    const geo = edgeGeometry(e, layout, into.get(e.target) > 1 && outOf.get(e.source) === 1);
    if (!geo) continue;
    const g = svg("g", { class: "edge", "data-testid": "graph-edge", "data-edge-id": e.id });
    const title = svg("title");
    g.append(svg("path", { d: geo.d, "marker-end": "url(#arrow-ok)" }), title);
    edges.append(g);
    const label = svg("g", { class: "edge-label", "data-testid": "edge-label", "data-edge-id": e.id, transform: `translate(${geo.mx},${geo.my})` });
    label.append(svg("rect", { x: -LABEL_W / 2, y: -19, width: LABEL_W, height: 38, rx: 6 }));
    const l1 = svg("text", { "text-anchor": "middle", y: -4, class: "l1" }), l2 = svg("text", { "text-anchor": "middle", y: 11, class: "l2" });
    label.append(l1, l2);
    labels.append(label);
    const split = svg("g", { class: "edge-split", "data-testid": "edge-split", "data-edge-id": e.id, transform: `translate(${geo.ex},${geo.ey})` });
    split.append(svg("rect", { x: -20, y: -10, width: 40, height: 20, rx: 10 }), svg("text", { "text-anchor": "middle", y: 4 }));
    splits.append(split);
  }
  for (const n of graph.nodes) {
    const p = layout.positions.get(n.id);
    const g = svg("g", { class: "node" + (n.kind === "unknown" ? " unknown" : ""), "data-testid": "graph-node", "data-node-id": n.id,
      transform: `translate(${p.x},${p.y})`, tabindex: 0, role: "button", "aria-label": `${n.service} ${n.version}: details` });
    g.append(svg("rect", { class: "body", width: NODE_W, height: NODE_H, rx: 8 }), svg("circle", { class: "dot", cx: 14, cy: 17, r: 4.5 }));
    const v = svg("text", { class: "ver", x: 26, y: 21 }); v.textContent = n.kind === "unknown" ? "unknown caller" : `${n.service} ${n.version}`;
    const s = svg("text", { class: "stat", x: 14, y: 39 });
    g.append(v, s);
    g.addEventListener("click", () => openNode(n.id));
    g.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openNode(n.id); } });
    nodes.append(g);
  }
  root.replaceChildren(defs, boxes, edges, nodes, labels, splits);
}

function updateGraphDom(graph) {
  const root = $("#graph");
  for (const n of graph.nodes) {
    const g = root.querySelector(`[data-testid="graph-node"][data-node-id="${CSS.escape(n.id)}"]`);
    if (!g) continue;
    const sev = n.rps === 0 ? "idle" : severity(n.errorRate);
    g.querySelector(".dot").setAttribute("class", "dot " + sev);
    g.querySelector(".stat").textContent = n.kind === "unknown"
      ? "no sidecar"
      : `${fmtRate(n.rps)} rps · ${fmtPct(n.errorRate)} err · ${n.proxies} ${n.proxies === 1 ? "proxy" : "proxies"}`;
    g.classList.toggle("selected", state.selected === n.id);
  }
  for (const e of graph.edges) {
    const sel = `[data-edge-id="${CSS.escape(e.id)}"]`;
    const g = root.querySelector(`[data-testid="graph-edge"]${sel}`);
    if (!g) continue;
    const sev = severity(e.errorRate);
    g.setAttribute("class", "edge " + sev);
    g.querySelector("path").setAttribute("marker-end", `url(#arrow-${sev})`);
    g.querySelector("title").textContent = `${e.source} → ${e.target} (${e.destinationService}, ${e.protocol})\n` +
      Object.entries(e.responseCodes || {}).map(([code, n]) => `${code}: ${n}`).join(", ");
    const label = root.querySelector(`[data-testid="edge-label"]${sel}`);
    const l1 = label.querySelector(".l1");
    l1.replaceChildren();
    const rate = svg("tspan"); rate.textContent = `${fmtRate(e.rps)} rps · `;
    const err = svg("tspan", { class: e.errorRate > 0 ? "err" : "" }); err.textContent = `${fmtPct(e.errorRate)} err`;
    l1.append(rate, err);
    label.querySelector(".l2").textContent = `p50 ${fmtMs(e.p50Ms)} · p99 ${fmtMs(e.p99Ms)} ms`;
    const lock = label.querySelector(".lock");
    if (e.mtls && !lock) label.append(lockGlyph(-LABEL_W / 2 + 6, -13)); else if (!e.mtls && lock) lock.remove();
    l1.setAttribute("x", e.mtls ? 8 : 0);
    label.querySelector(".l2").setAttribute("x", e.mtls ? 8 : 0);
    const split = root.querySelector(`[data-testid="edge-split"]${sel}`);
    if (e.split === null || e.split === undefined) split.classList.add("hidden");
    else { split.classList.remove("hidden"); split.querySelector("text").textContent = Math.round(e.split * 100) + "%"; }
  }
}

// ---------- node panel ----------
const panel = $('[data-testid="node-panel"]');
$('[data-testid="node-panel-close"]').addEventListener("click", closeNode);
document.addEventListener("keydown", e => { if (e.key === "Escape" && state.selected) closeNode(); });
function closeNode() {
  const previous = state.selected;
  state.selected = null;
  panel.classList.add("hidden");
  if (state.graph) updateGraphDom(state.graph);
  const node = previous && document.querySelector(`[data-testid="graph-node"][data-node-id="${CSS.escape(previous)}"]`);
  if (node) node.focus();
}
function openNode(id) {
  state.selected = id;
  panel.classList.remove("hidden");
  if (state.graph) updateGraphDom(state.graph);
  loadNode(true);
}
async function loadNode(focus) {
  const id = state.selected;
  if (!id) return;
  const [ns, service, version] = id.split("/");
  const body = $(".panel-body", panel);
  if (ns === "unknown") {
    body.replaceChildren(el("h2", { text: "Unknown caller" }), el("p", { class: "muted", text: "Traffic from outside the mesh (no sidecar reported it), seen by the destination's sidecar." }));
    return;
  }
  let node;
  try {
    node = await getJson(`/api/dashboard/node?namespace=${encodeURIComponent(ns)}&service=${encodeURIComponent(service)}&version=${encodeURIComponent(version)}`);
  } catch (err) {
    body.replaceChildren(el("h2", { text: `${service} ${version}` }), el("p", { class: "muted", "data-testid": "node-error", text: err.message }));
    return;
  }
  if (state.selected !== id) return;
  const edges = state.graph ? state.graph.edges : [];
  const inbound = node.inbound.length ? node.inbound : edges.filter(e => e.target === id).map(e => e.id);
  const outbound = node.outbound.length ? node.outbound : edges.filter(e => e.source === id).map(e => e.id);
  const list = (testid, items, empty, render) => items.length
    ? el("ul", { "data-testid": testid }, ...items.map(render))
    : el("p", { class: "muted small", "data-testid": testid + "-empty", text: empty });
  body.replaceChildren(
    el("h2", { "data-testid": "node-title", text: `${node.service} ${node.version}` }),
    el("div", { class: "muted mono", text: node.host }),
    el("h3", { text: `Endpoints (${node.endpoints.length})` }),
    list("node-endpoints", node.endpoints, "No registered endpoints.", ep => el("li", { "data-testid": "node-endpoint" },
      el("span", { class: "mono", text: `${ep.address}:${ep.port}` }),
      el("span", { class: "badge " + (ep.ejectedBy > 0 ? "EJECTED" : ep.health), text: ep.ejectedBy > 0 ? `EJECTED by ${ep.ejectedBy}` : ep.health }),
      el("span", { class: "muted small", text: ep.outlierReason ? `outlier: ${ep.outlierReason}` : "no outlier ejections" }))),
    el("h3", { text: "Applied config and policies" }),
    list("node-config", node.config, "No VirtualService, DestinationRule or policy applies to this workload.", c => el("li", { "data-testid": "node-config-item", class: c.shadowed ? "shadowed" : "" },
      el("span", { class: "kind", text: c.kind }), el("span", { text: `${c.namespace}/${c.name}` }), el("span", { class: "muted small", text: c.why }))),
    el("h3", { text: `Proxies (${node.proxies.length})` }),
    list("node-proxies", node.proxies, "No proxies.", p => el("li", { "data-testid": "node-proxy" },
      el("span", { class: "mono", text: p.id }), el("span", { class: "badge " + p.state, text: p.state }),
      el("span", { class: "muted small", text: p.certificate ? `cert ${fmtDuration(p.certificate.secondsLeft)} left` : "no certificate" }))),
    el("h3", { text: "Traffic" }),
    list("node-inbound", inbound, "No inbound traffic in the window.", id => el("li", { class: "mono", text: "← " + id.split("->")[0] })),
    list("node-outbound", outbound, "No outbound traffic in the window.", id => el("li", { class: "mono", text: "→ " + id.split("->")[1] })));
  if (focus) panel.focus();
}

// ---------- config view ----------
function renderConfig(config) {
  $('[data-testid="config-meta"]').textContent = `${config.resources.length} resources · ${config.proxies} proxies registered`;
  const tbody = $('[data-testid="config-table"] tbody');
  const empty = $('[data-testid="config-empty"]');
  empty.classList.toggle("hidden", config.resources.length > 0);
  empty.textContent = "No resources stored yet: apply some with meshctl apply -f.";
  tbody.replaceChildren(...config.resources.map(r => {
    const full = r.proxies > 0 && r.applied === r.proxies;
    const applied = r.proxies === 0
      ? el("span", { class: "muted", text: "not distributed to proxies" })
      : el("div", {}, el("span", { "data-testid": "config-applied", text: `applied to ${r.applied} of ${r.proxies}` }),
        el("div", { class: "bar" + (full ? "" : " partial") }, el("i", { style: `width:${Math.round(100 * r.applied / r.proxies)}%` })));
    const findings = r.findings.length === 0
      ? el("span", { class: "ok-text", text: "✓ no findings" })
      : el("div", {}, ...r.findings.map(f => el("p", { class: "finding", "data-testid": "config-finding" },
        el("span", { class: "badge " + f.severity, text: f.severity }), " ", el("code", { text: f.code }), " ",
        f.path ? el("code", { class: "muted", text: f.path + ": " }) : null, f.message)));
    return el("tr", { "data-testid": "config-row", "data-resource": `${r.kind}/${r.namespace}/${r.name}` },
      el("td", { class: "kind", text: r.kind }), el("td", { text: `${r.namespace}/${r.name}` }), el("td", { class: "num", text: String(r.resourceVersion) }),
      el("td", {}, applied), el("td", {}, findings));
  }));
}

// ---------- proxies view ----------
function renderProxies(list) {
  const proxies = list.proxies;
  const synced = proxies.filter(p => p.state === "SYNCED").length;
  $('[data-testid="proxies-meta"]').textContent = `${proxies.length} proxies · ${synced} synced`;
  const empty = $('[data-testid="proxies-empty"]');
  empty.classList.toggle("hidden", proxies.length > 0);
  empty.textContent = "No sidecars registered with this control plane.";
  $('[data-testid="proxies-table"] tbody').replaceChildren(...proxies.map(p => {
    const cert = p.certificate;
    const expiry = cert
      ? el("div", {}, el("div", { class: "mono small", text: cert.spiffeId }),
        el("span", { "data-testid": "proxy-cert-expiry", class: "expiry" + (cert.secondsLeft <= 0 ? " expired" : cert.secondsLeft < 3600 ? " soon" : ""),
          text: cert.secondsLeft <= 0 ? `expired ${fmtDuration(cert.secondsLeft)} ago` : `expires in ${fmtDuration(cert.secondsLeft)}` }),
        el("span", { class: "muted small", text: " · " + new Date(cert.notAfter).toISOString().replace("T", " ").slice(0, 16) + " UTC" }))
      : el("span", { class: "muted", "data-testid": "proxy-cert-none", text: "plaintext (no certificate)" });
    return el("tr", { "data-testid": "proxy-row", "data-proxy-id": p.id },
      el("td", { class: "mono", text: p.id }),
      el("td", {}, el("strong", { text: p.service }), " ", el("span", { class: "muted", text: `${p.version} · ${p.namespace}` })),
      el("td", { class: "mono", text: p.address }),
      el("td", {}, el("span", { class: "badge " + p.state, "data-testid": "proxy-state", text: p.state }),
        p.nackError ? el("div", { class: "small", style: "color:var(--bad)", text: p.nackError }) : null),
      el("td", { class: "mono small", text: p.ackedVersion || "–" }),
      el("td", { class: "small", text: p.connected ? ago(p.lastHeartbeat) : "stream closed · " + ago(p.lastHeartbeat) }),
      el("td", {}, expiry));
  }));
}

// ---------- refresh loop ----------
let inflight = false;
async function refresh() {
  if (inflight) return;
  inflight = true;
  try {
    if (state.view === "graph") {
      try {
        state.graph = await getJson("/api/dashboard/graph");
        renderGraph(state.graph);
        if (state.selected) await loadNode(false);
      } catch (err) {
        $('[data-testid="graph-meta"]').textContent = "";
        const empty = $('[data-testid="graph-empty"]');
        empty.replaceChildren(el("strong", { text: "The service graph is unavailable" }), el("span", { text: err.message }));
        empty.classList.remove("hidden");
        throw err;
      }
    } else if (state.view === "config") {
      renderConfig(await getJson("/api/dashboard/config"));
    } else {
      renderProxies(await getJson("/api/dashboard/proxies"));
    }
    state.lastOk = new Date();
    state.failing = null;
  } catch (err) {
    state.failing = err.message;
  } finally {
    inflight = false;
    showStatus();
  }
}
function showStatus() {
  $('[data-testid="live-dot"]').classList.toggle("down", !!state.failing);
  $('[data-testid="last-updated"]').textContent = state.failing
    ? `update failed: ${state.failing}`
    : state.lastOk ? `live · updated ${state.lastOk.toLocaleTimeString()}` : "connecting…";
}

const initial = tabs.find(t => "#" + t.id.replace("tab-", "") === location.hash) || tabs[0];
selectTab(initial, false);
setInterval(refresh, REFRESH_MS);
