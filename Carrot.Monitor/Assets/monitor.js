// Carrot monitor: the little the server-rendered pages need. Regions with data-refresh are fetched again every
// data-interval ms and log panes with data-tail get their new lines, only while the tab is visible; forms with
// class js-action are sent with fetch, so the page updates in place instead of reloading.
(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="carrot-csrf"]') || {}).content || '';
  var flash = document.getElementById('flash');

  function say(text, isError) {
    if (!flash) { return; }
    flash.textContent = text;
    flash.className = isError ? 'flash error' : 'flash';
    flash.hidden = false;
  }

  function refresh(region) {
    // Never under someone's fingers: a field being filled in keeps its value until it loses focus.
    var active = document.activeElement;
    if (active && region.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) { return; }
    if (region.dataset.busy) { return; }
    region.dataset.busy = '1';
    fetch(region.dataset.refresh, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null && region.innerHTML !== html) { region.innerHTML = html; } })
      .catch(function () { })
      .then(function () { delete region.dataset.busy; });
  }

  function tail(pane) {
    if (pane.dataset.busy) { return; }
    pane.dataset.busy = '1';
    var count = parseInt(pane.dataset.count || '0', 10);
    fetch(pane.dataset.tail + '?skip=' + count, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (lines) {
        var atBottom = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 4;
        lines.forEach(function (l) {
          var row = document.createElement('div');
          row.className = 'line ' + l.level.charAt(0).toUpperCase() + l.level.slice(1);
          row.textContent = l.at.substring(11, 23) + ' #' + l.attempt + ' ' + l.level + ': ' + l.message;
          pane.appendChild(row);
        });
        pane.dataset.count = String(count + lines.length);
        var empty = pane.querySelector('.empty');
        if (lines.length > 0 && empty) { empty.remove(); }
        if (atBottom) { pane.scrollTop = pane.scrollHeight; }
      })
      .catch(function () { })
      .then(function () { delete pane.dataset.busy; });
  }

  function every(element, interval, work) {
    setInterval(function () { if (!document.hidden) { work(element); } }, interval);
    document.addEventListener('visibilitychange', function () { if (!document.hidden) { work(element); } });
  }

  document.querySelectorAll('[data-refresh]').forEach(function (region) {
    every(region, parseInt(region.dataset.interval || '3000', 10), refresh);
  });
  document.querySelectorAll('[data-tail]').forEach(function (pane) {
    every(pane, parseInt(pane.dataset.interval || '1000', 10), tail);
  });

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains('js-action')) { return; }
    event.preventDefault();
    fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { 'Accept': 'application/json', 'X-Carrot-Csrf': csrf },
      credentials: 'same-origin'
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, body: body }; });
    }).then(function (answer) {
      if (!answer.ok) { say(answer.body.error || 'The action failed.', true); return; }
      if (form.dataset.done) { say(form.dataset.done, false); }
      if (form.dataset.goto) { window.location.assign(form.dataset.goto); return; }
      document.querySelectorAll('[data-refresh]').forEach(refresh);
    }).catch(function (e) { say('The monitor did not answer: ' + e, true); });
  });
})();
