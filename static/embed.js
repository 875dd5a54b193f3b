// 用語集 embed.js: one script tag for blog posts (no dependencies; loading it twice is harmless).
// <a href="…/terms/ID" data-glossary> shows a card on hover, focus or tap (GET /api/v1/terms/ID,
// once); our iframes (…/embed/…) take the height they post (docs/embedding.md). The card is a non-modal
// dialog, not a tooltip: it holds a link and a button. It follows the link in the DOM, so Tab
// enters it; Escape, ×, a tap elsewhere or leaving closes it. Text goes in by textContent only.
(() => {
  "use strict";
  const me = document.currentScript || document.querySelector('script[src*="/static/embed.js"]');
  if (!me || !me.src || !window.fetch) return;
  const base = me.src.slice(0, me.src.lastIndexOf("/static/"));
  const { origin, pathname } = new URL(base);
  const root = pathname.replace(/\/$/, "");
  const seen = (window.__yogoshuEmbed = window.__yogoshuEmbed || {});
  if (seen[base]) return;
  seen[base] = 1;

  const TEXT = {
    ja: { more: "続きを読む", close: "閉じる", wait: "読み込み中…", fail: "読み込めませんでした" },
    en: { more: "Read more", close: "Close", wait: "Loading…", fail: "Could not load" },
  };

  // ── Frames ──
  const ours = (frame) => frame.src.indexOf(base + "/embed/") === 0;
  const ping = (frame) => {
    if (ours(frame) && frame.contentWindow) frame.contentWindow.postMessage({ type: "yogoshu:ping" }, "*");
  };
  addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "yogoshu:resize") return;
    // A sandboxed frame's origin is "null": the source must be one of our iframes.
    if (event.origin !== origin && event.origin !== "null") return;
    const height = Math.ceil(Number(data.height));
    if (!(height > 0)) return;
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow !== event.source || !ours(frame)) continue;
      Object.assign(frame.style, { height: Math.min(height, 5000) + "px", maxWidth: "100%", border: "0" });
      const quote = frame.previousElementSibling; // the oEmbed fallback link
      if (quote && quote.matches("blockquote.yogoshu-embed")) quote.hidden = true;
    }
  });
  document.querySelectorAll("iframe").forEach(ping); // frames that loaded before this script

  // ── Cards ──
  const CSS = `:host{all:initial}
.card{display:block;position:relative;box-sizing:border-box;max-height:inherit;overflow:auto;padding:.8rem 1rem .7rem;border:1px solid #c9d1d8;border-radius:10px;background:#fdfdfc;color:#1d2327;box-shadow:0 8px 24px #0003;font:15px/1.7 system-ui,"Hiragino Sans","Noto Sans CJK JP",Meiryo,sans-serif;overflow-wrap:anywhere;text-align:left}
.t{display:block;font-size:1.2rem;font-weight:700;line-height:1.5;padding-right:2rem}
rt,.s,button{color:#5b6670}rt{font-size:.55em;font-weight:400}.s{display:block;font-size:.9rem}
.p{display:block;margin:.4rem 0 .5rem}a{color:#1f4e79;font-weight:700}
button{all:initial;position:absolute;top:.35rem;right:.35rem;width:2rem;height:2rem;border-radius:50%;font:1.3rem/2rem system-ui,sans-serif;text-align:center;cursor:pointer}
button:hover{background:#f3f5f6}:focus-visible{outline:3px solid #1f4e79;outline-offset:2px}
@media (prefers-color-scheme:dark){.card{background:#1f2428;color:#e4e7ea;border-color:#39424a}rt,.s,button{color:#a3adb6}a{color:#8cbcf0}button:hover{background:#16191c}:focus-visible{outline-color:#8cbcf0}}`;
  const cache = new Map();
  let host, shadow, current, openTimer, closeTimer;
  let touch = false;
  let tappedOpen = false;
  let refocusing = false;
  let serial = 0;
  const isOpen = () => host && !host.hidden;
  const within = (node) => node && host && (host.contains(node) || current.contains(node));
  const linkOf = (node) => (node && node.closest ? node.closest("a[data-glossary][href]") : null);

  function termOf(link) {
    let url;
    try {
      url = new URL(link.href);
    } catch (error) {
      return null;
    }
    const path = url.pathname.slice(root.length);
    const match = url.origin === origin && url.pathname.indexOf(root + "/") === 0 && /^\/(en\/)?terms\/([^/]+)$/.exec(path);
    return match ? { id: decodeURIComponent(match[2]), lang: match[1] ? "en" : "ja" } : null;
  }

  function load(id) {
    if (!cache.has(id)) {
      const answer = fetch(base + "/api/v1/terms/" + encodeURIComponent(id), { credentials: "omit" })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)));
      answer.catch(() => cache.delete(id));
      cache.set(id, answer);
    }
    return cache.get(id);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    node.className = className;
    node.textContent = text || "";
    return node;
  }

  function makeHost() {
    host = document.createElement("span");
    host.id = "yogoshu-card-" + Math.random().toString(36).slice(2, 8);
    host.setAttribute("role", "dialog");
    host.hidden = true;
    shadow = host.attachShadow({ mode: "open" });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } catch (error) {
      shadow.appendChild(el("style", "", CSS));
    }
  }

  function render(link, info, data, failed) {
    const text = TEXT[info.lang];
    const card = el("span", "card");
    let label = text.wait;
    if (data) {
      label = data.title[info.lang] || data.title.ja;
      const title = el("span", "t", info.lang === "en" ? label : "");
      title.setAttribute("role", "heading");
      title.setAttribute("aria-level", "2");
      if (info.lang === "ja") {
        const ruby = el("ruby", "", data.title.ja);
        ruby.appendChild(el("rt", "", data.reading));
        title.appendChild(ruby);
      }
      const other = info.lang === "ja" ? data.title.en : data.title.ja + "(" + data.reading + ")";
      const sub = el("span", "s", other);
      sub.lang = info.lang === "ja" ? "en" : "ja";
      const more = el("a", "", text.more);
      more.href = link.href;
      if (link.target) more.target = link.target;
      if (link.rel) more.rel = link.rel;
      card.append(title, other ? sub : "", el("span", "p", data.summary[info.lang] || data.summary.ja), more);
    } else {
      card.append(el("span", "p", failed ? text.fail : text.wait));
    }
    const close = el("button", "", "×");
    close.setAttribute("aria-label", text.close);
    close.addEventListener("click", () => hide(true));
    card.append(close);
    card.lang = info.lang;
    shadow.replaceChildren(card);
    host.setAttribute("aria-label", label);
    place(link);
  }

  function place(link) {
    if (!isOpen()) return;
    const rect = link.getBoundingClientRect();
    const gap = 8;
    const width = Math.min(360, innerWidth - 2 * gap);
    const below = innerHeight - rect.bottom - 2 * gap;
    const above = rect.top - 2 * gap;
    const left = Math.max(gap, Math.min(rect.left, innerWidth - width - gap));
    const css = (top) => `position:fixed;z-index:2147483647;display:block;top:${top}px;left:${left}px;width:${width}px;max-height:${Math.max(below, above, 120)}px`.replace(/;|$/g, "!important;");
    host.style.cssText = css(0); // CSSOM, which a page's CSP allows, unlike a style attribute
    const height = host.getBoundingClientRect().height;
    host.style.cssText = css(Math.max(gap, height <= below || below >= above ? rect.bottom + gap : rect.top - gap - height));
  }

  function show(link) {
    const info = termOf(link);
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!info || (current === link && isOpen())) return;
    if (!host) makeHost();
    if (current) current.setAttribute("aria-expanded", "false");
    current = link;
    const mine = ++serial;
    link.after(host);
    link.setAttribute("aria-controls", host.id);
    link.setAttribute("aria-expanded", "true");
    host.hidden = false;
    render(link, info);
    load(info.id).then(
      (data) => mine === serial && render(link, info, data),
      () => mine === serial && render(link, info, null, true),
    );
  }

  function hide(refocus) {
    clearTimeout(openTimer);
    clearTimeout(closeTimer);
    if (!isOpen()) return;
    const inside = document.activeElement === host;
    host.hidden = true;
    host.style.cssText = "display:none!important";
    serial++;
    current.setAttribute("aria-expanded", "false");
    if (refocus && inside) {
      refocusing = true;
      current.focus();
      refocusing = false;
    }
  }

  function closeSoon() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(hide, 250);
  }

  const on = (type, handler, capture) => document.addEventListener(type, handler, capture);
  on("pointerover", (event) => {
    const link = linkOf(event.target);
    if (event.pointerType !== "mouse") return;
    if (within(event.target)) clearTimeout(closeTimer);
    if (!link || (link === current && isOpen())) return;
    clearTimeout(openTimer);
    openTimer = setTimeout(() => show(link), 300);
  });
  const leave = (event) => {
    if (linkOf(event.target)) clearTimeout(openTimer);
    if (within(event.target) && !within(event.relatedTarget)) closeSoon();
  };
  on("pointerout", (event) => event.pointerType === "mouse" && leave(event));
  on("focusout", leave);
  on("pointerdown", (event) => {
    const link = linkOf(event.target);
    touch = event.pointerType !== "mouse";
    tappedOpen = isOpen() && link === current;
    if (isOpen() && !within(event.target) && !within(link)) hide();
  }, true);
  on("click", (event) => {
    const link = linkOf(event.target);
    if (!link || !touch || tappedOpen || !termOf(link)) return;
    event.preventDefault(); // a first tap shows the card, a second follows the link
    show(link);
  });
  on("focusin", (event) => {
    const link = linkOf(event.target);
    if (link && !refocusing) show(link);
  });
  on("keydown", (event) => event.key === "Escape" && hide(true));
  const follow = () => current && place(current);
  addEventListener("scroll", follow, { passive: true, capture: true });
  addEventListener("resize", follow);
})();
