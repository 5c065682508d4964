// headwater UI, the Events page: new events from the server-sent stream at
// /ui/api/events/stream (the page's filter), added at the top of the table as text.
"use strict";

(function () {
  const MAX_ROWS = 500;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const LINKS = [["prefect.flow-run.", "/runs/"], ["prefect.task-run.", "/task-runs/"],
    ["prefect.deployment.", "/deployments/"]];

  // The UI page of a resource, as pages_events.resource_link gives it (or null).
  function linkOf(id) {
    for (const [prefix, path] of LINKS) {
      if (id.startsWith(prefix) && id.length > prefix.length) return path + encodeURIComponent(id.slice(prefix.length));
    }
    return id.includes("://") ? "/asset?key=" + encodeURIComponent(id) : null;
  }

  function linked(id, text) {
    const href = linkOf(id);
    return href ? el("a", { href: href }, text) : document.createTextNode(text);
  }

  function row(event) {
    const resource = event.resource || {};
    const id = resource["prefect.resource.id"] || "";
    const tr = el("tr", { "data-event": event.id, class: "fresh" });
    const when = el("time", { datetime: event.occurred }, event.occurred);
    const d = new Date(event.occurred);
    if (!isNaN(d)) { when.title = event.occurred; when.textContent = d.toLocaleString(); }
    tr.append(el("td"), el("td", { class: "event-name" }), el("td", { class: "resource" }),
      el("td", { class: "related" }), el("td", { class: "payload" }));
    const [tdWhen, tdName, tdResource, tdRelated, tdPayload] = tr.children;
    tdWhen.append(when);
    tdName.append(el("code", {}, event.event));
    tdResource.append(linked(id, resource["prefect.resource.name"] || id), el("div", { class: "muted small" }, id));
    for (const r of event.related || []) {
      const rid = r["prefect.resource.id"] || "";
      const tag = el("span", { class: "tag", title: rid }, (r["prefect.resource.role"] || "") + ": ");
      tag.append(linked(rid, rid));
      tdRelated.append(tag, document.createTextNode(" "));
    }
    if (event.payload && Object.keys(event.payload).length) {
      const details = el("details");
      details.append(el("summary", {}, "payload"), el("pre", {}, JSON.stringify(event.payload, null, 1)));
      tdPayload.append(details);
    }
    return tr;
  }

  function eventsPage() {
    const note = document.getElementById("events-live");
    const table = document.getElementById("events-table");
    if (!note || !table || note.hasAttribute("data-off") || !window.EventSource) return;
    const body = table.querySelector("tbody");
    const total = document.getElementById("events-total");
    const filter = note.dataset.filter || "{}";
    const source = new EventSource("/ui/api/events/stream?filter=" + encodeURIComponent(filter));
    source.addEventListener("open", () => { note.hidden = false; note.classList.add("connected"); });
    source.addEventListener("message", (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch (err) { return; }
      if (body.querySelector('tr[data-event="' + CSS.escape(String(event.id)) + '"]')) return;
      body.prepend(row(event));
      while (body.children.length > MAX_ROWS) body.lastElementChild.remove();
      table.hidden = false;
      const empty = document.getElementById("events-empty");
      if (empty) empty.remove();
      if (total && /^\d+$/.test(total.textContent)) total.textContent = String(Number(total.textContent) + 1);
    });
    window.addEventListener("pagehide", () => source.close());
  }

  (window.headwaterPages = window.headwaterPages || []).push(() => {
    if (document.body.dataset.page === "events") eventsPage();
  });
})();
