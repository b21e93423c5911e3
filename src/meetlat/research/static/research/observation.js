/* meetlat: the auditor's observation form.
 *
 * - Keeps a draft of the form in localStorage on every change and fills it in again after a
 *   reload or a lost connection (the form works without this script).
 * - A stopwatch for the waiting time: start at the first ring, stop when a person speaks; the
 *   seconds go into the waiting-time field. A running stopwatch survives a reload.
 * - On the assignment list, drafts of assignments already recorded are removed.
 * Texts come from data-text-* attributes, so they are translated by the server.
 */
(function () {
  "use strict";

  var PREFIX = "meetlat-draft:";

  function openStore() {
    try {
      var store = window.localStorage;
      store.setItem(PREFIX + "test", "1");
      store.removeItem(PREFIX + "test");
      return store;
    } catch (error) {
      return null;
    }
  }

  var store = openStore();

  function clearDoneDrafts() {
    if (!store) {
      return;
    }
    document.querySelectorAll("[data-draft-done]").forEach(function (element) {
      var key = PREFIX + element.getAttribute("data-draft-done");
      store.removeItem(key);
      store.removeItem(key + ":stopwatch");
    });
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.type !== "hidden" && field.type !== "submit" && field.type !== "button";
    });
  }

  function clockTime(date) {
    return date.toLocaleTimeString(document.documentElement.lang || undefined, {
      hour: "2-digit",
      minute: "2-digit",
    });
  }

  function setupDraft(form) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var status = document.getElementById("draft-status");
    var discard = document.getElementById("draft-discard");

    function save() {
      var values = {};
      draftFields(form).forEach(function (field) {
        values[field.name] = field.type === "checkbox" ? field.checked : field.value;
      });
      try {
        store.setItem(key, JSON.stringify({ values: values, saved: new Date().toISOString() }));
      } catch (error) {
        return; // storage full: the form still works
      }
      if (status) {
        status.textContent = status.getAttribute("data-text-saved") + " " + clockTime(new Date());
      }
      if (discard) {
        discard.hidden = false;
      }
    }

    function restore() {
      var raw = store.getItem(key);
      if (!raw || form.getAttribute("data-draft-bound") === "true") {
        return;
      }
      var draft;
      try {
        draft = JSON.parse(raw);
      } catch (error) {
        store.removeItem(key);
        return;
      }
      draftFields(form).forEach(function (field) {
        if (!draft.values || !(field.name in draft.values)) {
          return;
        }
        if (field.type === "checkbox") {
          field.checked = Boolean(draft.values[field.name]);
        } else {
          field.value = draft.values[field.name];
        }
      });
      if (status) {
        status.textContent = status.getAttribute("data-text-restored");
      }
      if (discard) {
        discard.hidden = false;
      }
    }

    restore();
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    if (discard) {
      discard.addEventListener("click", function () {
        store.removeItem(key);
        form.reset();
        discard.hidden = true;
        if (status) {
          status.textContent = "";
        }
      });
    }
    return key;
  }

  function setupStopwatch(container, draftKey) {
    var target = document.getElementById(container.getAttribute("data-stopwatch"));
    var display = container.querySelector("[data-stopwatch-display]");
    var start = container.querySelector("[data-stopwatch-start]");
    var stop = container.querySelector("[data-stopwatch-stop]");
    var reset = container.querySelector("[data-stopwatch-reset]");
    var status = container.querySelector("[data-stopwatch-status]");
    var storeKey = draftKey ? draftKey + ":stopwatch" : null;
    var startedAt = storeKey && store ? Number(store.getItem(storeKey)) || null : null;
    var timer = null;

    function seconds() {
      return startedAt ? Math.max(0, Math.floor((Date.now() - startedAt) / 1000)) : 0;
    }

    function show(total) {
      var rest = total % 60;
      display.textContent = Math.floor(total / 60) + ":" + (rest < 10 ? "0" : "") + rest;
    }

    function render() {
      show(seconds());
    }

    function running(on) {
      start.hidden = on;
      stop.hidden = !on;
      reset.hidden = !on;
      if (timer) {
        window.clearInterval(timer);
        timer = null;
      }
      if (on) {
        timer = window.setInterval(render, 1000);
        render();
      }
    }

    start.addEventListener("click", function () {
      startedAt = Date.now();
      if (storeKey && store) {
        store.setItem(storeKey, String(startedAt));
      }
      status.textContent = "";
      running(true);
    });
    stop.addEventListener("click", function () {
      var total = seconds();
      target.value = String(total);
      target.dispatchEvent(new Event("input", { bubbles: true }));
      status.textContent = status.getAttribute("data-text-filled") + " " + target.value;
      startedAt = null;
      if (storeKey && store) {
        store.removeItem(storeKey);
      }
      running(false);
      show(total);
      target.focus();
    });
    reset.addEventListener("click", function () {
      startedAt = null;
      if (storeKey && store) {
        store.removeItem(storeKey);
      }
      running(false);
      show(0);
    });

    container.hidden = false;
    running(Boolean(startedAt));
  }

  clearDoneDrafts();
  var form = document.querySelector("form[data-draft-key]");
  var draftKey = form && store ? setupDraft(form) : null;
  document.querySelectorAll("[data-stopwatch]").forEach(function (container) {
    setupStopwatch(container, draftKey);
  });
})();
