// headwater UI: live updates and small interactions. Hand-written, no dependencies.
// Every value from the server is put into the page as text (textContent), never as HTML;
// the only HTML inserted is the timeline and graph SVG the server rendered (and escaped).
"use strict";

(function () {
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function getJSON(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { accept: "application/json" } });
    if (response.status === 401 && location.pathname !== "/login") {
      window.location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
    }
    if (!response.ok) throw new Error(url + ": " + response.status);
    return response.json();
  }

  // Poll `fn` every `ms` while the tab is visible; `fn` may return false to stop.
  function every(ms, fn) {
    let timer = null;
    async function tick() {
      if (document.hidden) { timer = setTimeout(tick, ms); return; }
      let more = true;
      try { more = (await fn()) !== false; } catch (err) { /* a missed tick is retried next time */ }
      if (more) timer = setTimeout(tick, ms);
    }
    timer = setTimeout(tick, ms);
    return () => clearTimeout(timer);
  }

  function localTimes(root) {
    for (const t of $$("time[datetime]", root)) {
      const d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.title = t.textContent; t.textContent = d.toLocaleString(); }
    }
  }

  function setState(badge, state) {
    if (!badge || !state) return;
    badge.className = "state s-" + state.type;
    badge.textContent = state.name;
  }

  function inFlightBadge() {
    const badge = $("#inflight");
    if (!badge) return;
    const update = async () => {
      const data = await getJSON("/ui/api/summary");
      badge.hidden = data.in_flight === 0;
      badge.textContent = data.in_flight + " in flight";
    };
    update().catch(() => {});
    every(5000, update);
  }

  // Lists (flow runs, dashboard): refresh the state of the rows shown.
  function liveRows() {
    const rows = $$("tr[data-run]");
    if (!rows.length) return;
    const ids = rows.map((r) => r.dataset.run).join(",");
    every(3000, async () => {
      const data = await getJSON("/ui/api/flow-runs/states?ids=" + encodeURIComponent(ids));
      for (const row of rows) {
        const s = data.states[row.dataset.run];
        if (!s) continue;
        setState($("[data-state]", row), s);
        const d = $("[data-duration]", row);
        if (d) d.textContent = s.duration;
      }
    });
  }

  function hovercard() {
    const card = $("#hovercard");
    const timeline = $("#timeline");
    if (!card || !timeline) return;
    timeline.addEventListener("mousemove", (ev) => {
      const bar = ev.target.closest && ev.target.closest("rect.bar");
      if (!bar) { card.hidden = true; return; }
      card.replaceChildren(el("strong", {}, bar.dataset.name), document.createTextNode(bar.dataset.state + " · " + bar.dataset.duration));
      card.hidden = false;
      const x = Math.min(ev.clientX + 14, window.innerWidth - card.offsetWidth - 8);
      card.style.setProperty("left", x + "px");
      card.style.setProperty("top", ev.clientY + 14 + "px");
    });
    timeline.addEventListener("mouseleave", () => { card.hidden = true; });
    timeline.addEventListener("click", (ev) => {
      const bar = ev.target.closest && ev.target.closest("rect.bar");
      if (bar) window.location.href = "/task-runs/" + encodeURIComponent(bar.dataset.id);
    });
  }

  function graphNodes(runId) {
    const graph = $("#graph");
    const panel = $("#group-panel");
    if (!graph) return;
    async function open(node) {
      if (node.classList.contains("group")) {
        const wasOpen = node.classList.contains("open");
        $$(".node.open", graph).forEach((n) => n.classList.remove("open"));
        if (wasOpen) { panel.hidden = true; return; }
        node.classList.add("open");
        const data = await getJSON("/ui/api/flow-runs/" + encodeURIComponent(runId) + "/group?key=" + encodeURIComponent(node.dataset.key));
        const list = el("ul");
        for (const r of data.runs) {
          const item = el("li");
          item.append(el("a", { href: "/task-runs/" + encodeURIComponent(r.id) }, r.name), " ");
          item.append(el("span", { class: "state s-" + r.state.type }, r.state.name), " ", el("span", { class: "muted" }, r.duration));
          list.append(item);
        }
        const title = el("h3", {}, (node.querySelector("text") || {}).textContent + " — " + data.count + " runs" + (data.count > data.runs.length ? " (first " + data.runs.length + " shown)" : ""));
        panel.replaceChildren(title, list);
        panel.hidden = false;
      } else {
        window.location.href = "/task-runs/" + encodeURIComponent(node.dataset.run);
      }
    }
    graph.addEventListener("click", (ev) => {
      const node = ev.target.closest && ev.target.closest("g.node");
      if (node) open(node);
    });
    graph.addEventListener("keydown", (ev) => {
      const node = ev.target.closest && ev.target.closest("g.node");
      if (node && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); open(node); }
    });
  }

  function appendLogs(lines) {
    const box = $("#logs");
    if (!box || !lines.length) return;
    const follow = $("#follow");
    const atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
    for (const line of lines) {
      const row = el("div", { class: "log l" + line.levelno });
      const time = el("time", { datetime: line.time }, new Date(line.time).toLocaleString());
      const logger = line.task_run_id ? el("a", { href: "/task-runs/" + encodeURIComponent(line.task_run_id), class: "logger" }, line.logger) : el("span", { class: "logger" }, line.logger);
      row.append(time, " ", el("span", { class: "lvl" }, line.level), " ", logger, " ", el("span", { class: "msg" }, line.message));
      box.append(row);
    }
    const none = $("#no-logs");
    if (none) none.remove();
    while (box.childElementCount > 2000) box.firstElementChild.remove();
    if (follow && follow.checked && atEnd) box.scrollTop = box.scrollHeight;
  }

  function flowRunPage() {
    const head = $("#run-head");
    if (!head) return;
    const runId = head.dataset.run;
    const logs = $("#logs");
    if (logs) logs.scrollTop = logs.scrollHeight;
    let since = Number(head.dataset.since || 0);
    let logAfter = Number(head.dataset.logAfter || 0);
    let final = head.dataset.final === "true";
    let viewsDue = false;
    let lastViews = 0;

    $("#level") && $("#level").addEventListener("change", (ev) => {
      const url = new URL(location.href);
      url.searchParams.set("level", ev.target.value);
      location.href = url.toString();
    });

    async function refreshViews() {
      const data = await getJSON("/ui/api/flow-runs/" + encodeURIComponent(runId) + "/views");
      const timeline = $("#timeline"), graph = $("#graph");
      if (timeline) timeline.innerHTML = data.timeline;  // server-rendered, escaped SVG
      if (graph) graph.innerHTML = data.graph;
      const count = $("#task-count");
      if (count) count.textContent = data.task_runs;
      viewsDue = false;
      lastViews = Date.now();
    }

    async function poll() {
      const url = "/ui/api/flow-runs/" + encodeURIComponent(runId) + "/live?since=" + since + "&log_after=" + logAfter + "&level=" + encodeURIComponent(head.dataset.level);
      const data = await getJSON(url);
      since = data.since;
      logAfter = data.log_after;
      setState($("#run-state .state"), data.state);
      $("#run-message").textContent = data.message;
      $("#run-duration").textContent = data.duration;
      appendLogs(data.logs);
      for (const t of data.task_runs) {
        const row = document.querySelector('tr[data-task="' + CSS.escape(t.id) + '"]');
        if (row) setState($(".state", row), t.state);
      }
      if (data.task_runs_changed) viewsDue = true;
      if (viewsDue && Date.now() - lastViews > 2000) await refreshViews();
      $('button[data-action="cancel"]').disabled = data.final;
      $('button[data-action="retry"]').disabled = !data.final;
      if (data.final && final && !viewsDue) return false;  // finished, and seen finished: stop
      final = data.final;
      return true;
    }

    let stop = every(1500, poll);
    for (const button of $$("button[data-action]")) {
      button.addEventListener("click", async () => {
        const out = $("#action-result");
        button.disabled = true;
        const response = await fetch("/ui/api/flow-runs/" + encodeURIComponent(runId) + "/" + button.dataset.action, { method: "POST", credentials: "same-origin" });
        const data = await response.json().catch(() => ({}));
        out.textContent = response.ok ? "Now " + data.state.name : (data.detail || "refused");
        if (response.ok) { setState($("#run-state .state"), data.state); final = false; stop(); stop = every(1500, poll); }
        else button.disabled = false;
      });
    }
    hovercard();
    graphNodes(runId);
  }

  function concurrencyPage() {
    const rows = $$("tr[data-limit]");
    if (!rows.length) return;
    every(3000, async () => {
      const data = await getJSON("/ui/api/concurrency");
      for (const row of rows) {
        const l = data.limits[row.dataset.limit];
        if (!l) continue;
        $("[data-in-use]", row).textContent = String(l.in_use);
        const bar = $("progress", row);
        if (bar) bar.value = Math.min(l.in_use, l.limit);
      }
    });
  }

  // The Run and Resume forms: the browser checks each field before the server checks them again.
  function runForm(selector) {
    const form = $(selector || "#run-form");
    if (!form) return;
    form.addEventListener("input", (ev) => {
      const out = ev.target.name && form.querySelector('[data-error-for="' + CSS.escape(ev.target.name) + '"]');
      if (out) out.textContent = "";
      if (ev.target.removeAttribute) ev.target.removeAttribute("aria-invalid");
    });
    form.addEventListener("submit", (ev) => {
      let first = null;
      for (const input of $$("input, select, textarea", form)) {
        if (!input.name || !input.name.startsWith("p:")) continue;
        let problem = "";
        if (input.hasAttribute("data-json") && input.value.trim() !== "") {
          try { JSON.parse(input.value); } catch (err) { problem = "not valid JSON: " + err.message; }
        }
        if (!problem && !input.checkValidity()) problem = input.validationMessage;
        const out = form.querySelector('[data-error-for="' + CSS.escape(input.name) + '"]');
        if (out) out.textContent = problem;
        input.setAttribute("aria-invalid", problem ? "true" : "false");
        if (problem && !first) first = input;
      }
      if (first) { ev.preventDefault(); first.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    localTimes(document);
    const page = document.body.dataset.page;
    if (page === "login") return;
    inFlightBadge();
    if (page === "flow-runs" || page === "dashboard" || page === "deployment") liveRows();
    if (page === "flow-run") flowRunPage();
    if (page === "concurrency") concurrencyPage();
    if (page === "run-deployment") runForm();
    if (page === "flow-run" || page === "resume-run") runForm("#resume-form");
    if (window.headwaterPages) for (const init of window.headwaterPages) init();
  });
})();
