/* A course page's "Download this course to learn without a connection": asks the server what the course needs
   (pages, images, files; videos only when asked), shows the size first, downloads with a progress bar into the
   service worker's page cache, and removes it again. A download that fails (no room, no signal) takes back
   everything it added, so what was kept before still reads whole. A downloaded course is brought up to date
   (republished lessons, lessons unlocked since) whenever its page is opened with signal. */
(function () {
  "use strict";
  var box = document.querySelector("[data-offline-course]");
  if (!box || !window.caches || !("serviceWorker" in navigator) || !window.fetch) return;
  var T = box.dataset, PAGES = "pages-v1", COURSES = "/__offline/courses", id = T.course;
  var $ = function (s) { return box.querySelector(s); };
  var start = $("[data-dl-start]"), go = $("[data-dl-go]"), remove = $("[data-dl-remove]"), bar = $("[data-dl-progress]");
  var note = $("[data-dl-note]"), line = $("[data-dl-status]"), videos = $("[data-dl-videos]"), bundle, busy;
  var lang = document.documentElement.lang || "vi";

  function size(n) {
    var mb = n / 1048576, f = new Intl.NumberFormat(lang, { maximumFractionDigits: mb < 10 ? 1 : 0 });
    return mb < 1 ? f.format(Math.max(1, Math.round(n / 1024))) + " KB" : f.format(mb) + " MB";
  }
  function say(text) { line.textContent = text || ""; }
  function fill(s, v) { return s.replace("%s", v); }
  function open() { return caches.open(PAGES); }
  function courses() {
    return open().then(function (c) { return c.match(COURSES); }).then(function (r) { return r ? r.json() : {}; });
  }
  function save(all) {
    return open().then(function (c) {
      return c.put(COURSES, new Response(JSON.stringify(all), { headers: { "Content-Type": "application/json" } }));
    });
  }
  function ask() {
    return fetch(T.offlineCourse, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw r;
      return r.json();
    });
  }
  function shown(mine) {
    start.hidden = !!mine; remove.hidden = !mine; go.hidden = true; videos.hidden = true; bar.hidden = true;
    note.textContent = bundle && bundle.locked_note || "";
    if (mine) say(fill(T.tDone, size(mine.size)));
  }
  function wanted(withVideos) {
    return bundle.items.concat(withVideos ? bundle.videos : []);
  }
  function download(withVideos, quiet) {
    var items = wanted(withVideos), all, had = {}, added = [], total = 0, got = 0;
    busy = true;
    return courses().then(function (a) {
      all = a;
      Object.keys(all).forEach(function (k) { Object.keys(all[k].items).forEach(function (u) { had[u] = all[k].items[u]; }); });
      var todo = items.filter(function (i) { return had[i.url] !== i.version; });
      todo.forEach(function (i) { total += i.size; });
      var room = navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : Promise.resolve(null);
      return room.then(function (est) {
        if (est && est.quota && est.quota - est.usage < total * 1.2) throw { name: "QuotaExceededError" };
        if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
        bar.hidden = quiet; bar.max = total || 1; bar.value = 0;
        return open();
      }).then(function (cache) {
        return todo.reduce(function (p, item) {
          return p.then(function () {
            if (!quiet) say(fill(T.tProgress, size(got) + " / " + size(total)));
            return fetch(item.url, { credentials: "same-origin", cache: "reload" }).then(function (r) {
              if (!r.ok) throw r;
              return cache.put(item.url, r);
            }).then(function () {
              if (!(item.url in had)) added.push(item.url);
              got += item.size; bar.value = got;
            });
          });
        }, Promise.resolve()).catch(function (err) { // take back what this download added
          return Promise.all(added.map(function (u) { return cache.delete(u); })).then(function () { throw err; });
        });
      });
    }).then(function () {
      var mine = { title: bundle.course.title, url: bundle.course.url, items: {}, size: 0, videos: withVideos };
      items.forEach(function (i) { mine.items[i.url] = i.version; mine.size += i.size; });
      var old = all[id];
      all[id] = mine;
      return save(all).then(function () {
        if (!old) return;
        return open().then(function (c) { // pages no longer part of the course (unpublished) go
          return Promise.all(Object.keys(old.items).filter(function (u) { return !(u in mine.items); }).map(function (u) { return c.delete(u); }));
        });
      }).then(function () { shown(mine); });
    }).catch(function (err) {
      bar.hidden = true;
      if (quiet) return;
      var full = err && (err.name === "QuotaExceededError" || /quota/i.test(err.message || ""));
      say(full ? fill(T.tFull, size(total)) : navigator.onLine ? T.tFailed : T.tOffline);
      start.hidden = false; go.hidden = true;
    }).then(function () { busy = false; });
  }

  start.addEventListener("click", function () {
    if (busy) return;
    if (!navigator.onLine) return say(T.tOffline);
    busy = true;
    ask().then(function (b) {
      bundle = b;
      start.hidden = true; go.hidden = false;
      note.textContent = fill(T.tSize, size(b.size)) + (b.locked_note ? " " + b.locked_note : "");
      go.textContent = fill(T.tGo, size(b.size));
      if (b.videos.length) {
        videos.hidden = false;
        videos.querySelector("span").textContent = fill(T.tVideos, size(b.videos_size));
        videos.querySelector("input").onchange = function () {
          go.textContent = fill(T.tGo, size(b.size + (this.checked ? b.videos_size : 0)));
        };
      }
      go.focus();
    }, function () { say(navigator.onLine ? T.tFailed : T.tOffline); }).then(function () { busy = false; });
  });
  go.addEventListener("click", function () { if (!busy) download(videos.querySelector("input").checked, false); });
  remove.addEventListener("click", function () {
    if (busy) return;
    courses().then(function (all) {
      var mine = all[id] || { items: {} }, keepUrls = {};
      delete all[id];
      Object.keys(all).forEach(function (k) { Object.keys(all[k].items).forEach(function (u) { keepUrls[u] = 1; }); });
      return open().then(function (c) {
        return Promise.all(Object.keys(mine.items).filter(function (u) { return !keepUrls[u]; }).map(function (u) { return c.delete(u); }));
      }).then(function () { return save(all); });
    }).then(function () { shown(null); say(T.tRemoved); start.focus(); });
  });

  box.hidden = false;
  courses().then(function (all) {
    var mine = all[id];
    shown(mine);
    if (mine && navigator.onLine) { // republished or newly unlocked lessons, fetched quietly
      ask().then(function (b) { bundle = b; return download(mine.videos, true); }).catch(function () {});
    }
  }).catch(function () {});
})();
