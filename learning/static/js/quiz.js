/* Quiz attempt: autosave, answers kept on the phone while offline, no submitting offline, countdown.
   Without JavaScript the form saves and submits every field. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-quiz]");
  if (!form || !window.fetch) return;
  var gettext = window.gettext || function (s) { return s; };
  var KEPT = gettext("Saved on this phone — will send when you are back online");
  var url = form.getAttribute("data-answer-url"), KEY = "quiz-pending-" + /attempts\/(\w+)/.exec(url)[1];
  var status = document.querySelector("[data-sync-status]") || {}, cd = document.querySelector("[data-countdown]");
  var sets = [].slice.call(form.querySelectorAll("[data-question]"));
  var byId = {}, last = {}, timers = {}, pending, flushing, stopped, up, busy, action = "save", end, clock;
  function show(s) { status.hidden = false; status.textContent = s; }
  function any() { return Object.keys(pending).length; }
  function store() {
    try { if (any()) localStorage.setItem(KEY, JSON.stringify(pending)); else localStorage.removeItem(KEY); } catch (e) { /* memory only */ }
  }
  function uuid() { // crypto.randomUUID needs a secure context
    var c = window.crypto, b = new Uint8Array(16), h = "", i;
    if (c.randomUUID) return c.randomUUID();
    c.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    for (i = 0; i < 16; i++) h += (i > 3 && i < 11 && !(i % 2) ? "-" : "") + (b[i] + 256).toString(16).slice(1);
    return h;
  }
  function qid(fs) { return fs.getAttribute("data-question"); }
  function each(fs, fn) { // fn(input, 1 box | 2 select | 0 text, matching item id)
    [].forEach.call(fs.querySelectorAll("input,select"), function (el) {
      fn(el, /radio|checkbox/.test(el.type) ? 1 : el.tagName === "SELECT" ? 2 : 0, el.name.slice(qid(fs).length + 3));
    });
  }
  function responseOf(fs) {
    var on = [], pairs = {}, n = 0, text = "";
    each(fs, function (el, kind, key) {
      if (kind === 1) { if (el.checked) on.push(el.value); } else if (kind) { if (el.value) { pairs[key] = el.value; n++; } } else text = el.value.trim();
    });
    return {
      single_choice: on.length && { choice: on[0] }, multiple_choice: on.length && { choices: on },
      true_false: on.length && { value: on[0] === "true" }, short_answer: text && { text: text },
      numerical: text && { value: text }, matching: n && { pairs: pairs }
    }[fs.getAttribute("data-type")] || null;
  }
  function apply(fs, r) {
    each(fs, function (el, kind, key) {
      if (kind === 1) el.checked = r.choice === el.value || (r.choices || []).indexOf(el.value) > -1 || String(r.value) === el.value;
      else if (kind) el.value = (r.pairs || {})[key] || "";
      else el.value = "text" in r ? r.text : r.value;
    });
  }
  function note(q, msg) { // why an answer was refused, under its question
    var p = byId[q].querySelector(".answer-error");
    if (!p && msg) { p = byId[q].appendChild(document.createElement("p")); p.className = "msg error answer-error"; p.setAttribute("role", "alert"); }
    if (p) { p.textContent = msg; p.hidden = !msg; }
  }
  function send(q) { // resolves to 0 (saved, or refused: 4xx), 1 (network failure) or 2 (server error)
    var item = pending[q], ctl = window.AbortController && new AbortController();
    if (ctl) setTimeout(function () { ctl.abort(); }, 20000); // weak signal: retry later
    return fetch(url.replace("QUESTION", encodeURIComponent(q)), {
      method: "PUT", credentials: "same-origin", body: JSON.stringify(item), signal: ctl && ctl.signal,
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
    }).then(function (r) {
      if (r.status > 499) return 2;
      if (pending[q] && pending[q].client_id === item.client_id) { delete pending[q]; store(); }
      return r.ok ? note(q, "") || 0 : r.json().then(null, Object).then(function (body) {
        var msg = gettext("This answer could not be saved."), k;
        for (k in body) if (k !== "code" && typeof [].concat(body[k])[0] === "string") msg = [].concat(body[k])[0];
        note(q, msg);
        if (r.status === 409) { stopped = true; pending = {}; store(); show(msg); } // time up or submitted
        return 0;
      });
    }, function () { return 1; });
  }
  function flush() { // sends the pending answers one by one; resolves to true when offline
    if (flushing) return flushing.then(flush);
    if (stopped || !any()) return Promise.resolve(false);
    if (!navigator.onLine) { show(KEPT); return Promise.resolve(true); }
    show(gettext("Saving…"));
    var bad = 0;
    flushing = Object.keys(pending).reduce(function (p, q) {
      return p.then(function () { if (!bad && pending[q]) return send(q).then(function (r) { bad = r; }); });
    }, Promise.resolve()).then(function () {
      flushing = null;
      if (stopped) return false;
      if (bad) { show(KEPT); return bad === 1; }
      if (any()) return flush(); // answers changed while sending
      show(gettext("Saved"));
      return false;
    });
    return flushing;
  }
  function queue(fs) {
    var q = qid(fs), r = responseOf(fs), j = JSON.stringify(r);
    clearTimeout(timers[q]);
    if (stopped || j === last[q]) return;
    last[q] = j;
    if (r) pending[q] = { response: r, client_id: uuid() }; // the latest answer wins; retries keep its id
    else delete pending[q]; // cleared: nothing to send
    store();
    flush();
  }
  function post(name, offlineMsg) { // never offline: a failed navigation would lose the page
    sets.forEach(queue);
    return flush().then(function (offline) {
      if (offline || !navigator.onLine) return show(offlineMsg);
      var h = form.appendChild(document.createElement("input")); // form.submit() sends no button
      h.type = "hidden"; h.name = "action"; h.value = name;
      form.submit();
    });
  }
  function timeUp() { up = true; post("submit", gettext("Time is up. Your answers will be sent when you are back online.")); }
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    cd.textContent = gettext("Time left: %s").replace("%s", Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + s % 60);
    cd.classList.toggle("low", s < 60);
    if (!s) { clearInterval(clock); if (!up) timeUp(); }
  }
  function question(e) { return e.target.closest && e.target.closest("[data-question]"); }

  try { pending = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { pending = {}; }
  sets.forEach(function (fs) { byId[qid(fs)] = fs; });
  Object.keys(pending).forEach(function (q) { // answers given offline survive a reload
    if (byId[q]) apply(byId[q], pending[q].response); else delete pending[q];
  });
  sets.forEach(function (fs) { last[qid(fs)] = JSON.stringify(responseOf(fs)); });
  form.addEventListener("change", function (e) { if (question(e)) queue(question(e)); });
  form.addEventListener("input", function (e) {
    var fs = question(e);
    if (fs && e.target.type === "text") { clearTimeout(timers[qid(fs)]); timers[qid(fs)] = setTimeout(function () { queue(fs); }, 800); }
  });
  form.addEventListener("click", function (e) { if (e.target.name === "action") action = e.target.value; });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (busy) return;
    busy = true;
    post(action, gettext("You are offline. Your answers are kept on this phone; submit again when you are back online."))
      .then(function () { busy = false; });
  });
  window.addEventListener("online", function () { if (up) timeUp(); else flush(); });
  setInterval(function () { if (!flushing && any()) flush(); }, 15000);
  store();
  flush();
  if (cd) {
    end = Date.now() + cd.getAttribute("data-seconds-left") * 1000;
    clock = setInterval(tick, 1000);
    cd.hidden = false;
    tick();
  }
})();
