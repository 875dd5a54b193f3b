/* Header search autocomplete: a WAI-ARIA 1.2 combobox with a listbox popup.
   Without it the form still submits to /search. */
(() => {
  "use strict";
  const input = document.getElementById("q");
  if (!input?.form || !window.AbortController) return;
  const data = input.dataset;
  const en = document.documentElement.lang === "en";
  const list = document.createElement("div");
  const live = document.createElement("div");
  let options = [], active = -1, timer = 0, request = null, composing = false;

  const attrs = (el, pairs) => { for (const k in pairs) el.setAttribute(k, pairs[k]); };
  list.id = "q-suggest";
  list.className = "suggest";
  list.hidden = true;
  attrs(list, { role: "listbox", "aria-label": data.suggestLabel || "" });
  live.className = "visually-hidden";
  attrs(live, { role: "status", "aria-live": "polite" });
  input.form.append(list, live);
  attrs(input, { role: "combobox", "aria-autocomplete": "list", "aria-controls": list.id,
    "aria-expanded": "false" });

  function select(index) {
    options[active]?.removeAttribute("aria-selected");
    active = index;
    const option = options[index];
    if (!option) return input.removeAttribute("aria-activedescendant");
    option.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function expand(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) select(-1);
  }

  // Nothing asked for before this may open the list.
  function cancel() {
    clearTimeout(timer);
    request?.abort();
    request = null;
  }
  const close = () => cancel() || expand(false);

  const span = (textContent, className, lang) =>
    Object.assign(document.createElement("span"), { className, lang, textContent });

  function option(item, i) {
    const a = document.createElement("a");
    Object.assign(a, { id: "q-option-" + i, tabIndex: -1 });
    a.href = (en ? "/en" : "") + "/terms/" + encodeURIComponent(item.id);
    a.setAttribute("role", "option");
    const t = item.title, r = span(item.reading, "r", "ja");
    const parts = en ? [span(t.en, "t", "en"), span(t.ja, "gloss", "ja"), r]
      : [span(t.ja, "t", "ja"), r, span(t.en, "gloss", "en")];
    a.append(...parts.flatMap((el) => [el, " "]));
    return a;
  }

  function show(items, q) {
    select(-1);
    options = items.map(option);
    list.replaceChildren(...options);
    const text = items.length ? data.suggestCount : q ? data.suggestNone : "";
    live.textContent = (text || "").replace("{n}", items.length);
    expand(items.length > 0 && document.activeElement === input);
  }

  async function update() {
    cancel();
    const q = input.value.trim();
    if (!q) return show([], q);
    // Answers carry Cache-Control: the browser caches them for backspacing.
    const controller = (request = new AbortController());
    let items;
    try {
      const url = (data.suggest || "/api/v1/suggest") + "?q=" + encodeURIComponent(q);
      const response = await fetch(url, { signal: controller.signal });
      if (!response.ok) throw new Error(response.status);
      items = (await response.json()).data || [];
    } catch {
      if (!controller.signal.aborted) expand(false);
      return;
    }
    if (q === input.value.trim() && !composing) show(items, q);
  }

  function schedule() {
    cancel();
    if (!composing) timer = setTimeout(update, 120);
  }

  input.addEventListener("input", (e) => e.isComposing || schedule());
  // While an IME composes, wait for the text the reader settles on.
  input.addEventListener("compositionstart", () => {
    composing = true;
    close();
  });
  input.addEventListener("compositionend", () => {
    composing = false;
    schedule();
  });

  input.addEventListener("keydown", (e) => {
    if (e.isComposing || e.keyCode === 229) return; // the key belongs to the IME
    const n = options.length;
    const key = e.key;
    if (key === "ArrowDown" || key === "ArrowUp") {
      if (!n) return;
      e.preventDefault();
      const down = key === "ArrowDown";
      if (list.hidden) {
        expand(true);
        if (!e.altKey) select(down ? 0 : n - 1);
      } else select(down ? (active + 1) % n : (active < 1 ? n : active) - 1);
    } else if (key === "Enter" || key === "Tab" || key === "Escape") {
      const href = !list.hidden && key === "Enter" && options[active]?.href;
      // Escape on an open list keeps the text; a second Escape clears it.
      if (href || (key === "Escape" && !list.hidden)) e.preventDefault();
      close();
      if (href) location.assign(href); // else Enter submits the form
    } else if (["ArrowLeft", "ArrowRight", "Home", "End"].includes(key)) select(-1);
  });

  input.addEventListener("blur", close);
  // Keep focus in the box while an option's link is pressed.
  list.addEventListener("mousedown", (e) => e.preventDefault());
  addEventListener("pageshow", () => expand(false));
})();
