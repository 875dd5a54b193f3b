// Runs inside the frames (/embed/terms/{id}, /embed/backprop): tells the page that frames us
// how tall we are, so it can size the iframe to fit (the protocol is in docs/embedding.md):
//
//   parent.postMessage({type: "yogoshu:resize", height: <CSS px>, id: <?frame= or #id, or null>}, "*")
//
// whenever the height changes, and again when the parent asks with {type: "yogoshu:ping"}.
// targetOrigin is "*": a height is no secret, and inside sandbox="allow-scripts" we cannot know
// the parent's origin. The parent checks event.source (embed.js does). WordPress frames oEmbed
// results with sandbox="allow-scripts" and #?secret=…; for it we also speak its protocol
// ({message: "height" | "link", value, secret}), so its wp-embed script sizes the frame and
// opens our links (popups are not allowed there). Nothing here needs cookies or storage.
(() => {
  "use strict";
  if (window.parent === window) return;

  const hash = location.hash.slice(1);
  const frame = new URLSearchParams(location.search).get("frame");
  const id = frame || (/^[\w-]{1,64}$/.test(hash) ? hash : null);
  const wordpress = /(?:^|[?&])secret=([A-Za-z0-9]{10})(?:&|$)/.exec(hash);
  const secret = wordpress ? wordpress[1] : null;
  let last = 0;

  function post(force) {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!height || (height === last && !force)) return;
    last = height;
    window.parent.postMessage({ type: "yogoshu:resize", height, id }, "*");
    if (secret) window.parent.postMessage({ message: "height", value: height, secret }, "*");
  }

  if (window.ResizeObserver) {
    new ResizeObserver(() => post(false)).observe(document.documentElement);
  } else {
    window.addEventListener("resize", () => post(false));
  }
  window.addEventListener("load", () => post(true));
  window.addEventListener("message", (event) => {
    if (event.source !== window.parent) return;
    const data = event.data || {};
    if (data.type === "yogoshu:ping" || (secret && data.message === "ready" && data.secret === secret)) {
      post(true);
    }
  });

  if (secret) {
    document.addEventListener("click", (event) => {
      const link = event.target.closest && event.target.closest("a[href]");
      if (!link || event.defaultPrevented) return;
      event.preventDefault();
      window.parent.postMessage({ message: "link", value: link.href, secret }, "*");
    });
  }

  // The demo's "open the full demo" link follows the values typed into the frame.
  const full = document.querySelector("a[data-full-demo]");
  const form = document.querySelector("form.demo-form");
  if (full && form) {
    form.addEventListener("input", () => {
      const query = new URLSearchParams(new FormData(form));
      query.delete("lang");
      const search = query.toString();
      full.search = search ? "?" + search : "";
    });
  }
})();
