/**
 * The live page's script, as browser JavaScript (plain ES2017, no build step). It polls
 * /api/state every second (incrementally: rule scores since the last poll), refreshes a
 * sensor's image only when its latest sample changed, redraws the plots, and while a prompt is
 * typed re-scores it every second against the sensors' latest embeddings (POST /api/prompt).
 * A `?token=` in the page URL is sent as "Authorization: Bearer" and on image URLs.
 * Written without template literals so it can live in this TypeScript template string.
 */
export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var WINDOW_MS = 5 * 60 * 1000;
  var token = new URLSearchParams(location.search).get('token');
  var since = 0;
  var history = {};
  var ruleInfo = {};
  var sensorCards = {};
  var ruleCards = {};
  var promptBusy = false;
  var promptUpdates = 0;
  var lastState = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function withToken(url) {
    return token ? url + (url.indexOf('?') < 0 ? '?' : '&') + 'token=' + encodeURIComponent(token) : url;
  }
  function api(path, body) {
    var headers = { Accept: 'application/json' };
    if (token) headers.Authorization = 'Bearer ' + token;
    var opts = { headers: headers, cache: 'no-store' };
    if (body !== undefined) {
      opts.method = 'POST';
      headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    return fetch(path, opts).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || ('HTTP ' + r.status));
        return j;
      });
    });
  }
  function fmt(v, d) { return typeof v === 'number' && isFinite(v) ? v.toFixed(d === undefined ? 2 : d) : '–'; }

  function sensorCard(s) {
    var card = el('div', { class: 'card', 'data-sensor': s.id });
    var h = el('h3');
    h.appendChild(el('span', {}, s.id));
    var badge = el('span', { class: 'badge' });
    h.appendChild(badge);
    card.appendChild(h);
    var view = s.modality === 'audio' || s.modality === 'imu'
      ? el('canvas', { class: 'plot', 'data-kind': 'window' })
      : el('img', { class: 'view', alt: s.id + ' latest frame' });
    card.appendChild(view);
    var info = el('div', { class: 'dim' });
    card.appendChild(info);
    $('sensors').appendChild(card);
    return { card: card, badge: badge, view: view, info: info, t: null };
  }

  function renderSensor(s) {
    var c = sensorCards[s.id] || (sensorCards[s.id] = sensorCard(s));
    c.badge.textContent = s.state;
    c.badge.className = 'badge ' + s.state;
    var parts = [s.modality, s.driver, fmt(s.rate, 1) + ' samples/s'];
    if (s.dropped) parts.push(s.dropped + ' dropped');
    var latest = s.latest;
    if (latest && latest.range) parts.push(fmt(latest.range.min, 1) + '–' + fmt(latest.range.max, 1) + ' ' + latest.range.unit);
    if (s.lastError && s.state !== 'ok') parts.push(s.lastError);
    c.info.textContent = parts.join(' · ');
    if (!latest || latest.t === c.t) return;
    c.t = latest.t;
    if (latest.kind === 'frame' && c.view.tagName === 'IMG') {
      c.view.src = withToken('/api/frame/' + encodeURIComponent(s.id) + '?t=' + latest.t);
    } else if (latest.plot && c.view.tagName === 'CANVAS') {
      bsDrawWindow(c.view, latest.plot, s.modality);
    }
  }

  function ruleCard(r) {
    var card = el('div', { class: 'card', 'data-rule': r.id });
    var h = el('h3');
    h.appendChild(el('span', {}, r.id));
    var badge = el('span', { class: 'badge' });
    h.appendChild(badge);
    card.appendChild(h);
    var canvas = el('canvas', { class: 'score-plot', 'data-points': '0' });
    card.appendChild(canvas);
    var info = el('div', { class: 'dim' });
    card.appendChild(info);
    $('rules').appendChild(card);
    return { badge: badge, canvas: canvas, info: info };
  }

  function renderRule(r, now) {
    var c = ruleCards[r.id] || (ruleCards[r.id] = ruleCard(r));
    ruleInfo[r.id] = r;
    var pts = (history[r.id] || []).concat(r.points).filter(function (p) { return p[0] >= now - WINDOW_MS; });
    history[r.id] = pts;
    c.badge.textContent = r.on ? 'ON' : 'off';
    c.badge.className = 'badge ' + (r.on ? 'on' : 'off');
    c.info.textContent = r.mode + ' · score ' + fmt(r.score) + ' · enter ' + r.enter + ' / exit ' + r.exit +
      ' · ' + r.sensors.join(', ') + ' · "' + r.prompts.join('", "') + '"';
    // The last 5 minutes, or less while there is less history (at least 30 s).
    var start = Math.max(now - WINDOW_MS, Math.min(pts.length ? pts[0][0] : now, now - 30000));
    bsDrawRule(c.canvas, pts, r, start, now);
  }

  function renderEvents(events) {
    var body = $('events').tBodies[0];
    body.textContent = '';
    events.forEach(function (e) {
      var tr = el('tr', { 'data-event': e.id });
      [e.time.slice(11, 23), e.rule, e.type, fmt(e.score), e.sensors.join(', '), e.prompt].forEach(function (v) {
        tr.appendChild(el('td', {}, v));
      });
      body.appendChild(tr);
    });
  }

  function renderHealth(s) {
    $('node').textContent = s.node;
    $('model').textContent = s.model + ' · v' + s.version;
    var h = $('health');
    h.textContent = s.health.status;
    h.className = 'badge ' + s.health.status;
    $('broker').textContent = 'MQTT ' + (s.health.broker.connected ? 'connected' : 'down');
    var list = $('reasons');
    list.textContent = '';
    s.health.reasons.forEach(function (r) { list.appendChild(el('li', {}, r)); });
  }

  function render(s) {
    lastState = s;
    renderHealth(s);
    s.sensors.forEach(renderSensor);
    s.rules.forEach(function (r) { renderRule(r, s.now); });
    renderEvents(s.events);
    since = s.now;
    $('conn').textContent = 'updated ' + new Date(s.now).toLocaleTimeString();
    $('conn').className = 'dim';
  }

  function poll() {
    api('/api/state?since=' + since).then(render).catch(function (err) {
      $('conn').textContent = 'cannot reach the agent: ' + err.message;
      $('conn').className = 'error';
    }).then(function () { setTimeout(poll, 1000); });
  }

  function promptYaml(res) {
    var scored = res.sensors.filter(function (s) { return typeof s.score === 'number'; });
    var pick = scored.filter(function (s) { return s.score >= 0.5; });
    if (pick.length === 0) pick = (scored.length ? scored : res.sensors).slice().sort(function (a, b) {
      return (b.score || b.cosine) - (a.score || a.cosine);
    }).slice(0, 1);
    var lines = ['rules:', '  - id: ' + (res.text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'my-rule'),
      '    sensors: [' + pick.map(function (s) { return s.sensor; }).join(', ') + ']',
      '    prompts: [' + JSON.stringify(res.text) + ']'];
    if (res.contrast.length) lines.push('    contrast: [' + res.contrast.map(function (c) { return JSON.stringify(c); }).join(', ') + ']');
    lines.push('    enter: 0.6', '    exit: 0.4');
    return lines.join('\n');
  }

  function renderPrompt(res) {
    var body = $('prompt-results').tBodies[0];
    body.textContent = '';
    res.sensors.forEach(function (s) {
      var tr = el('tr', { 'data-prompt-sensor': s.sensor, 'data-score': String(s.score === undefined ? s.cosine : s.score) });
      var against = s.against.kind === 'rules' ? 'contrast of ' + s.against.rules.join(', ') : s.against.kind === 'contrast' ? 'your contrast' : 'cosine only';
      [s.sensor, s.modality, fmt(s.cosine, 3), fmt(s.score, 3)].forEach(function (v) { tr.appendChild(el('td', {}, v)); });
      var barCell = el('td');
      var bar = el('div', { class: 'bar' });
      bar.style.width = Math.round(100 * Math.max(0, Math.min(1, s.score === undefined ? s.cosine : s.score))) + 'px';
      barCell.appendChild(bar);
      tr.appendChild(barCell);
      tr.appendChild(el('td', { class: 'dim' }, against));
      body.appendChild(tr);
    });
    var note = res.sensors.length ? 'Live, ' + res.model + '.' : 'No sensor has an embedding yet.';
    if (res.unknownWords.length) note += ' Words the model does not know (ignored): ' + res.unknownWords.join(', ');
    $('prompt-note').textContent = note;
    $('prompt-note').className = res.unknownWords.length ? 'warn' : 'dim';
    $('prompt-yaml').hidden = false;
    $('prompt-yaml').textContent = promptYaml(res);
    promptUpdates++;
    $('prompt-results').setAttribute('data-updates', String(promptUpdates));
  }

  function scorePrompt() {
    var text = $('prompt-text').value.trim();
    if (!text || promptBusy) return;
    var contrast = $('prompt-contrast').value.split(',').map(function (c) { return c.trim(); }).filter(Boolean);
    promptBusy = true;
    api('/api/prompt', { text: text, contrast: contrast }).then(renderPrompt).catch(function (err) {
      $('prompt-note').textContent = err.message;
      $('prompt-note').className = 'error';
    }).then(function () { promptBusy = false; });
  }

  var typingTimer = null;
  function onTyping() {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(scorePrompt, 300);
  }
  $('prompt-text').addEventListener('input', onTyping);
  $('prompt-contrast').addEventListener('input', onTyping);
  setInterval(scorePrompt, 1000);
  window.bindsight = {
    state: function () { return lastState; },
    points: function (rule) { return (history[rule] || []).length; },
    promptUpdates: function () { return promptUpdates; },
  };
  poll();
})();
`;
