/* Every page: the text size, the service worker, lesson completions kept on the phone while offline and sent
   when the connection returns, the offline page's list of downloaded courses, reading a lesson aloud.
   Texts come from the page (data-t-* attributes). Without JavaScript every form works as before. */
(function () {
  "use strict";
  var d = document, root = d.documentElement, T = d.body.dataset, KEY = "lesson-pending";
  var PAGES = "pages-v1", COURSES = "/__offline/courses", status = d.querySelector("[data-offline-status]");
  var form = d.querySelector("form[data-complete]"), sending;
  function say(el, text) { if (el) { el.textContent = text || ""; el.hidden = !text; } }
  function each(sel, fn) { [].forEach.call(d.querySelectorAll(sel), fn); }

  // Text size: A− A A+, kept on this phone; the head's script applies it before the page is drawn.
  var sizes = d.querySelector("[data-text-sizes]"), size = +(root.className.replace("ts", "") || 0);
  if (sizes) {
    sizes.hidden = false;
    each("[data-text-size]", function (b) {
      b.addEventListener("click", function () {
        var step = +b.getAttribute("data-text-size");
        size = step ? Math.max(-1, Math.min(3, size + step)) : 0;
        root.className = size ? "ts" + size : "";
        try { if (size) localStorage.setItem("text-size", size); else localStorage.removeItem("text-size"); } catch (e) { /* private mode */ }
      });
    });
  }

  if ("serviceWorker" in navigator && T.sw && window.caches) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(T.sw, { scope: "/", updateViaCache: "all" }).catch(function () {});
    });
  }

  // Lesson completions made offline: kept in order with the form's client id and signed view token.
  function pending() { try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; } }
  function store(list) {
    try { if (list.length) localStorage.setItem(KEY, JSON.stringify(list)); else localStorage.removeItem(KEY); } catch (e) { /* full */ }
  }
  function shownAsKept() {
    if (!form) return;
    var lesson = form.getAttribute("data-lesson");
    if (!pending().some(function (i) { return i.lesson === lesson; })) return;
    form.hidden = true;
    each("[data-next]", function (a) { a.hidden = false; });
    say(status, T.tKept);
  }
  function keep(item) {
    var list = pending();
    if (form && form.getAttribute("data-lesson") === item.lesson) item.title = form.getAttribute("data-title");
    if (!list.some(function (i) { return i.lesson === item.lesson; })) list.push(item); // first tap's id wins
    store(list);
    say(status, T.tKept);
    shownAsKept();
  }
  function flush() {
    var token = d.querySelector("input[name=csrfmiddlewaretoken]"), notes = [], sent = 0, signIn;
    if (sending || !pending().length || !navigator.onLine || !token) return Promise.resolve();
    sending = pending().reduce(function (p, item) {
      return p.then(function () {
        var body = new FormData();
        body.append("client_id", item.client_id);
        body.append("view_token", item.view_token || "");
        return fetch(T.completeUrl.replace("/0/", "/" + item.lesson + "/"), {
          method: "POST", body: body, credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": token.value }
        }).then(function (r) {
          if (r.status > 499) throw r; // the server's trouble: kept, sent again soon
          if ((r.headers.get("Content-Type") || "").indexOf("json") < 0) { signIn = true; throw r; } // signed out
          return r.json().then(function (b) {
            store(pending().filter(function (i) { return i.client_id !== item.client_id; }));
            if (r.ok) sent++;
            else notes.push(T.tRefused.replace("%s", item.title || item.lesson) + " " + [].concat(b.lesson || [])[0]);
          });
        });
      });
    }, Promise.resolve()).catch(function () {}).then(function () {
      sending = null;
      if (pending().length) notes.push(signIn ? T.tSignin : T.tKept);
      else if (sent) notes.push(T.tSent);
      say(status, notes.join(" "));
    });
    return sending;
  }
  if (form) {
    form.addEventListener("submit", function (e) {
      if (navigator.onLine) return; // online: the form posts as it does without JavaScript
      e.preventDefault();
      keep({ lesson: form.getAttribute("data-lesson"), client_id: form.elements.client_id.value, view_token: form.elements.view_token.value });
    });
  }
  if (location.hash.indexOf("#kept=") === 0) { // the service worker caught a completion the network refused
    try { keep(JSON.parse(decodeURIComponent(location.hash.slice(6)))); } catch (e) { /* not ours */ }
    history.replaceState(null, "", location.pathname + location.search);
  }
  shownAsKept();
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  flush();

  // Signing out: send what is kept, then forget every page kept for this person.
  each("form[data-sign-out]", function (f) {
    f.addEventListener("submit", function (e) {
      e.preventDefault();
      flush().then(function () {
        var sw = navigator.serviceWorker && navigator.serviceWorker.controller;
        if (sw) sw.postMessage("forget");
        return window.caches && caches.delete(PAGES);
      }).catch(function () {}).then(function () { f.submit(); });
    });
  });

  // The offline page: which courses this phone can read without a connection.
  var list = d.querySelector("[data-offline-list]");
  if (list && window.caches) {
    caches.open(PAGES).then(function (c) { return c.match(COURSES); }).then(function (r) { return r ? r.json() : {}; })
      .then(function (all) {
        Object.keys(all).forEach(function (id) {
          var a = list.appendChild(d.createElement("li")).appendChild(d.createElement("a"));
          a.href = all[id].url; a.textContent = all[id].title;
        });
        say(d.querySelector("[data-offline-none]"), list.children.length ? "" : d.querySelector("[data-offline-none]").textContent);
      }).catch(function () {});
  }
  each("[data-reload]", function (b) { b.addEventListener("click", function () { location.reload(); }); });

  // "Listen to this lesson": the browser's speech in a Vietnamese voice, the paragraph read highlighted.
  var listen = d.querySelector("[data-listen]"), synth = window.speechSynthesis, voice, parts, at, on, label;
  function pick() {
    voice = synth.getVoices().filter(function (v) { return /^vi([-_]|$)/i.test(v.lang); })[0];
    listen.parentNode.hidden = !voice;
  }
  function clear() { each(".reading", function (el) { el.classList.remove("reading"); }); }
  function stop() {
    on = false; synth.cancel(); clear();
    listen.textContent = label;
  }
  function next() {
    clear();
    if (!on) return;
    if (at >= parts.length) return stop();
    var el = parts[at++], u = new SpeechSynthesisUtterance(el.textContent);
    u.voice = voice; u.lang = voice.lang; u.rate = 0.9;
    u.onend = next;
    el.classList.add("reading");
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    synth.speak(u);
  }
  if (listen && synth && window.SpeechSynthesisUtterance) {
    label = listen.textContent;
    pick();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", pick);
    listen.addEventListener("click", function () {
      if (on) return stop();
      var found = [].slice.call(d.querySelectorAll(".lesson h1,.lesson h2,.lesson h3,.lesson p:not(.meta),.lesson li,.lesson figcaption"));
      parts = found.filter(function (el) {
        return el.textContent.trim() && !found.some(function (o) { return o !== el && o.contains(el); });
      });
      on = true; at = 0;
      listen.textContent = listen.getAttribute("data-t-stop");
      next();
    });
  }
})();
