package io.threadleak.core.report;

/**
 * The HTML report's style sheet and script, inlined in every page (the page loads nothing: its
 * Content-Security-Policy forbids it). Kept in Java rather than resources so the agent's class loader needs
 * nothing but classes.
 */
final class HtmlAssets {

    private HtmlAssets() {
    }

    static final String CSS = """
            :root{--bg:#f7f8fa;--fg:#1d2330;--muted:#5d6677;--card:#fff;--line:#dde1e8;--accent:#3b5bdb;
            --bad:#c92a2a;--bad-bg:#fff0f0;--warn:#b35c00;--ok:#2b8a3e;--code:#f1f3f6;--mark:#ffe8a3;
            --c-threads:#3b5bdb;--c-executors:#e8590c;--c-timers:#9c36b5;--c-queued:#2b8a3e;color-scheme:light}
            :root[data-theme=dark]{--bg:#14171c;--fg:#e3e6eb;--muted:#98a1b0;--card:#1d2129;--line:#2e3440;
            --accent:#7d95ff;--bad:#ff7b7b;--bad-bg:#3a1d1f;--warn:#ffb35c;--ok:#69db7c;--code:#252a33;--mark:#5c4a12;
            --c-threads:#7d95ff;--c-executors:#ff922b;--c-timers:#da77f2;--c-queued:#69db7c;color-scheme:dark}
            @media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#14171c;--fg:#e3e6eb;
            --muted:#98a1b0;--card:#1d2129;--line:#2e3440;--accent:#7d95ff;--bad:#ff7b7b;--bad-bg:#3a1d1f;
            --warn:#ffb35c;--ok:#69db7c;--code:#252a33;--mark:#5c4a12;--c-threads:#7d95ff;--c-executors:#ff922b;
            --c-timers:#da77f2;--c-queued:#69db7c;color-scheme:dark}}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",
            "DejaVu Sans",sans-serif}
            header{display:flex;align-items:center;gap:16px;padding:14px 28px;background:var(--card);
            border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
            header h1{font-size:19px;margin:0;letter-spacing:.2px}
            header .meta{color:var(--muted);flex:1}
            header nav a{margin-right:14px;color:var(--accent);text-decoration:none}
            main{padding:20px 28px;max-width:1400px;margin:0 auto}
            h2{font-size:17px;margin:28px 0 10px;display:flex;align-items:center;gap:12px}
            h2 .n{font-size:12px;font-weight:600;color:var(--muted);background:var(--code);border-radius:10px;
            padding:1px 8px}
            button,input{font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);
            border-radius:6px;padding:4px 10px}
            button{cursor:pointer}
            input.filter{margin-left:auto;width:260px;font-size:13px}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(118px,1fr));gap:10px}
            .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 14px}
            .card .v{font-size:24px;font-weight:650}
            .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.4px}
            .card.bad{border-color:var(--bad);background:var(--bad-bg)}
            .card.bad .v{color:var(--bad)}
            .card.good .v{color:var(--ok)}
            table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);
            border-radius:8px;overflow:hidden}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
            th{font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted);cursor:pointer;
            user-select:none;white-space:nowrap}
            th[aria-sort=ascending]::after{content:" \\25B2"}
            th[aria-sort=descending]::after{content:" \\25BC"}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            td a{color:var(--accent);text-decoration:none}
            code,pre{font:12.5px/1.5 "DejaVu Sans Mono",ui-monospace,Menlo,Consolas,monospace}
            pre{background:var(--code);padding:8px 10px;border-radius:6px;overflow-x:auto;margin:6px 0}
            mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 2px}
            .badge{display:inline-block;font-size:11px;font-weight:700;border-radius:4px;padding:1px 6px;
            letter-spacing:.3px;background:var(--code);color:var(--muted)}
            .badge.NEW,.badge.GROWN{background:var(--bad);color:#fff}
            .badge.rule{background:transparent;border:1px solid var(--accent);color:var(--accent)}
            .badge.proof.PROVEN,.badge.proof.PARTLY_PROVEN{background:var(--bad);color:#fff}
            .badge.proof.NOT_PROVEN{background:transparent;border:1px solid var(--bad);color:var(--bad)}
            .empty{color:var(--muted);padding:8px 2px}
            .suspect{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--bad);
            border-radius:8px;padding:12px 16px;margin:12px 0}
            .suspect h3{margin:0 0 6px;font-size:15px;display:flex;gap:8px;align-items:baseline;flex-wrap:wrap}
            .suspect .facts{color:var(--muted);margin:4px 0}
            .suspect h4{margin:10px 0 2px;font-size:12px;text-transform:uppercase;letter-spacing:.4px;color:var(--muted)}
            .suspect ul{margin:4px 0;padding-left:20px}
            details summary{cursor:pointer;margin:4px 0}
            .trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:12px}
            figure.trend{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;
            padding:10px 12px}
            figure.trend.suspected{border-left:4px solid var(--bad)}
            figure.trend figcaption{font-size:13px;overflow-wrap:anywhere}
            figure.trend figcaption .sub{color:var(--muted);font-size:12px}
            svg.chart{width:100%;height:auto;display:block;margin-top:6px}
            svg .grid{stroke:var(--line);stroke-width:1}
            svg .axis{fill:var(--muted);font-size:11px}
            svg .line{fill:none;stroke-width:2;stroke-linejoin:round}
            .threads{stroke:var(--c-threads);--c:var(--c-threads)}
            .executors{stroke:var(--c-executors);--c:var(--c-executors)}
            .timers{stroke:var(--c-timers);--c:var(--c-timers)}
            .queued{stroke:var(--c-queued);--c:var(--c-queued)}
            .legend{display:flex;gap:14px;font-size:12px;color:var(--muted);flex-wrap:wrap}
            .legend span::before{content:"";display:inline-block;width:10px;height:10px;border-radius:2px;
            background:var(--c);margin-right:5px;vertical-align:-1px}
            footer{color:var(--muted);font-size:12px;padding:24px 28px}
            [hidden]{display:none!important}
            @media print{header{position:static}header nav,header button,input.filter{display:none}
            body{background:#fff;color:#000;font-size:11px}.suspect,figure.trend,.card,table{break-inside:avoid}
            .trends{grid-template-columns:1fr 1fr}pre{white-space:pre-wrap}}
            """;

    static final String JS = """
            (function () {
              'use strict';
              var body = document.body;
              var errors = [];
              function fail(msg) {
                errors.push(String(msg));
                body.setAttribute('data-selfcheck', 'error: ' + errors.join('; '));
              }
              window.addEventListener('error', function (e) { fail(e.message); });
              try {
                var data = JSON.parse(document.getElementById('threadleak-data').textContent);
                var root = document.documentElement;
                document.getElementById('theme').addEventListener('click', function () {
                  var now = root.getAttribute('data-theme')
                      || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
                  root.setAttribute('data-theme', now === 'dark' ? 'light' : 'dark');
                });
                Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
                  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
                    th.tabIndex = 0;
                    th.addEventListener('click', function () { sort(table, th, col); });
                    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sort(table, th, col); } });
                  });
                });
                function sort(table, th, col) {
                  var asc = th.getAttribute('aria-sort') !== 'ascending';
                  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute('aria-sort'); });
                  th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
                  var num = th.getAttribute('data-type') === 'num';
                  var tbody = table.tBodies[0];
                  var rows = Array.prototype.slice.call(tbody.rows);
                  function key(r) { var c = r.cells[col]; return c.getAttribute('data-v') || c.textContent; }
                  rows.sort(function (a, b) {
                    var x = key(a), y = key(b);
                    var c = num ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
                    return asc ? c : -c;
                  });
                  rows.forEach(function (r) { tbody.appendChild(r); });
                }
                Array.prototype.forEach.call(document.querySelectorAll('input.filter'), function (input) {
                  input.addEventListener('input', function () {
                    var q = input.value.toLowerCase();
                    Array.prototype.forEach.call(document.querySelectorAll(input.getAttribute('data-target')), function (el) {
                      el.hidden = q !== '' && el.textContent.toLowerCase().indexOf(q) < 0;
                    });
                  });
                });
                window.addEventListener('beforeprint', function () {
                  Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = true; });
                });
                // self-check: the page shows what its data says (read by the browser test)
                var problems = [];
                var rows = document.querySelectorAll('#suspects-table tbody tr');
                if (rows.length !== data.suspects.length) {
                  problems.push(rows.length + ' suspect rows for ' + data.suspects.length + ' suspects');
                }
                data.suspects.forEach(function (s, i) {
                  var card = document.getElementById('suspect-' + i);
                  if (!card || card.getAttribute('data-blame') !== s.blame) {
                    problems.push('suspect ' + i + ' (' + s.blame + ') not shown');
                  }
                });
                var charts = document.querySelectorAll('figure.trend svg.chart').length;
                if (charts !== data.trends.sites.length) {
                  problems.push(charts + ' charts for ' + data.trends.sites.length + ' sites');
                }
                if (problems.length) { fail(problems.join('; ')); }
                if (!errors.length) { body.setAttribute('data-selfcheck', 'ok'); }
              } catch (e) {
                fail(e && e.stack ? e.stack : e);
              }
            })();
            """;
}
