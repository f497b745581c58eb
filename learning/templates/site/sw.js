/* The site's service worker. Lessons open without signal: the site's shell (styles, script, icons, the offline
   page) is kept per release, every page a learner opens and every course they download is kept on the phone.
   Pages come from the network first (the kept copy after a few seconds without an answer, or when the
   server answers with an error), so an online learner always reads the latest. Personal pages, /organiser/, /admin/, /api/ and /accounts/ never
   touch the cache. Pages are kept for one signed-in person only: a page from the network made for someone
   else, or for nobody after signing out (its body's data-viewer), empties the page cache first. */
"use strict";
var VERSION = "{{ version }}", SHELL = "shell-" + VERSION, PAGES = "pages-v1";
var OFFLINE = "{{ offline_url }}", ASSETS = {{ assets|safe }}, WAIT = 4000;
var NETWORK_ONLY = /^\/(organiser|admin|django-admin|api|accounts|learning|notifications|i18n|jsi18n|search|chung-nhan|healthz|sw\.js)(\/|$)/;
var COMPLETE = /^\/learning\/lessons\/(\d+)\/complete\/$/, VIEWER = "/__viewer";

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) {
    return c.addAll(ASSETS.map(function (u) { return new Request(u, { cache: "reload" }); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (e) { // an older release's shell goes; downloaded courses stay
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.map(function (k) { return /^shell-/.test(k) && k !== SHELL && caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (e) {
  if (e.data === "forget") e.waitUntil(caches.delete(PAGES)); // signing out
});

function viewerCheck(res) { // empties the page cache when the page was made for someone else
  return res.clone().text().then(function (html) {
    var m = /<body[^>]* data-viewer="([^"]*)"/.exec(html), who = m && m[1];
    if (!who) return;
    return caches.open(PAGES).then(function (c) {
      return c.match(VIEWER).then(function (r) { return r ? r.text() : null; }).then(function (was) {
        if (was === who) return;
        return (was === null ? Promise.resolve() : caches.delete(PAGES)).then(function () {
          return caches.open(PAGES);
        }).then(function (c2) { return c2.put(VIEWER, new Response(who)); });
      });
    });
  });
}

function keep(req, res) {
  if (!res || res.status !== 200 || res.redirected || res.type !== "basic") return Promise.resolve();
  var copy = res.clone();
  return viewerCheck(copy).then(function () {
    return caches.open(PAGES).then(function (c) { return c.put(req.url.split("#")[0], copy); });
  }).catch(function () { /* full storage: the page still shows */ });
}

function offline() {
  return caches.match(OFFLINE).then(function (r) {
    return r || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  });
}

function page(e) { // network first; the kept copy when the network fails or is slow
  var req = e.request;
  return new Promise(function (resolve) {
    var settled = false, net;
    function done(r) { if (!settled && r) { settled = true; resolve(r); } return r; }
    function fallback(always) {
      return caches.match(req.url.split("#")[0], { ignoreVary: true }).then(function (c) {
        return done(c) || (always ? offline().then(done) : null);
      });
    }
    var timer = setTimeout(function () { fallback(false); }, WAIT);
    net = fetch(req).then(function (res) {
      clearTimeout(timer);
      if (res.status > 499) return fallback(false).then(function (c) { return c || done(res); }); // busy server: the kept copy
      e.waitUntil(keep(req, res));
      return done(res);
    }, function () { clearTimeout(timer); return fallback(true); });
    e.waitUntil(net.catch(function () {}));
  });
}

function fromCache(req, store) { // files: the kept copy, else the network (kept when asked)
  var url = req.url.split("#")[0];
  return caches.match(url, { ignoreVary: true }).then(function (hit) {
    if (hit) return req.headers.get("Range") ? range(hit, req.headers.get("Range")) : hit;
    return fetch(req).then(function (res) {
      if (store && res.status === 200 && res.type === "basic") {
        var copy = res.clone();
        caches.open(store).then(function (c) { return c.put(url, copy); }).catch(function () {});
      }
      return res;
    });
  });
}

function range(res, header) { // a video played from the phone asks for parts of the file
  var m = /bytes=(\d*)-(\d*)/.exec(header);
  return res.blob().then(function (b) {
    var start = m && m[1] ? +m[1] : 0, end = m && m[2] ? +m[2] : b.size - 1;
    return new Response(b.slice(start, end + 1), { status: 206, headers: {
      "Content-Type": res.headers.get("Content-Type") || "", "Content-Range": "bytes " + start + "-" + end + "/" + b.size,
      "Content-Length": String(end - start + 1)
    } });
  });
}

function complete(e) { // the completion form posted with no connection: the page keeps it and sends it later
  var req = e.request;
  return fetch(req.clone()).catch(function () {
    return req.formData().then(function (f) {
      var back = (req.referrer || "/").split("#")[0];
      var kept = { lesson: COMPLETE.exec(new URL(req.url).pathname)[1], client_id: f.get("client_id"), view_token: f.get("view_token") };
      return Response.redirect(back + "#kept=" + encodeURIComponent(JSON.stringify(kept)), 303);
    });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request, url = new URL(req.url), path = url.pathname;
  if (url.origin !== location.origin) return;
  if (req.method === "POST" && COMPLETE.test(path) && req.mode === "navigate") return e.respondWith(complete(e));
  if (req.method !== "GET") return;
  if (NETWORK_ONLY.test(path)) { // never kept; without signal, the offline page instead of the browser's error
    if (req.mode === "navigate") e.respondWith(fetch(req).catch(offline));
    return;
  }
  if (path.indexOf("{{ static_url }}") === 0) return e.respondWith(fromCache(req, SHELL));
  if (path.indexOf("{{ media_url }}") === 0) return e.respondWith(fromCache(req, PAGES));
  if (path.indexOf("/documents/") === 0) return e.respondWith(fromCache(req, null)); // kept only when downloaded
  if (req.mode === "navigate" || (req.headers.get("Accept") || "").indexOf("text/html") > -1) return e.respondWith(page(e));
});
