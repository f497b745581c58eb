/* Province → commune: reload the commune list when the province changes, and filter it as the
   learner types, ignoring case and Vietnamese diacritics ("ha long" finds "Phường Hạ Long").
   Without JavaScript the form still works: a button reloads the page with the province's communes. */
(function () {
  "use strict";
  function fold(s) {
    return s.toLowerCase().replace(/đ/g, "d").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }
  var province = document.querySelector("[data-province-select]");
  var commune = document.querySelector("[data-commune-select]");
  var filter = document.querySelector("[data-commune-filter]");
  if (!province || !commune || !filter) return;
  filter.hidden = false;
  var all = [];
  function remember() {
    all = Array.prototype.slice.call(commune.options).filter(function (o) { return o.value; })
      .map(function (o) { return { value: o.value, text: o.text, key: fold(o.text) }; });
  }
  function render() {
    var words = fold(filter.value).split(" ").filter(Boolean);
    var chosen = commune.value;
    var blank = commune.options[0] && !commune.options[0].value ? commune.options[0] : null;
    commune.length = 0;
    if (blank) commune.add(blank);
    all.forEach(function (c) {
      if (words.every(function (w) { return c.key.indexOf(w) !== -1; })) {
        var o = new Option(c.text, c.value, false, c.value === chosen);
        commune.add(o);
      }
    });
    if (words.length && commune.options.length === (blank ? 2 : 1)) commune.selectedIndex = commune.options.length - 1;
  }
  remember();
  filter.addEventListener("input", render);
  province.addEventListener("change", function () {
    var url = "/api/v1/localities/communes/?province=" + encodeURIComponent(province.value);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (rows) {
        all = rows.map(function (c) { return { value: c.code, text: c.name, key: fold(c.name) }; });
        commune.value = "";
        filter.value = "";
        render();
      })
      .catch(function () {
        // Offline or the API failed: let the server re-render the form with this province.
        var refresh = document.createElement("input");
        refresh.type = "hidden"; refresh.name = "refresh_communes"; refresh.value = "1";
        province.form.appendChild(refresh);
        province.form.submit();
      });
  });
})();
