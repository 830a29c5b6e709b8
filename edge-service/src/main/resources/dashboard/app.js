// Portico live dashboard: vanilla JS, no dependencies. Every piece of data from the server is put
// into the page with textContent / attributes only, never as HTML.
'use strict';

(function () {
  const MAX_FEED = 50;
  const MAX_POINTS = 30;
  const MAX_SEEN = 2000;
  const KEEP_ALIVE_MS = 4 * 60 * 1000; // the edge closes sockets silent for 10 minutes
  const MAX_BACKOFF_MS = 30000;

  // ---- where to connect ----------------------------------------------------------------------
  const params = new URLSearchParams(location.search);
  const meta = document.querySelector('meta[name="portico-data-port"]');
  const injectedPort = meta && /^\d{1,5}$/.test(meta.content) ? meta.content : '8080';
  const port = /^\d{1,5}$/.test(params.get('port') || '') ? params.get('port') : injectedPort;
  const stage = /^[A-Za-z0-9_-]{1,128}$/.test(params.get('stage') || '') ? params.get('stage') : 'prod';
  const api = /^[^\s*,=]{1,200}$/.test(params.get('api') || '') ? params.get('api') : 'customer-api';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const wsUrl = scheme + '//' + location.hostname + ':' + port + '/' + encodeURIComponent(stage);
  const metricsChannel = 'metrics/ApiName=' + api + ',Stage=' + stage;
  const channels = ['customers', 'alarms', metricsChannel];

  const $ = (id) => document.getElementById(id);
  $('stage').textContent = stage;
  $('ws-url').textContent = wsUrl;
  $('metrics-channel').textContent = metricsChannel;

  // ---- small helpers -------------------------------------------------------------------------
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function flash(node, className) {
    node.classList.remove('flash', 'flash-new', 'flash-gone');
    void node.offsetWidth; // restart the animation
    node.classList.add(className || 'flash');
  }

  function shortTime(value) {
    const date = value instanceof Date ? value : new Date(value);
    if (isNaN(date.getTime())) return value === undefined || value === null ? '' : String(value);
    return date.toLocaleTimeString([], { hour12: false });
  }

  function display(value) {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  function formatNumber(value) {
    if (value === null || value === undefined || typeof value !== 'number' || !isFinite(value)) {
      return '–';
    }
    if (Number.isInteger(value)) return value.toLocaleString();
    return value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  }

  // Images are plain JSON in Portico; DynamoDB-typed images ({"S": "x"}, {"N": "1"}...) are
  // unwrapped too, so the page also reads records shaped exactly as AWS writes them.
  const TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];
  function isTyped(value) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && TYPES.includes(keys[0]);
  }
  function untype(value) {
    const type = Object.keys(value)[0];
    const inner = value[type];
    switch (type) {
      case 'N': return Number(inner);
      case 'NULL': return null;
      case 'M': return plainImage(inner);
      case 'L': return Array.isArray(inner) ? inner.map((v) => (isTyped(v) ? untype(v) : v)) : inner;
      case 'NS': return Array.isArray(inner) ? inner.map(Number) : inner;
      default: return inner;
    }
  }
  function plainImage(image) {
    if (!image || typeof image !== 'object' || Array.isArray(image)) return null;
    const values = Object.values(image);
    if (values.length === 0 || !values.every(isTyped)) return image;
    const plain = {};
    for (const [name, value] of Object.entries(image)) plain[name] = untype(value);
    return plain;
  }

  // Repeats (at-least-once delivery, reconnects) carry the same eventId: drop what was seen.
  const seen = new Set();
  const seenOrder = [];
  function firstTime(eventId) {
    if (!eventId) return true;
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    seenOrder.push(eventId);
    if (seenOrder.length > MAX_SEEN) seen.delete(seenOrder.shift());
    return true;
  }

  function newer(a, b) {
    // Sequence numbers are fixed-width digit strings; compare by length, then as strings.
    if (!a || !b) return true;
    if (a.length !== b.length) return a.length > b.length;
    return a > b;
  }

  // ---- customers table -----------------------------------------------------------------------
  const items = new Map(); // key -> {image, seq, removed}
  const rows = new Map(); // key -> <tr>
  let keyNames = ['customer_id'];
  let columns = ['customer_id'];
  let touched = new Set(); // keys changed live since the last snapshot request
  const tbody = document.querySelector('#customers tbody');
  const headRow = document.querySelector('#customers thead tr');

  function keyOf(keys) {
    const names = Object.keys(keys || {}).sort();
    if (names.length === 1) return display(keys[names[0]]);
    return JSON.stringify(names.map((n) => keys[n]));
  }

  function renderHead() {
    headRow.replaceChildren(...columns.map((c) => el('th', c)));
  }

  function ensureColumns(image) {
    let added = false;
    for (const name of Object.keys(image)) {
      if (!columns.includes(name)) {
        columns.push(name);
        added = true;
      }
    }
    if (added) {
      const rest = columns.filter((c) => !keyNames.includes(c)).sort();
      columns = keyNames.concat(rest);
      renderHead();
      for (const [key, tr] of rows) fillRow(tr, items.get(key).image);
    }
  }

  function fillRow(tr, image) {
    tr.replaceChildren(
      ...columns.map((name) => {
        const td = el('td', display(image[name]));
        td.dataset.attr = name;
        if (typeof image[name] === 'number') td.classList.add('num');
        return td;
      })
    );
  }

  function upsertRow(key, image, how) {
    const previous = items.get(key);
    items.set(key, { image: image, seq: how.seq || null, removed: false });
    ensureColumns(image);
    let tr = rows.get(key);
    const isNew = !tr;
    if (isNew) {
      tr = document.createElement('tr');
      tr.dataset.key = key;
      rows.set(key, tr);
      const after = [...rows.keys()].filter((k) => k > key).sort()[0];
      tbody.insertBefore(tr, after === undefined ? null : rows.get(after));
    }
    const changed = !previous || previous.removed || JSON.stringify(previous.image) !== JSON.stringify(image);
    fillRow(tr, image);
    if (how.flash && changed) flash(tr, isNew ? 'flash-new' : 'flash');
    updateCount();
  }

  function removeRow(key, seq) {
    items.set(key, { image: null, seq: seq || null, removed: true });
    const tr = rows.get(key);
    if (!tr) return;
    rows.delete(key);
    // The row fades out; it no longer counts as the item's row.
    delete tr.dataset.key;
    tr.dataset.removedKey = key;
    flash(tr, 'flash-gone');
    setTimeout(() => tr.remove(), 700);
    updateCount();
  }

  function updateCount() {
    $('customer-count').textContent = String(rows.size);
    $('customers-empty').hidden = rows.size > 0;
  }

  function onChange(record) {
    const d = record && record.dynamodb;
    if (!d || !d.Keys) return;
    const keys = plainImage(d.Keys) || {};
    const names = Object.keys(keys).sort();
    if (names.length && keyNames.join() !== names.join()) {
      keyNames = names;
      columns = keyNames.concat(columns.filter((c) => !keyNames.includes(c)).sort());
      renderHead();
    }
    const key = keyOf(keys);
    const seq = d.SequenceNumber;
    const known = items.get(key);
    if (known && known.seq && seq && !newer(seq, known.seq)) return; // an older or repeated change
    touched.add(key);
    if (record.eventName === 'REMOVE') {
      removeRow(key, seq);
    } else {
      const image = plainImage(d.NewImage) || Object.assign({}, keys);
      upsertRow(key, image, { seq: seq, flash: true });
    }
    addToFeed(record, key, keys);
  }

  // ---- the feed of changes -------------------------------------------------------------------
  const feed = $('feed');
  function addToFeed(record, key) {
    const d = record.dynamodb || {};
    const li = el('li', null, 'change ' + String(record.eventName || '').toLowerCase());
    const when = d.ApproximateCreationDateTime;
    const at = typeof when === 'number' ? (when > 1e11 ? when : when * 1000) : when || new Date();
    li.appendChild(el('time', shortTime(at)));
    li.appendChild(el('span', record.eventName || '?', 'badge'));
    li.appendChild(el('span', key, 'key'));
    li.appendChild(el('span', describe(record), 'what muted'));
    feed.insertBefore(li, feed.firstChild);
    while (feed.children.length > MAX_FEED) feed.lastChild.remove();
    $('feed-empty').hidden = true;
  }

  function describe(record) {
    const d = record.dynamodb || {};
    const oldImage = plainImage(d.OldImage);
    const newImage = plainImage(d.NewImage);
    if (record.eventName === 'MODIFY' && oldImage && newImage) {
      const names = new Set(Object.keys(oldImage).concat(Object.keys(newImage)));
      const changed = [...names].filter(
        (n) => JSON.stringify(oldImage[n]) !== JSON.stringify(newImage[n])
      );
      return changed.length ? 'changed ' + changed.join(', ') : '';
    }
    if (record.eventName === 'REMOVE') {
      return record.userIdentity && record.userIdentity.principalId ? 'by ' + record.userIdentity.principalId : '';
    }
    return newImage ? Object.keys(newImage).length + ' attributes' : '';
  }

  // ---- alarms --------------------------------------------------------------------------------
  const alarms = new Map(); // name -> {tr, timestamp}
  const alarmBody = document.querySelector('#alarms tbody');
  function onAlarm(change) {
    if (!change || !change.alarmName) return;
    const name = String(change.alarmName);
    const state = change.state || {};
    const known = alarms.get(name);
    if (known && known.timestamp && state.timestamp && Date.parse(state.timestamp) < Date.parse(known.timestamp)) {
      return; // an older transition, delivered late
    }
    let tr = known && known.tr;
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.alarm = name;
      const after = [...alarms.keys()].filter((k) => k > name).sort()[0];
      alarmBody.insertBefore(tr, after === undefined ? null : alarms.get(after).tr);
    }
    alarms.set(name, { tr: tr, timestamp: state.timestamp });
    const value = String(state.value || '?');
    const badge = el('span', value, 'state');
    badge.dataset.state = value;
    const stateCell = el('td');
    stateCell.appendChild(badge);
    if (change.previousState && change.previousState.value) {
      stateCell.appendChild(el('span', ' from ' + change.previousState.value, 'muted small'));
    }
    tr.replaceChildren(el('td', name, 'key'), stateCell, el('td', shortTime(state.timestamp)), el('td', state.reason || '', 'muted'));
    flash(tr);
    $('alarms-empty').hidden = true;
  }

  // ---- gateway metrics -----------------------------------------------------------------------
  // What each metric shows: the request count, errors, and latency's p99 (ms).
  const SHOWN = {
    Count: { stat: 'Sum', label: 'Count' },
    '4XXError': { stat: 'Sum', label: '4XXError' },
    '5XXError': { stat: 'Sum', label: '5XXError' },
    Latency: { stat: 'p99', label: 'Latency p99 (ms)' },
    IntegrationLatency: { stat: 'p99', label: 'IntegrationLatency p99 (ms)' },
  };
  const ORDER = Object.keys(SHOWN);
  const series = new Map(); // "metric|period" -> {tr, points: Map(timestamp -> value)}
  const metricBody = document.querySelector('#metrics tbody');

  function onDatapoint(point) {
    if (!point || !SHOWN[point.metricName]) return;
    const shown = SHOWN[point.metricName];
    const id = point.metricName + '|' + point.period;
    let entry = series.get(id);
    if (!entry) {
      const tr = document.createElement('tr');
      tr.dataset.metric = point.metricName;
      tr.dataset.period = String(point.period);
      entry = { tr: tr, points: new Map(), metric: point.metricName, period: Number(point.period) };
      series.set(id, entry);
      const sorted = [...series.values()].sort(
        (a, b) => ORDER.indexOf(a.metric) - ORDER.indexOf(b.metric) || a.period - b.period
      );
      const next = sorted[sorted.indexOf(entry) + 1];
      metricBody.insertBefore(tr, next ? next.tr : null);
    }
    let value = point[shown.stat];
    if ((value === null || value === undefined) && shown.stat === 'Sum') value = 0;
    entry.points.set(String(point.timestamp), typeof value === 'number' ? value : null);
    const times = [...entry.points.keys()].sort();
    while (times.length > MAX_POINTS) entry.points.delete(times.shift());
    const latest = times[times.length - 1];
    const valueCell = el('td', formatNumber(entry.points.get(latest)), 'num value');
    const trend = el('td');
    trend.appendChild(sparkline(times.map((t) => entry.points.get(t))));
    entry.tr.replaceChildren(
      el('td', shown.label),
      el('td', periodLabel(entry.period), 'num'),
      valueCell,
      el('td', shortTime(latest), 'muted'),
      trend
    );
    flash(entry.tr);
    $('metrics-empty').hidden = true;
  }

  function periodLabel(seconds) {
    if (seconds >= 3600 && seconds % 3600 === 0) return seconds / 3600 + ' h';
    if (seconds >= 60 && seconds % 60 === 0) return seconds / 60 + ' min';
    return seconds + ' s';
  }

  function sparkline(values) {
    const ns = 'http://www.w3.org/2000/svg';
    const width = 120;
    const height = 24;
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    const numbers = values.filter((v) => typeof v === 'number' && isFinite(v));
    if (numbers.length === 0) return svg;
    const min = Math.min(...numbers);
    const max = Math.max(...numbers);
    const step = values.length > 1 ? width / (values.length - 1) : 0;
    const points = [];
    values.forEach((v, i) => {
      if (typeof v !== 'number' || !isFinite(v)) return;
      const y = max === min ? height / 2 : height - 2 - ((v - min) / (max - min)) * (height - 4);
      points.push((i * step).toFixed(1) + ',' + y.toFixed(1));
    });
    if (points.length === 1) points.push(width + ',' + points[0].split(',')[1]);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.appendChild(line);
    return svg;
  }

  // ---- the snapshot: the table as it is when (re)connected -----------------------------------
  let snapshotRun = 0;
  function loadSnapshot() {
    const run = ++snapshotRun;
    touched = new Set();
    const note = $('snapshot-note');
    fetch('/dashboard/items?stage=' + encodeURIComponent(stage), { cache: 'no-store' })
      .then((response) =>
        response.json().then((body) => ({ ok: response.ok, status: response.status, body: body }))
      )
      .then((answer) => {
        if (run !== snapshotRun) return;
        if (!answer.ok) {
          note.textContent =
            'Current items unavailable (' + answer.status + ' ' + display(answer.body && answer.body.message) + '): showing live changes only.';
          return;
        }
        const list = Array.isArray(answer.body.items) ? answer.body.items : [];
        const present = new Set();
        for (const item of list) {
          const image = plainImage(item) || {};
          const keys = {};
          for (const name of keyNames) keys[name] = image[name];
          const key = keyOf(keys);
          present.add(key);
          if (!touched.has(key)) upsertRow(key, image, { flash: false });
        }
        if (!answer.body.nextCursor) {
          for (const key of [...rows.keys()]) {
            if (!present.has(key) && !touched.has(key)) removeRow(key, null);
          }
          note.textContent = '';
        } else {
          note.textContent = 'Showing the first ' + list.length + ' items, then every change.';
        }
      })
      .catch((e) => {
        if (run === snapshotRun) note.textContent = 'Current items unavailable (' + e.message + '): showing live changes only.';
      });
  }

  // ---- the connection ------------------------------------------------------------------------
  let socket = null;
  let attempt = 0;
  let keepAlive = null;
  let subscribed = new Set();

  function setStatus(state, detail) {
    const status = $('status');
    status.dataset.state = state;
    status.textContent = state;
    $('status-detail').textContent = detail || '';
  }

  function send(ws, message) {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  function connect() {
    setStatus(attempt === 0 ? 'connecting' : 'reconnecting', wsUrl);
    let ws;
    try {
      ws = new WebSocket(wsUrl);
    } catch (e) {
      scheduleReconnect(e.message);
      return;
    }
    socket = ws;
    subscribed = new Set();
    ws.onopen = () => {
      setStatus('subscribing', channels.length + ' channels');
      channels.forEach((channel) => send(ws, { action: 'subscribe', channel: channel }));
      clearInterval(keepAlive);
      keepAlive = setInterval(() => send(ws, { action: 'subscribe', channel: 'alarms' }), KEEP_ALIVE_MS);
    };
    ws.onmessage = (event) => {
      if (ws !== socket) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      onFrame(ws, frame);
    };
    ws.onclose = (event) => {
      if (ws !== socket) return;
      socket = null;
      clearInterval(keepAlive);
      scheduleReconnect('closed' + (event.code ? ' (' + event.code + (event.reason ? ': ' + event.reason : '') + ')' : ''));
    };
    ws.onerror = () => {}; // a close event follows
  }

  function scheduleReconnect(why) {
    const base = Math.min(MAX_BACKOFF_MS, 500 * Math.pow(2, attempt));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    attempt++;
    setStatus('disconnected', why + '; retrying in ' + (delay / 1000).toFixed(1) + ' s');
    setTimeout(connect, delay);
  }

  function onFrame(ws, frame) {
    if (frame.type === 'subscribed') {
      subscribed.add(frame.channel);
      if (channels.every((c) => subscribed.has(c)) && $('status').dataset.state !== 'live') {
        attempt = 0;
        setStatus('live', 'since ' + shortTime(new Date()));
        loadSnapshot(); // after subscribing, so that no change falls between the two
      }
      return;
    }
    if (frame.type === 'message') {
      if (!firstTime(frame.channel + '\n' + frame.eventId)) return;
      if (frame.channel === 'customers') onChange(frame.data);
      else if (frame.channel === 'alarms') onAlarm(frame.data);
      else if (frame.channel === metricsChannel) onDatapoint(frame.data);
      return;
    }
    if (frame.message) {
      $('errors').textContent = (frame.channel ? frame.channel + ': ' : '') + frame.message + ' ';
    }
  }

  updateCount();
  renderHead();
  connect();
})();
