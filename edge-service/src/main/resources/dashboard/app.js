// Portico live dashboard: vanilla JS plus uPlot (served by the edge from its webjar) for the
// charts. Every piece of data from the server is put into the page with textContent / attributes
// only, never as HTML.
'use strict';

(function () {
  const MAX_FEED = 50;
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
  const tls = document.querySelector('meta[name="portico-data-tls"]');
  const scheme = location.protocol === 'https:' || (tls && tls.content === 'true') ? 'wss:' : 'ws:';
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

  // ---- JSON from the edge's read-only proxy --------------------------------------------------
  function getJson(url) {
    return fetch(url, { cache: 'no-store' }).then((response) =>
      response.json().then((body) => {
        if (!response.ok) throw new Error(response.status + ' ' + display(body && body.message));
        return body;
      })
    );
  }

  // ---- alarms --------------------------------------------------------------------------------
  // One row per alarm: its current state from DescribeAlarms on open, then each transition live.
  const alarms = new Map(); // name -> {tr, value, reason, timestamp}
  const alarmBody = document.querySelector('#alarms tbody');

  function showAlarm(name, value, reason, timestamp, previous, how) {
    const known = alarms.get(name);
    if (known && known.timestamp && timestamp && Date.parse(timestamp) < Date.parse(known.timestamp)) {
      return; // older than what is shown: a transition delivered late, or a stale snapshot
    }
    let tr = known && known.tr;
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.alarm = name;
      tr.addEventListener('click', () => { location.hash = 'alarm=' + encodeURIComponent(name); });
      const after = [...alarms.keys()].filter((k) => k > name).sort()[0];
      alarmBody.insertBefore(tr, after === undefined ? null : alarms.get(after).tr);
    }
    alarms.set(name, { tr: tr, value: value, reason: reason, timestamp: timestamp });
    const badge = el('span', value, 'state');
    badge.dataset.state = value;
    const stateCell = el('td');
    stateCell.appendChild(badge);
    if (previous) stateCell.appendChild(el('span', ' from ' + previous, 'muted small'));
    const reasonCell = el('td', reason || '', 'muted reason');
    tr.replaceChildren(el('td', name, 'key'), stateCell, el('td', shortTime(timestamp)), reasonCell);
    if (how.flash) flash(tr);
    $('alarm-count').textContent = String(alarms.size);
    $('alarms-empty').hidden = alarms.size > 0;
    if (name === openAlarm()) renderAlarmDetail(true);
  }

  function onAlarm(change) {
    if (!change || !change.alarmName) return;
    const state = change.state || {};
    const previous = change.previousState && change.previousState.value;
    showAlarm(String(change.alarmName), String(state.value || '?'), state.reason, state.timestamp, previous, { flash: true });
  }

  function loadAlarms() {
    getJson('/dashboard/alarms')
      .then((body) => {
        const list = (body.MetricAlarms || []).concat(body.CompositeAlarms || []);
        for (const a of list) {
          showAlarm(String(a.AlarmName), String(a.StateValue || '?'), a.StateReason, a.StateUpdatedTimestamp, null, { flash: false });
        }
        $('alarms-note').textContent = '';
        $('alarm-count').textContent = String(alarms.size);
        $('alarms-empty').hidden = alarms.size > 0;
      })
      .catch((e) => { $('alarms-note').textContent = 'Alarms unavailable (' + e.message + '): showing transitions only.'; });
  }

  // ---- one alarm: /dashboard#alarm=NAME (the alarm email's "View this alarm" link) -----------
  function openAlarm() {
    const match = /^#alarm=(.+)$/.exec(location.hash);
    if (!match) return null;
    try {
      return decodeURIComponent(match[1]);
    } catch (e) {
      return null;
    }
  }

  let historyRun = 0;
  function renderAlarmDetail(reloadHistory) {
    const name = openAlarm();
    const section = $('alarm-detail');
    section.hidden = name === null;
    if (name === null) return;
    $('alarm-detail-name').textContent = name;
    const known = alarms.get(name);
    const badge = $('alarm-detail-state');
    badge.textContent = known ? known.value : '';
    badge.dataset.state = known ? known.value : '';
    $('alarm-detail-reason').textContent = known ? known.reason || '' : '';
    $('alarm-detail-since').textContent = known && known.timestamp ? new Date(known.timestamp).toLocaleString() : '';
    if (!reloadHistory) return;
    const run = ++historyRun;
    getJson('/dashboard/alarm-history?AlarmName=' + encodeURIComponent(name))
      .then((body) => {
        if (run !== historyRun) return;
        const items = (body.AlarmHistoryItems || []).map((item) => {
          const li = el('li', null, 'change');
          li.dataset.type = String(item.HistoryItemType || '');
          li.appendChild(el('time', shortTime(item.Timestamp)));
          li.appendChild(el('span', item.HistoryItemType || '', 'badge'));
          li.appendChild(el('span', item.HistorySummary || '', 'what'));
          return li;
        });
        $('alarm-history').replaceChildren(...items);
        $('alarm-detail-note').textContent = items.length ? '' : 'No history for this alarm.';
      })
      .catch((e) => { if (run === historyRun) $('alarm-detail-note').textContent = 'History unavailable (' + e.message + ').'; });
    section.scrollIntoView();
  }
  $('alarm-detail-close').addEventListener('click', (event) => {
    event.preventDefault();
    history.replaceState(null, '', location.pathname + location.search);
    renderAlarmDetail(false);
  });
  window.addEventListener('hashchange', () => renderAlarmDetail(true));

  // ---- gateway metrics: three uPlot charts, per minute ---------------------------------------
  // Rows by period start (epoch seconds): the last hour from GetMetricData, then final datapoints
  // live from the metrics channel.
  const MAX_MINUTES = 120;
  const minutes = new Map(); // epoch seconds -> {count, e4, e5, p50, p99}
  const CHARTS = [
    { id: 'chart-volume', series: [['count', 'requests', '#2457c5']] },
    { id: 'chart-latency', series: [['p50', 'p50 ms', '#1f8a4c'], ['p99', 'p99 ms', '#c62828']] },
    { id: 'chart-errors', series: [['e4', '4XX', '#9a6b00'], ['e5', '5XX', '#c62828']] },
  ];
  const plots = new Map(); // chart id -> uPlot

  function setMinute(seconds, field, value) {
    if (!isFinite(seconds) || typeof value !== 'number' || !isFinite(value)) return;
    const row = minutes.get(seconds) || {};
    row[field] = value;
    minutes.set(seconds, row);
  }

  function drawCharts() {
    const times = [...minutes.keys()].sort((a, b) => a - b);
    while (times.length > MAX_MINUTES) minutes.delete(times.shift());
    $('metrics-empty').hidden = times.length > 0;
    if (typeof uPlot === 'undefined') {
      $('metrics-note').textContent = 'The chart library did not load.';
      return;
    }
    for (const chart of CHARTS) {
      const data = [times].concat(
        chart.series.map(([field]) => times.map((t) => {
          const v = minutes.get(t)[field];
          return typeof v === 'number' ? v : null;
        }))
      );
      const target = $(chart.id);
      let plot = plots.get(chart.id);
      if (!plot) {
        plot = new uPlot(
          {
            width: Math.max(280, target.clientWidth || 360),
            height: 200,
            series: [{}].concat(chart.series.map(([, label, color]) => ({ label: label, stroke: color, width: 2, points: { show: true } }))),
            axes: [{}, { size: 60 }],
          },
          data,
          target
        );
        plots.set(chart.id, plot);
      } else {
        plot.setData(data);
      }
      // What the chart holds, for people reading the DOM and for the browser test.
      target.dataset.points = String(data.slice(1).reduce((n, s) => n + s.filter((v) => v !== null).length, 0));
    }
  }

  const LIVE_FIELDS = { Count: [['Sum', 'count']], '4XXError': [['Sum', 'e4']], '5XXError': [['Sum', 'e5']], Latency: [['p50', 'p50'], ['p99', 'p99']] };
  function onDatapoint(point) {
    if (!point || Number(point.period) !== 60 || !LIVE_FIELDS[point.metricName]) return;
    const seconds = Date.parse(point.timestamp) / 1000;
    for (const [stat, field] of LIVE_FIELDS[point.metricName]) setMinute(seconds, field, point[stat]);
    drawCharts();
  }

  const QUERY_FIELDS = { count: 'count', errors4xx: 'e4', errors5xx: 'e5', p50: 'p50', p99: 'p99' };
  function loadDatapoints() {
    getJson('/dashboard/datapoints?api=' + encodeURIComponent(api) + '&stage=' + encodeURIComponent(stage))
      .then((body) => {
        for (const result of body.MetricDataResults || []) {
          const field = QUERY_FIELDS[result.Id];
          if (!field) continue;
          (result.Timestamps || []).forEach((t, i) => setMinute(Date.parse(t) / 1000, field, (result.Values || [])[i]));
        }
        $('metrics-note').textContent = '';
        drawCharts();
      })
      .catch((e) => { $('metrics-note').textContent = 'Datapoints unavailable (' + e.message + '): showing live ones only.'; });
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
        // Again after subscribing, so that no change falls between what was read and the feed.
        loadSnapshot();
        loadAlarms();
        loadDatapoints();
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
  // The current state at once, whatever the socket does; live changes follow.
  loadSnapshot();
  loadAlarms();
  loadDatapoints();
  renderAlarmDetail(true);
  connect();
})();
