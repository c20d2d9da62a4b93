// The status page's script: filter by state, search, sort; runs in the browser, under the page's CSP.
(function () {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tbody tr"));
    var tbody = document.querySelector("tbody");
    var search = document.getElementById("search");
    var shown = document.getElementById("shown");
    var filters = Array.prototype.slice.call(document.querySelectorAll("button.count"));
    var active = {};
    // Each share's width, set through the CSSOM (the CSP admits no style attribute).
    Array.prototype.slice.call(document.querySelectorAll(".bar span")).forEach(function (b) {
        b.style.width = b.dataset.share + "%";
    });
    function apply() {
        var q = search.value.trim().toLowerCase();
        var any = Object.keys(active).length > 0;
        var n = 0;
        rows.forEach(function (r) {
            var ok = (!any || active[r.dataset.state]) && (q === "" || r.dataset.search.indexOf(q) >= 0);
            r.hidden = !ok;
            if (ok) n++;
        });
        shown.textContent = n + " af " + rows.length + " kommuner vist";
    }
    filters.forEach(function (b) {
        b.addEventListener("click", function () {
            var s = b.dataset.state;
            if (active[s]) delete active[s];
            else active[s] = true;
            b.setAttribute("aria-pressed", active[s] ? "true" : "false");
            apply();
        });
    });
    search.addEventListener("input", apply);
    Array.prototype.slice.call(document.querySelectorAll("th")).forEach(function (th, i) {
        th.addEventListener("click", function () {
            var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
            document.querySelectorAll("th").forEach(function (o) {
                o.removeAttribute("aria-sort");
            });
            th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
            rows.sort(function (a, b) {
                var x = a.children[i].dataset.sort || a.children[i].textContent;
                var y = b.children[i].dataset.sort || b.children[i].textContent;
                return x.localeCompare(y, "da", { numeric: true }) * dir;
            });
            rows.forEach(function (r) {
                tbody.appendChild(r);
            });
        });
    });
    apply();
    document.body.dataset.ready = "true";
})();
