// The 「埋め込む / Embed」 panel: copy buttons, announced in a live region. On the demo page the
// snippets follow the URL (the values typed): they are re-read from the current URL's page.
(() => {
  "use strict";
  const panel = document.getElementById("embed-panel");
  if (!panel || !navigator.clipboard) return;
  const status = panel.querySelector("[data-copy-status]");
  let shown = location.search;

  async function refresh() {
    if (!("follow" in panel.dataset) || location.search === shown) return;
    const response = await fetch(location.href, { headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const field of panel.querySelectorAll("input[readonly]")) {
      const fresh = page.getElementById(field.id);
      if (fresh) field.value = fresh.value;
    }
    shown = location.search;
  }

  for (const button of panel.querySelectorAll("button[data-copy]")) button.hidden = false;
  panel.addEventListener("toggle", () => panel.open && refresh().catch(() => {}));
  panel.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    status.textContent = "";
    try {
      await refresh().catch(() => {});
      await navigator.clipboard.writeText(field.value);
      status.textContent = panel.dataset.copied;
    } catch (error) {
      field.select();
      status.textContent = panel.dataset.failed;
    }
  });
})();
