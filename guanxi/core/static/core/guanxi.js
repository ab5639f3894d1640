// Small progressive enhancements; every page also works without JavaScript.
// The Content-Security-Policy forbids inline handlers and styles: behaviour is wired here, by data- attributes.
(function () {
  "use strict";

  // Select-all checkbox of a list.
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-select-all]")) {
      var form = e.target.form || document;
      form.querySelectorAll("input[name=ids]").forEach(function (cb) { cb.checked = e.target.checked; });
    }
  });

  // The language switch submits itself, coming back to the page as it is now (htmx may have changed the URL).
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-language-switch]")) {
      var form = e.target.form;
      if (form.elements.next) { form.elements.next.value = location.pathname + location.search; }
      form.submit();
    }
  });

  // Confirmation before a destructive submit: <button data-confirm="…"> or <form data-confirm="…">.
  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    var text = (button && button.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
    if (text && !window.confirm(text)) { e.preventDefault(); }
  });

  // Saving a list as a named view ({% saved_views %}): the filters as they are now. htmx pushes each filter
  // change into the address bar but redraws only the results, so the form's own copy may be older.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.classList || !form.classList.contains("save-view")) { return; }
    var query = form.querySelector("input[name=query]");
    if (query) { query.value = window.location.search.replace(/^\?/, ""); }
  }, true);

  // The side navigation on a phone: the menu button opens and closes it (without JS it is a link to #sidenav,
  // which the stylesheet shows with :target).
  function setMenu(open) {
    var bar = document.querySelector(".topbar");
    if (open && bar) { document.documentElement.style.setProperty("--topbar-h", bar.offsetHeight + "px"); }
    document.body.classList.toggle("nav-open", open);
    document.querySelectorAll("[data-menu-toggle]").forEach(function (b) {
      b.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest("[data-menu-toggle]");
    if (toggle) {
      e.preventDefault();
      setMenu(!document.body.classList.contains("nav-open"));
      if (document.body.classList.contains("nav-open")) {
        var first = document.querySelector("#sidenav a");
        if (first) { first.focus(); }
      }
    } else if (document.body.classList.contains("nav-open") && !e.target.closest("#sidenav")) {
      setMenu(false);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.body.classList.contains("nav-open")) {
      setMenu(false);
      var toggle = document.querySelector("[data-menu-toggle]");
      if (toggle) { toggle.focus(); }
    }
  });
  document.addEventListener("keydown", function (e) {
    var toggle = e.target.closest && e.target.closest("[data-menu-toggle]");
    if (toggle && e.key === " ") { e.preventDefault(); toggle.click(); }  // role=button: Space works too
  });

  // Tabs of the 360° page: the clicked tab is the selected one (htmx swaps the panel).
  document.addEventListener("click", function (e) {
    var tab = e.target.closest(".tabs [role=tab]");
    if (!tab) { return; }
    tab.parentNode.querySelectorAll("[role=tab]").forEach(function (t) {
      t.setAttribute("aria-selected", t === tab ? "true" : "false");
    });
  });

  // Search as you type, but not while an input method is composing (拼音: h, hu, hua, hua'w …):
  // the input fires "guanxi:search", which the form's hx-trigger listens to, once the text is final.
  document.addEventListener("compositionstart", function (e) {
    if (e.target.matches && e.target.matches("[data-live-search]")) { e.target.dataset.composing = "1"; }
  });
  document.addEventListener("compositionend", function (e) {
    if (e.target.matches && e.target.matches("[data-live-search]")) {
      delete e.target.dataset.composing;
      e.target.dispatchEvent(new CustomEvent("guanxi:search", { bubbles: true }));
    }
  });
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (!el.matches || !el.matches("[data-live-search]")) { return; }
    if (e.isComposing || el.dataset.composing) { return; }
    el.dispatchEvent(new CustomEvent("guanxi:search", { bubbles: true }));
  });

  // Copy to the clipboard: <button data-copy="#id" data-copied="Copied"> (shown only when it can work).
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) { return navigator.clipboard.writeText(text); }
    return new Promise(function (resolve, reject) {  // plain http on a LAN host: the old way
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "offscreen";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    var status = button.parentNode.querySelector("[data-copy-status]");
    copyText(source.textContent.trim()).then(function () {
      if (status) { status.textContent = button.getAttribute("data-copied"); }
    }, function () {
      if (status) { status.textContent = button.getAttribute("data-copy-failed"); }
    });
  });

  // The list's bulk bar: only the picker the chosen action needs (tag or owner) is shown.
  function syncBulk(bar) {
    var action = bar.querySelector("select[name=action]");
    if (!action) { return; }
    bar.querySelectorAll("[data-bulk-for]").forEach(function (el) {
      el.hidden = el.getAttribute("data-bulk-for") !== action.value;
    });
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches(".bulkbar select[name=action]")) { syncBulk(e.target.closest(".bulkbar")); }
  });

  // Attachments: a file over the size limit is refused before it is sent (the server checks again), and an
  // upload sent with htmx shows its progress.
  document.addEventListener("change", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) { return; }
    var box = input.form && input.form.querySelector("[data-upload-error]");
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var tooBig = !!(input.files && input.files.length && input.files[0].size > max);
    var message = tooBig && box ? box.getAttribute("data-too-large") : "";
    input.setCustomValidity(message);
    if (box) { box.textContent = message; box.hidden = !tooBig; }
  });
  document.addEventListener("htmx:xhr:progress", function (e) {
    var form = e.target.closest && e.target.closest("[data-upload]");
    var bar = form && form.querySelector("[data-upload-progress]");
    if (!bar || !e.detail.lengthComputable) { return; }
    bar.hidden = false;
    bar.value = Math.round(e.detail.loaded * 100 / e.detail.total);
  });
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.target.matches && e.target.matches("[data-upload]")) {
      e.target.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (e.target.matches && e.target.matches("[data-upload]")) {
      e.target.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    }
  });

  // Set up new content: the whole page at first, then whatever htmx swaps in.
  function all(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) { found.unshift(root); }
    return found;
  }
  function init(root) {
    // Tag colours come from data-color (the CSP allows no style="" attribute; CSSOM is fine).
    all(root, "[data-color]").forEach(function (el) {
      el.style.borderColor = el.getAttribute("data-color");
    });
    all(root, ".bulkbar").forEach(syncBulk);
    all(root, "[data-copy]").forEach(function (b) { b.hidden = false; });
  }
  init(document);
  document.addEventListener("htmx:load", function (e) { init(e.target); });
  document.addEventListener("htmx:historyRestore", function () { setMenu(false); init(document); });

  // Counts beside menu items (e.g. approvals waiting): loaded after the page, so a page costs no query for them.
  function loadBadges(root) {
    (root || document).querySelectorAll("[data-nav-badge]").forEach(function (el) {
      var url = el.getAttribute("data-nav-badge");
      el.removeAttribute("data-nav-badge");
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html.trim()) { el.outerHTML = html; } })
        .catch(function () {});
    });
  }
  document.addEventListener("DOMContentLoaded", function () { loadBadges(document); });
  document.addEventListener("htmx:afterSettle", function (e) { loadBadges(e.target); });
})();
