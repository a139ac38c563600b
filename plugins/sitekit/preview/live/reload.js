// Live preview: added by `make serve` to the pages it sends, never written to output/ or published.
// The server says, over Server-Sent Events, which build's pages output/ holds, whether the last build
// failed, and this page's own warnings. A page from an older build reloads itself; a failed build
// shows its errors in a dialog over this page (the last good one), until the next good build reloads
// it; a good build with warnings on this page shows them in a small notice at the bottom of the
// window, which never takes the focus and can be dismissed.
(() => {
  "use strict";
  const script = document.currentScript;
  const loaded = Number(script ? script.dataset.build : 0);
  const searchLoaded = Number(script ? script.dataset.search : 0);
  const version = script ? new URL(script.src).searchParams.get("v") : "";
  const events = new EventSource(`/__live/events?page=${encodeURIComponent(location.pathname)}`);
  const NOTICE_KEY = `live-notice:${location.pathname}`;
  let dialog = null;
  let notice = null;
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

  // The panel's styles, as a constructed stylesheet: the site's Content-Security-Policy allows only its
  // own inline <style> (by hash), which rightly refuses a <link> to another stylesheet, but not this.
  function stylesheet() {
    if (!styled) {
      styled = fetch(`/__live/panel.css?v=${version}`)
        .then((response) => response.text())
        .then((css) => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(css);
          document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
        })
        .catch(() => {});
    }
    return styled;
  }

  function refusedMark() {
    return node("strong", { class: "live-refused", text: "Publish refuses this. " });
  }

  function item(entry) {
    const li = node("li", {});
    if (entry.refused) li.append(refusedMark());
    li.append(node("code", { text: entry.text }));
    if (entry.follow && entry.follow.length) {
      const n = entry.follow.length;
      li.append(
        node("p", {
          class: "live-panel__because",
          text: `Because this did not load, ${n} more error${n === 1 ? "" : "s"} follow${n === 1 ? "s" : ""} from it (they go away with it):`,
        }),
      );
      const list = node("ul", { class: "live-panel__list live-panel__list--follow" });
      for (const text of entry.follow) list.append(node("li", {}, node("code", { text })));
      li.append(list);
    }
    return li;
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
      for (const entry of group.items) list.append(item(entry));
      part.append(list);
    }
    return part;
  }

  function fill(state) {
    const close = node("button", { type: "button", class: "live-panel__close", text: "Dismiss" });
    close.addEventListener("click", () => dialog.close());
    const parts = [];
    if (state.errors.length) parts.push(section("errors", "Errors", state.errors));
    if (state.warnings.length) parts.push(section("warnings", "Warnings in the same files", state.warnings));
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
    hideNotice();
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

  // -- this page's own warnings: a quiet notice ---------------------------------------------------

  function signature(warnings) {
    return warnings.map((w) => w.text).join("\n");
  }

  function stored() {
    try {
      return sessionStorage.getItem(NOTICE_KEY);
    } catch {
      return null;
    }
  }

  function store(value) {
    try {
      sessionStorage.setItem(NOTICE_KEY, value);
    } catch {
      // private mode: the notice comes back on the next reload
    }
  }

  function hideNotice() {
    if (notice) {
      notice.remove();
      notice = null;
      document.documentElement.classList.remove("live-has-notice");
    }
  }

  async function showNotice(warnings) {
    if (!warnings.length || stored() === signature(warnings)) {
      hideNotice();
      return;
    }
    await stylesheet();
    const refused = warnings.filter((w) => w.refused).length;
    const count = `${warnings.length} warning${warnings.length === 1 ? "" : "s"} on this page`;
    const summary = refused ? `${count}, ${refused} that publish refuses` : count;
    const list = node("ul", { id: "live-notice-list", class: "live-notice__list", hidden: "" });
    for (const w of warnings) {
      const li = node("li", {});
      if (w.refused) li.append(refusedMark());
      li.append(node("code", { text: w.text }));
      list.append(li);
    }
    const toggle = node("button", {
      type: "button",
      class: "live-notice__toggle",
      "aria-expanded": "false",
      "aria-controls": "live-notice-list",
      text: "Show",
    });
    toggle.addEventListener("click", () => {
      const open = list.hidden;
      list.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? "Hide" : "Show";
    });
    const close = node("button", { type: "button", class: "live-notice__close", text: "Dismiss" });
    close.addEventListener("click", () => {
      store(signature(warnings));
      hideNotice();
    });
    const box = node(
      "aside",
      { class: "live-notice", "aria-label": "Preview: warnings on this page", "data-pagefind-ignore": "all" },
      node(
        "div",
        { class: "live-notice__head" },
        node("p", { class: "live-notice__summary", role: "status", text: summary }),
        toggle,
        close,
      ),
      list,
    );
    hideNotice();
    notice = box;
    document.body.append(box);
    document.documentElement.classList.add("live-has-notice");
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
    if (state.ok) {
      hide();
      showNotice(state.page || []);
    } else show(state);
  });
})();
