// The status page's logic: fetch the admin API, draw what it answers, again every REFRESH_MS.
// Every value is put into the page with textContent or SVG attributes, never as HTML: names, errors and record
// values come from Intercom and may be customers' data.
// The admin token lives in this tab's sessionStorage only; it is never written into the page or the console.
'use strict';

(function () {
  const REFRESH_MS = 5000;
  const RUNS_IN_CHART = 40;
  const TOKEN_KEY = 'intercomHub.adminToken';
  const SVG = 'http://www.w3.org/2000/svg';

  let timer = null;
  let lastRuns = [];

  // A token in the fragment (/#token=...: never sent to the server) is taken like a typed one, then removed from
  // the address bar and the history, so it does not stay in bookmarks or screenshots.
  function takeTokenFromFragment() {
    const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (!match) {
      return;
    }
    let token = '';
    try {
      token = decodeURIComponent(match[1]).trim();
    } catch (malformed) {
      token = ''; // not a token anyone sent on purpose: the page asks for one if the hub wants it
    }
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
    }
    history.replaceState(null, '', location.pathname + location.search);
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  class Unauthorized extends Error {}

  // Without a token the call goes out bare: with no HUB_ADMIN_TOKENS set the hub answers loopback callers anyway.
  async function api(path, options) {
    const headers = Object.assign({'Accept': 'application/json'}, (options && options.headers) || {});
    const t = token();
    if (t) {
      headers['Authorization'] = 'Bearer ' + t;
    }
    const response = await fetch(path, Object.assign({}, options, {headers: headers, cache: 'no-store'}));
    if (response.status === 401) {
      // the hub's reason (fixed sentences of AdminAccessFilter: it never repeats what was sent)
      let reason = '';
      try {
        reason = (await response.json()).message || '';
      } catch (notJson) {
        reason = '';
      }
      throw new Unauthorized(reason);
    }
    if (!response.ok) {
      throw new Error(path + ' answered ' + response.status);
    }
    return response.json();
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const name in attributes) {
      node.setAttribute(name, String(attributes[name]));
    }
    if (text !== undefined) {
      node.textContent = String(text);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function duration(ms) {
    if (ms === null || ms === undefined || isNaN(ms)) {
      return '';
    }
    if (ms < 1000) {
      return Math.round(ms) + ' ms';
    }
    const s = ms / 1000;
    if (s < 60) {
      return s.toFixed(1) + ' s';
    }
    const m = Math.floor(s / 60);
    if (m < 60) {
      return m + ' min ' + Math.floor(s - m * 60) + ' s';
    }
    const h = Math.floor(m / 60);
    if (h < 48) {
      return h + ' h ' + (m - h * 60) + ' min';
    }
    return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
  }

  function relative(iso) {
    if (!iso) {
      return '';
    }
    const delta = Date.parse(iso) - Date.now();
    if (Math.abs(delta) < 1000) {
      return 'now';
    }
    const past = delta < 0;
    const text = duration(Math.abs(Math.round(delta / 1000)) * 1000).replace(/\.0 s$/, ' s');
    return past ? text + ' ago' : 'in ' + text;
  }

  function timeCell(iso) {
    const cell = el('td', relative(iso));
    if (iso) {
      cell.title = new Date(iso).toLocaleString();
    }
    return cell;
  }

  function number(value) {
    return value === null || value === undefined ? '' : Number(value).toLocaleString('en-US');
  }

  function showTokenPanel(message, reason) {
    clearTimeout(timer);
    timer = null;
    // no data stays on the page without an accepted token
    document.getElementById('data').hidden = true;
    for (const id of ['collections', 'branches']) {
      clear(document.querySelector('#' + id + ' tbody'));
    }
    clear(document.getElementById('runs-chart'));
    clear(document.getElementById('webhooks-chart'));
    document.getElementById('updated').textContent = 'admin token needed';
    document.getElementById('token-message').textContent = message;
    document.getElementById('token-reason').textContent = reason ? 'The hub says: ' + reason : '';
    document.getElementById('token-panel').hidden = false;
    document.body.dataset.state = 'token-needed';
    document.getElementById('token-input').focus();
  }

  /** A run's state, the error of a failed one, and when a failed one runs again (sync.retry-failed-runs). */
  function stateCell(state, error, retryAt) {
    const cell = el('td', null, 'state-cell');
    cell.appendChild(el('span', state, 'state state-' + state));
    if (state === 'failed' && error) {
      // Intercom's or the database's words: shown as text, whole on hover
      const message = el('div', error, 'last-error');
      message.title = error;
      cell.appendChild(message);
    }
    if (retryAt) {
      const retry = el('div', 'retry ' + relative(retryAt), 'retry-at');
      retry.title = new Date(retryAt).toLocaleString();
      cell.appendChild(retry);
    }
    return cell;
  }

  /** The push syncs (warehouse to Intercom), with their latest run; the section shows only when there are some. */
  function renderPush(status) {
    const syncs = status.push || {};
    const names = Object.keys(syncs).sort();
    document.getElementById('push-section').hidden = names.length === 0;
    const body = document.querySelector('#push tbody');
    clear(body);
    for (const name of names) {
      const sync = syncs[name];
      const last = (sync.recent_runs || [])[0] || null;
      const row = el('tr');
      row.dataset.sync = name;
      row.appendChild(el('td', name, 'name'));
      row.appendChild(el('td', sync.object + ' ' + sync.mode + ' by ' + sync.match, 'writes'));
      const state = sync.running ? 'running' : last ? last.state : 'idle';
      row.appendChild(stateCell(state, last && last.error, sync.retry_at));
      row.appendChild(timeCell(last && last.started_at));
      for (const count of ['rows', 'created', 'updated', 'unchanged', 'rejected']) {
        row.appendChild(el('td', last ? number(last[count]) : '', 'num ' + count));
      }
      const ms = last && last.ended_at ? Date.parse(last.ended_at) - Date.parse(last.started_at) : null;
      row.appendChild(el('td', duration(ms), 'num duration'));
      body.appendChild(row);
    }
  }

  function renderCollections(status) {
    const body = document.querySelector('#collections tbody');
    clear(body);
    const schedules = status.schedules || {};
    const collections = status.collections || {};
    for (const name of Object.keys(collections).sort()) {
      const c = collections[name];
      const schedule = schedules[name] || {};
      const row = el('tr');
      row.dataset.collection = name;
      row.appendChild(el('td', name, 'name'));
      row.appendChild(stateCell(c.state, c.lastError, schedule.retry_at));
      row.appendChild(timeCell(c.lastRunStartedAt));
      row.appendChild(el('td', c.lastRunStartedAt ? number(c.records) : '', 'num records'));
      const ms = c.lastRunStartedAt && c.lastRunEndedAt
        ? Date.parse(c.lastRunEndedAt) - Date.parse(c.lastRunStartedAt) : null;
      row.appendChild(el('td', duration(ms), 'num duration'));
      row.appendChild(timeCell(schedule.next_run_at));
      const late = el('td', schedule.late ? 'late by ' + duration(schedule.late_seconds * 1000) : 'on time',
        schedule.late ? 'late' : 'muted');
      if (schedule.cron) {
        late.title = 'cron ' + schedule.cron;
      }
      row.appendChild(late);
      body.appendChild(row);
    }
  }

  function renderCollectionChoice(status) {
    const select = document.getElementById('chart-collection');
    const have = new Set(Array.from(select.options).map(o => o.value));
    for (const name of Object.keys(status.collections || {}).sort()) {
      if (!have.has(name)) {
        const option = el('option', name);
        option.value = name;
        select.appendChild(option);
      }
    }
  }

  // Bars: records of each run (left scale). Points joined by a line: its duration (right scale). Oldest left.
  function renderRunsChart() {
    const chart = document.getElementById('runs-chart');
    clear(chart);
    const only = document.getElementById('chart-collection').value;
    const runs = lastRuns.filter(r => r.ended_at && (!only || r.collection === only))
      .slice(0, RUNS_IN_CHART).reverse();
    const width = 960, height = 260, left = 56, right = 56, top = 14, bottom = 28;
    chart.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    chart.dataset.runs = String(runs.length);
    const plotW = width - left - right, plotH = height - top - bottom;
    chart.appendChild(svg('line', {x1: left, y1: top + plotH, x2: left + plotW, y2: top + plotH, class: 'axis'}));
    chart.appendChild(svg('line', {x1: left, y1: top, x2: left, y2: top + plotH, class: 'axis'}));
    chart.appendChild(svg('line', {x1: left + plotW, y1: top, x2: left + plotW, y2: top + plotH, class: 'axis'}));
    if (runs.length === 0) {
      chart.appendChild(svg('text', {x: left + 10, y: top + plotH / 2, class: 'tick'}, 'no finished runs yet'));
      return;
    }
    const maxRecords = Math.max(1, ...runs.map(r => r.records || 0));
    const maxMs = Math.max(1, ...runs.map(r => r.duration_ms || 0));
    chart.appendChild(svg('text', {x: left - 6, y: top + 4, 'text-anchor': 'end', class: 'tick'},
      number(maxRecords)));
    chart.appendChild(svg('text', {x: left - 6, y: top + plotH, 'text-anchor': 'end', class: 'tick'}, '0'));
    chart.appendChild(svg('text', {x: left + plotW + 6, y: top + 4, class: 'tick'}, duration(maxMs)));
    chart.appendChild(svg('text', {x: left + plotW + 6, y: top + plotH, class: 'tick'}, '0 s'));
    chart.appendChild(svg('text', {x: left, y: height - 8, class: 'tick'}, 'records'));
    chart.appendChild(svg('text', {x: left + plotW, y: height - 8, 'text-anchor': 'end', class: 'tick'},
      'duration'));
    const slot = plotW / runs.length;
    const barW = Math.max(2, slot * 0.7);
    const points = [];
    runs.forEach((run, i) => {
      const x = left + i * slot + (slot - barW) / 2;
      const h = (run.records || 0) / maxRecords * plotH;
      const bar = svg('rect', {x: x.toFixed(1), y: (top + plotH - h).toFixed(1), width: barW.toFixed(1),
        height: Math.max(h, 0).toFixed(1), class: 'bar' + (run.state === 'failed' ? ' failed' : '')});
      bar.dataset.records = String(run.records || 0);
      bar.dataset.collection = run.collection;
      bar.appendChild(svg('title', {}, run.collection + ': ' + number(run.records) + ' records in '
        + duration(run.duration_ms) + ', ' + run.state + ', ' + new Date(run.started_at).toLocaleString()));
      chart.appendChild(bar);
      const cx = left + i * slot + slot / 2;
      const cy = top + plotH - (run.duration_ms || 0) / maxMs * plotH;
      points.push(cx.toFixed(1) + ',' + cy.toFixed(1));
      const point = svg('circle', {cx: cx.toFixed(1), cy: cy.toFixed(1), r: 3, class: 'point'});
      point.dataset.durationMs = String(run.duration_ms || 0);
      point.appendChild(svg('title', {}, run.collection + ': ' + duration(run.duration_ms)));
      chart.appendChild(point);
    });
    chart.insertBefore(svg('polyline', {points: points.join(' '), class: 'duration-line'}),
      chart.querySelector('circle'));
  }

  function renderWebhooks(status) {
    const webhooks = status.webhooks || {};
    const perMinute = webhooks.received_per_minute || [];
    const n = perMinute.length;
    document.getElementById('webhooks-last-minute').textContent = number(n > 1 ? perMinute[n - 2] : 0);
    document.getElementById('webhooks-this-minute').textContent = number(n > 0 ? perMinute[n - 1] : 0);
    document.getElementById('webhooks-backlog').textContent = number(webhooks.inbox_backlog || 0)
      + (webhooks.processing_held_for_burst ? ' (waits for the burst to pass)' : '');
    const chart = document.getElementById('webhooks-chart');
    clear(chart);
    chart.setAttribute('viewBox', '0 0 480 80');
    const max = Math.max(1, ...perMinute);
    const slot = 480 / Math.max(1, n);
    perMinute.forEach((count, i) => {
      const h = count / max * 66;
      const bar = svg('rect', {x: (i * slot + 2).toFixed(1), y: (72 - h).toFixed(1),
        width: Math.max(1, slot - 4).toFixed(1), height: h.toFixed(1), class: 'minute'});
      bar.dataset.count = String(count);
      bar.appendChild(svg('title', {}, (n - 1 - i) + ' min ago: ' + count));
      chart.appendChild(bar);
    });
    chart.appendChild(svg('line', {x1: 0, y1: 72.5, x2: 480, y2: 72.5, class: 'axis'}));
  }

  function renderBranches(status) {
    const body = document.querySelector('#branches tbody');
    clear(body);
    const destinations = status.destinations || {};
    for (const name of Object.keys(destinations)) {
      const b = destinations[name];
      if (!('sent' in b)) {
        continue; // the warehouse: written synchronously, no queue
      }
      const row = el('tr');
      row.dataset.branch = name;
      row.appendChild(el('td', name, 'name'));
      row.appendChild(el('td', b.enabled ? 'yes' : 'no'));
      row.appendChild(el('td', number(b.waiting), 'num queued'));
      const age = b.waiting ? duration((b.oldest_queued_age_seconds || 0) * 1000) : '';
      // fanout.yield-to-pulls: the branch delivers once the running pulls end
      row.appendChild(el('td', b.yielding_to_pulls ? (age + ' (waits for the pulls)').trim() : age, 'num'));
      row.appendChild(el('td', number(b.sent), 'num sent'));
      row.appendChild(el('td', number(b.failed), 'num'));
      row.appendChild(el('td', number(b.dead_letters_now), 'num dead-letters'));
      const cell = el('td');
      const button = el('button', 'Replay dead letters');
      button.type = 'button';
      button.disabled = !b.dead_letters_now;
      button.addEventListener('click', () => replay(name, button));
      cell.appendChild(button);
      row.appendChild(cell);
      body.appendChild(row);
    }
  }

  async function replay(branch, button) {
    const result = document.getElementById('replay-result');
    button.disabled = true;
    result.textContent = 'replaying ' + branch + '…';
    try {
      const answer = await api('/dead-letters/replay', {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({branch: branch})});
      result.textContent = branch + ': ' + number(answer.delivered) + ' delivered, ' + number(answer.still_failing)
        + ' still failing';
    } catch (e) {
      if (e instanceof Unauthorized) {
        sessionStorage.removeItem(TOKEN_KEY);
        showTokenPanel('The admin token was not accepted: enter one of HUB_ADMIN_TOKENS.', e.message);
        return;
      }
      result.textContent = branch + ': replay failed (' + e.message + ')';
    }
    refresh();
  }

  async function refresh() {
    clearTimeout(timer);
    try {
      const [status, runs] = await Promise.all([api('/sync/status'), api('/sync/runs?limit=200')]);
      lastRuns = runs.runs || [];
      document.getElementById('token-panel').hidden = true;
      document.getElementById('data').hidden = false;
      document.getElementById('error').hidden = true;
      renderCollections(status);
      renderPush(status);
      renderCollectionChoice(status);
      renderRunsChart();
      renderWebhooks(status);
      renderBranches(status);
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString()
        + ', every ' + REFRESH_MS / 1000 + ' s';
      document.body.dataset.state = 'loaded';
    } catch (e) {
      if (e instanceof Unauthorized) {
        const hadToken = token() !== null;
        sessionStorage.removeItem(TOKEN_KEY);
        showTokenPanel(hadToken ? 'The admin token was not accepted: enter one of HUB_ADMIN_TOKENS.'
          : 'This hub answers its status to admins only: enter one of its admin tokens (HUB_ADMIN_TOKENS). '
          + 'It is kept in this browser tab\'s session storage only.', e.message);
        return;
      }
      const error = document.getElementById('error');
      error.textContent = 'Could not reach the hub: ' + e.message + ' (trying again)';
      error.hidden = false;
      document.body.dataset.state = 'error';
    }
    // a refresh started by a replay may overlap the timer's: keep one timer
    clearTimeout(timer);
    timer = setTimeout(refresh, REFRESH_MS);
  }

  document.getElementById('token-form').addEventListener('submit', event => {
    event.preventDefault();
    const input = document.getElementById('token-input');
    const value = input.value.trim();
    input.value = '';
    if (value) {
      sessionStorage.setItem(TOKEN_KEY, value);
      refresh();
    }
  });
  document.getElementById('chart-collection').addEventListener('change', renderRunsChart);

  takeTokenFromFragment();
  refresh();
})();
