// Live preview: added by `make serve` to the pages it sends, never written to output/ or published.
// The server says, over Server-Sent Events, which build's pages output/ holds and whether the last
// build failed. A page from an older build reloads itself; a failed build shows its findings in a
// dialog over this page (the last good one), until the next good build reloads it.
(() => {
  "use strict";
  const script = document.currentScript;
  const loaded = Number(script ? script.dataset.build : 0);
  const searchLoaded = Number(script ? script.dataset.search : 0);
  const version = script ? new URL(script.src).searchParams.get("v") : "";
  const events = new EventSource("/__live/events");
  let dialog = null;
  let styled = null;
  let returnFocus = null;
  let dismissed = null;

  function usedSearch() {
    return performance.getEntriesByType("resource").some((entry) => {
      try {
        return new URL(entry.name).pathname.startsWith("/pagefind/");
      } catch {
        return false;
      }
    });
  }

  function node(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (name === "text") el.textContent = value;
      else el.setAttribute(name, value);
    }
    el.append(...children);
    return el;
  }

  function stylesheet() {
    if (!styled) {
      styled = new Promise((resolve) => {
        const link = node("link", { rel: "stylesheet", href: `/__live/panel.css?v=${version}` });
        link.addEventListener("load", resolve);
        link.addEventListener("error", resolve);
        document.head.append(link);
      });
    }
    return styled;
  }

  // Findings as the terminal prints them (file:line: CODE message (hint)), grouped by file.
  function section(kind, title, groups) {
    const id = `live-panel-${kind}`;
    const part = node("section", { class: `live-panel__part live-panel__part--${kind}`, "aria-labelledby": id });
    const count = groups.reduce((n, group) => n + group.items.length, 0);
    part.append(node("h3", { id, class: "live-panel__kind", text: `${title} (${count})` }));
    for (const group of groups) {
      part.append(node("h4", { class: "live-panel__file", text: group.path }));
      const list = node("ul", { class: "live-panel__list" });
      for (const text of group.items) list.append(node("li", {}, node("code", { text })));
      part.append(list);
    }
    return part;
  }

  function fill(state) {
    const close = node("button", { type: "button", class: "live-panel__close", text: "Dismiss" });
    close.addEventListener("click", () => dialog.close());
    const parts = [];
    if (state.errors.length) parts.push(section("errors", "Errors", state.errors));
    if (state.warnings.length) parts.push(section("warnings", "Warnings", state.warnings));
    dialog.replaceChildren(
      node(
        "div",
        { class: "live-panel__head" },
        node("h2", { id: "live-panel-title", class: "live-panel__title", text: `The site did not build: ${state.summary}` }),
        close,
      ),
      node("p", {
        id: "live-panel-lead",
        class: "live-panel__lead",
        text: "This page is the last version that built. Fix what is listed here and save: this page updates by itself.",
      }),
      ...parts,
    );
    dialog.dataset.build = String(state.build);
  }

  async function show(state) {
    if (dismissed === state.build) return; // the editor closed this build's report
    await stylesheet();
    if (!dialog) {
      dialog = node("dialog", {
        class: "live-panel",
        role: "alertdialog",
        "aria-labelledby": "live-panel-title",
        "aria-describedby": "live-panel-lead",
        tabindex: "-1",
        "data-pagefind-ignore": "all",
      });
      dialog.addEventListener("close", () => {
        dismissed = Number(dialog.dataset.build);
        if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
      });
      document.body.append(dialog);
    }
    if (dialog.open && dialog.dataset.build === String(state.build)) return;
    fill(state);
    if (!dialog.open) {
      returnFocus = document.activeElement;
      dialog.showModal();
    }
    dialog.focus(); // screen readers announce the dialog's title and lead
  }

  function hide() {
    if (dialog && dialog.open) dialog.close();
  }

  events.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    if (state.served !== loaded) {
      location.reload(); // output/ holds a newer build than this page
      return;
    }
    if (state.search !== searchLoaded && usedSearch()) {
      location.reload(); // a newer search index than this page has used
      return;
    }
    if (state.ok) hide();
    else show(state);
  });
})();
