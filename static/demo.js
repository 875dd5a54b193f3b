// The backprop demo, live: as the form changes, ask GET /api/v1/backprop and update the page in
// place. Without this script the form still works: it submits, and the server renders the same
// page. Numbers are written exactly as app/backprop/display.py writes them (format_number,
// loss_curve), and each element to update names its value: data-v="dL_dw1", data-step="L".
(() => {
  "use strict";
  const form = document.querySelector("form.demo-form[data-api]");
  const results = document.getElementById("demo-results");
  if (!form || !results || !window.fetch || !window.URLSearchParams) return;

  const lang = document.documentElement.lang === "en" ? "en" : "ja";
  const overflow = document.getElementById("demo-overflow");
  const DIGITS = 6;
  const CURVE_POINTS = 201;
  const CURVE_WIDTH = 420;
  const CURVE_HEIGHT = 150;
  const SUPERSCRIPTS = { "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶",
    "7": "⁷", "8": "⁸", "9": "⁹", "-": "⁻" };

  /** `DIGITS` significant digits like %g, a real minus sign, 3.5×10⁻⁵ for tiny or huge. */
  function formatNumber(value) {
    if (value === 0) return "0";
    const [mantissa, exponentText] = value.toExponential(DIGITS - 1).split("e");
    const exponent = Number(exponentText);
    let text;
    if (exponent < -4 || exponent >= DIGITS) {
      const short = mantissa.replace(/\.?0+$/, "");
      text = short + "×10" + String(exponent).replace(/./g, (c) => SUPERSCRIPTS[c]);
    } else {
      text = value.toFixed(DIGITS - 1 - exponent);
      if (text.includes(".")) text = text.replace(/\.?0+$/, "");
    }
    return text.replace("-", "−");
  }

  /** The loss history as polyline points, scaled from 0 (bottom) to its maximum (top). */
  function lossCurve(history) {
    const top = Math.max(...history) || 1;
    const count = history.length;
    const last = Math.max(count - 1, 1);
    const indexes = [];
    if (count <= CURVE_POINTS) {
      for (let i = 0; i < count; i++) indexes.push(i);
    } else {
      for (let i = 0; i < CURVE_POINTS; i++) {
        indexes.push(Math.floor((i * (count - 1)) / (CURVE_POINTS - 1)));
      }
    }
    const points = indexes.map((i) => {
      const x = (CURVE_WIDTH * i) / last;
      const y = CURVE_HEIGHT * (1 - history[i] / top);
      return x.toFixed(1) + "," + y.toFixed(1);
    });
    return { points: points.join(" "), top };
  }

  function query() {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function numberOf(name) {
    return Number(form.elements.namedItem(name).value);
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function clearErrors() {
    for (const message of form.querySelectorAll(".demo-error")) {
      message.hidden = true;
      message.textContent = "";
      message.parentElement.classList.remove("has-error");
    }
    for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
    const summary = document.getElementById("demo-alert");
    if (summary) summary.hidden = true;
    overflow.hidden = true;
  }

  function showFieldError(name, type) {
    const message = document.getElementById("e-" + name);
    const field = form.elements.namedItem(name);
    if (!message || !field) return false;
    message.textContent = (type === "bce_target" && message.dataset.msgBce) || message.dataset.msg;
    message.hidden = false;
    message.parentElement.classList.add("has-error");
    field.setAttribute("aria-invalid", "true");
    return true;
  }

  function render(body) {
    const [hidden, output] = body.updated.layers;
    const curve = lossCurve(body.history);
    const values = {
      x: numberOf("x"), w1: numberOf("w1"), b: numberOf("b"), w2: numberOf("w2"),
      t: numberOf("t"), lr: numberOf("lr"), steps: body.history.length - 1,
      ...body.named,
      w1_after: hidden.weights[0][0], b_after: hidden.bias[0], w2_after: output.weights[0][0],
      loss_after: body.loss_after, check_error: body.gradient_check.max_abs_error,
      curve_top: curve.top,
    };
    for (const element of results.querySelectorAll("[data-v]")) {
      const value = values[element.dataset.v];
      if (typeof value === "number") setText(element, formatNumber(value));
    }
    for (const step of body.steps) {
      const row = results.querySelector('tr[data-step="' + step.id + '"]');
      if (!row) continue;
      setText(row.querySelector('[data-f="label"]'), step[lang]);
      setText(row.querySelector('[data-f="formula"]'), step.formula);
      setText(row.querySelector('[data-f="value"]'), formatNumber(step.value));
    }
    const check = results.querySelector("[data-check]");
    const ok = body.gradient_check.ok;
    check.classList.toggle("is-ok", ok);
    check.classList.toggle("is-ng", !ok);
    setText(check.querySelector("[data-check-label]"), ok ? check.dataset.ok : check.dataset.ng);
    setText(check.querySelector(".bp-check-mark"), ok ? "✓" : "!");
    results.querySelector("[data-curve]").setAttribute("points", curve.points);
    results.querySelector("[data-curve-section]").hidden = values.steps < 2;
    results.hidden = false;
  }

  function showProblem(body) {
    const errors = (body && body.errors) || [];
    let shown = false;
    for (const error of errors) {
      shown = showFieldError(String(error.field).replace(/^query\./, ""), error.type) || shown;
    }
    if (!shown) {
      overflow.querySelector("[data-overflow-detail]").textContent = (body && body.detail) || "";
      overflow.hidden = false;
    }
  }

  function remember(search) {
    const url = location.pathname + "?" + search;
    try {
      history.replaceState(null, "", url);
    } catch (error) {
      // Some browsers refuse history in a sandboxed frame; the results still update.
    }
    for (const link of document.querySelectorAll("a.lang-switch")) link.search = search;
    const api = form.dataset.api + "?" + search;
    for (const link of document.querySelectorAll('[data-json-link], link[rel="alternate"][type="application/json"]')) {
      link.setAttribute("href", api);
    }
  }

  let timer = 0;
  let latest = 0;
  let controller = null;

  async function update() {
    const search = query();
    const mine = ++latest;
    if (controller) controller.abort();
    controller = new AbortController();
    results.setAttribute("aria-busy", "true");
    let response;
    let body = null;
    try {
      response = await fetch(form.dataset.api + "?" + search, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
      });
      body = await response.json();
    } catch (error) {
      if (mine === latest) results.removeAttribute("aria-busy");
      if (error.name !== "AbortError" && mine === latest) results.classList.add("is-stale");
      return;
    }
    if (mine !== latest) return;
    results.removeAttribute("aria-busy");
    remember(search);
    clearErrors();
    if (response.ok) {
      render(body);
      results.classList.remove("is-stale");
    } else {
      showProblem(body);
      results.classList.add("is-stale");
    }
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(update, delay);
  }

  form.addEventListener("input", () => schedule(250));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    schedule(0);
  });
})();
