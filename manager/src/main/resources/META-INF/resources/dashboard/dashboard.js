// The Orchestr dashboard (docs/dashboard.md). Plain JavaScript on the manager's documented API: every page reads
// the REST endpoints once, then follows the server-sent events of /api/events/stream, which the manager reads once
// per tick for every open browser. Everything from the API is shown through textContent, never as HTML.
'use strict';

const ENDS_RUN = new Set(['fenced', 'stopped', 'completed', 'failed', 'deleted']);
const ACTIVE = new Set(['Queued', 'Processing', 'Pausing', 'Deleting']);
const HELD = new Set(['Processing', 'Pausing', 'Deleting']);
const ENDED = new Set(['Deleted', 'Completed', 'Failed']);
const STATUSES = ['Queued', 'Processing', 'Pausing', 'Paused', 'Deleting', 'Deleted', 'Completed', 'Failed'];

const state = {session: null, stream: null, lastEventId: null, page: null, overview: null, seq: 0};

// ---- DOM and API helpers ---------------------------------------------------------------------------------------

function h(tag, props, ...kids) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'style') el.setAttribute('style', value);
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

function show(...kids) {
  document.getElementById('main').replaceChildren(...kids.flat());
}

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(method, path, body, headers) {
  const init = {method, credentials: 'same-origin', headers: Object.assign({'Accept': 'application/json'}, headers)};
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  if (!response.ok) {
    let message = text || response.statusText;
    try { message = JSON.parse(text).error || message; } catch (e) { /* not JSON: the text is the message */ }
    // a call of a page signed in that the manager no longer takes: the token was removed, or the JWT expired
    if (response.status === 401 && state.session && !path.startsWith('/api/session')) {
      signInPage('Your session ended: sign in again.');
    }
    throw new ApiError(response.status, response.status + ': ' + message);
  }
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') && text ? JSON.parse(text) : text;
}

function status(s) { return h('span', {class: 'status ' + s, text: s}); }
function ago(at) {
  if (!at) return '—';
  const ms = Date.now() - Date.parse(at);
  if (ms < 1500) return 'just now';
  if (ms < 90000) return Math.round(ms / 1000) + ' s ago';
  if (ms < 5400000) return Math.round(ms / 60000) + ' min ago';
  return new Date(at).toLocaleString();
}
function time(at) { return at ? new Date(at).toLocaleTimeString([], {hour12: false}) + '.' +
    String(new Date(at).getMilliseconds()).padStart(3, '0') : '—'; }
function duration(ms) { return ms < 1000 ? Math.round(ms) + ' ms' : ms < 120000 ? (ms / 1000).toFixed(1) + ' s'
    : Math.round(ms / 60000) + ' min'; }
function can(role) { return state.session && state.session.roles.includes(role); }
function bar(done, total) {
  const pct = total > 0 ? Math.min(100, Math.round(100 * done / total)) : 0;
  return h('span', {class: 'bar', title: done + ' / ' + total}, h('span', {style: 'width:' + pct + '%'}));
}
function jobLink(id, name) { return h('a', {href: '#/jobs/' + id, text: name || id}); }
function serverLink(id, name) { return id ? h('a', {href: '#/servers/' + id, text: name || id}) : '—'; }
function note(text, cls) { return h('p', {class: cls || 'muted', text}); }

// ---- sign-in and the event stream ------------------------------------------------------------------------------

function signInPage(message) {
  closeStream();
  state.session = null;
  state.page = null;
  state.lastEventId = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  const input = h('input', {id: 'token', type: 'password', placeholder: 'API token', autocomplete: 'off'});
  const error = h('p', {id: 'signin-error', class: 'error', text: message || ''});
  const form = h('form', {class: 'signin', id: 'signin', onsubmit: async (event) => {
    event.preventDefault();
    try {
      state.session = await api('POST', '/api/session', undefined, {'Authorization': 'Bearer ' + input.value.trim()});
      signedIn();
    } catch (e) {
      error.textContent = e.status === 401 ? 'That token is not valid.' : e.message;
    }
  }}, h('h1', {text: 'Sign in to Orchestr'}),
  h('p', {class: 'muted', text: 'Paste an API token (deploy/start-local.sh keeps the local admin token in .run/).'}),
  input, h('button', {type: 'submit', id: 'signin-button', text: 'Sign in'}), error);
  state.seq++; // a page still loading shows nothing
  show(form);
  input.focus();
}

function signedIn() {
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = !state.session.auth;
  document.getElementById('who').textContent = state.session.auth
    ? state.session.name + ' (' + state.session.role + ')' : 'access control off';
  route();
}

function closeStream() {
  if (state.stream) state.stream.close();
  state.stream = null;
  setLive(false);
}

function setLive(on) {
  const live = document.getElementById('live');
  live.className = 'live ' + (on ? 'on' : 'off');
  live.textContent = on ? 'live' : 'offline';
}

/** Opens the stream for the page: its events go to the page's handlers; it watches the page's jobs. */
function openStream(page, after) {
  closeStream();
  const params = new URLSearchParams();
  const resume = state.lastEventId !== null ? state.lastEventId : after;
  if (resume !== null && resume !== undefined) params.set('after', resume);
  (page.watch || []).forEach(id => params.append('job', id));
  const stream = new EventSource('/api/events/stream?' + params);
  state.stream = stream;
  stream.onopen = () => setLive(true);
  stream.onerror = () => {
    if (state.stream !== stream) return;
    setLive(false);
    if (stream.readyState === EventSource.CLOSED) {
      // closed for good (a 401, or the manager refused): find out which, and sign in again if needed
      api('GET', '/api/session').then(() => setTimeout(() => state.page === page && openStream(page), 2000),
        () => {});
    }
  };
  stream.addEventListener('job-event', (e) => {
    state.lastEventId = Number(e.lastEventId);
    if (page.onEvent) page.onEvent(JSON.parse(e.data));
  });
  stream.addEventListener('overview', (e) => {
    state.overview = JSON.parse(e.data);
    if (page.onOverview) page.onOverview(state.overview);
  });
  stream.addEventListener('job', (e) => { if (page.onJob) page.onJob(JSON.parse(e.data)); });
  stream.addEventListener('reset', () => { state.lastEventId = null; route(); });
}

/** Calls fn at most once per interval, the last call winning. */
function throttled(fn, ms) {
  let timer = null;
  return () => {
    if (timer) return;
    timer = setTimeout(() => { timer = null; fn(); }, ms);
  };
}

// ---- pages -----------------------------------------------------------------------------------------------------

async function overviewPage() {
  const page = {};
  const [events, servers] = await Promise.all([api('GET', '/api/events?size=30'), api('GET', '/api/servers?size=200')]);
  const overview = await api('GET', '/api/overview');
  const counts = h('div', {class: 'cards', id: 'job-counts'});
  const pools = h('div', {id: 'pools'});
  const serverTable = h('div', {id: 'server-table'});
  const slotMap = h('div', {class: 'slotmap', id: 'slot-map'});
  const recent = h('tbody', {id: 'recent-events'});
  let serverViews = servers.items;
  const renderOverview = (o) => {
    counts.replaceChildren(...STATUSES.map(s => h('a', {class: 'card', href: '#/jobs?status=' + s,
      'data-status': s}, h('div', {class: 'n', text: o.jobs[s] || 0}), h('div', {class: 'l'}, s))));
    pools.replaceChildren(o.pools.length === 0 ? note('No jobs yet.') : h('table', {},
      h('tr', {}, h('th', {text: 'pool'}), STATUSES.map(s => h('th', {text: s}))),
      o.pools.map(p => h('tr', {}, h('td', {}, h('a', {href: '#/jobs?pool=' + encodeURIComponent(p.pool),
        text: p.pool})), STATUSES.map(s => h('td', {text: p.jobs[s] || 0}))))));
    serverTable.replaceChildren(o.servers.length === 0 ? note('No node is connected.') : h('table', {},
      h('tr', {}, ['server', 'status', 'pools', 'slots used', '', 'last snapshot'].map(t => h('th', {text: t}))),
      o.servers.map(s => h('tr', {'data-server': s.name}, h('td', {}, serverLink(s.id, s.name)),
        h('td', {}, status(s.status)), h('td', {text: s.pools.join(', ')}),
        h('td', {text: s.used + ' / ' + s.slots}), h('td', {}, bar(s.used, s.slots)),
        h('td', {text: ago(s.lastHeartbeatAt)})))));
  };
  const renderSlots = () => {
    const live = serverViews.filter(s => s.status !== 'Stopped' && !s.isDeleted);
    slotMap.replaceChildren(...(live.length === 0 ? [note('No node is connected.')] : live.map(s => {
      const byPool = new Map(s.pools.map(p => [p, []]));
      s.orchestratedJobs.forEach(j => {
        const pool = j.pool || s.pools[0] || '?';
        if (!byPool.has(pool)) byPool.set(pool, []);
        byPool.get(pool).push(j);
      });
      const free = Math.max(0, s.maxWorkersCount - s.orchestratedJobs.length);
      return h('div', {class: 'node'}, h('div', {class: 'who'}, serverLink(s.id, s.name), ' ', status(s.status)),
        h('div', {class: 'cells'}, [...byPool.entries()].map(([pool, jobs]) => h('span', {class: 'pool'},
          h('span', {class: 'pool-name', text: pool}), jobs.map(j => h('a', {class: 'slot ' + j.status,
            href: '#/jobs/' + j.id, title: pool + ': ' + j.name + ' (' + j.status + ')'})))),
        h('span', {class: 'pool'}, h('span', {class: 'pool-name', text: 'free'}),
          Array.from({length: free}, () => h('span', {class: 'slot', title: 'free slot'})))),
        h('span', {class: 'muted', text: s.orchestratedJobs.length + ' / ' + s.maxWorkersCount}));
    })));
  };
  const refreshSlots = throttled(async () => {
    serverViews = (await api('GET', '/api/servers?size=200')).items;
    renderSlots();
  }, 1000);
  const eventRow = (e) => h('tr', {}, h('td', {text: time(e.event.at)}), h('td', {}, jobLink(e.jobId, e.jobName)),
    h('td', {text: e.event.kind}), h('td', {}, serverLink(e.event.serverId, e.event.serverName)),
    h('td', {class: 'muted', text: e.event.detail || ''}));
  recent.replaceChildren(...events.map(eventRow));
  renderOverview(overview);
  renderSlots();
  page.onOverview = (o) => { renderOverview(o); refreshSlots(); };
  page.onEvent = (e) => {
    recent.prepend(eventRow(e));
    while (recent.children.length > 30) recent.lastChild.remove();
    refreshSlots();
  };
  page.view = [h('h1', {text: 'Overview'}), h('h2', {text: 'Jobs by status'}), counts, h('h2', {text: 'Jobs by pool'}), pools,
    h('h2', {text: 'Servers'}), serverTable, h('h2', {text: 'Slot map (node × pool × slot)'}), slotMap,
    h('h2', {text: 'Recent events'}), h('table', {}, h('thead', {}, h('tr', {},
      ['at', 'job', 'event', 'node', 'detail'].map(t => h('th', {text: t})))), recent)];
  page.after = events.length ? events[0].id : null;
  return page;
}

async function jobsPage(query) {
  const page = {};
  const filters = ['status', 'name', 'pool', 'serverId', 'group'];
  const form = h('form', {class: 'filters', id: 'job-filters', onsubmit: (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    filters.forEach(f => { const v = form.elements[f].value.trim(); if (v) params.set(f, v); });
    location.hash = '#/jobs' + (params.toString() ? '?' + params : '');
  }},
  h('label', {}, 'status', h('select', {name: 'status'}, h('option', {value: '', text: 'any'}),
    STATUSES.map(s => h('option', {value: s, text: s, selected: query.get('status') === s})))),
  filters.slice(1).map(f => h('label', {}, f, h('input', {name: f, value: query.get(f) || '',
    placeholder: f === 'name' ? 'name, or prefix*' : ''}))),
  h('button', {type: 'submit', text: 'Filter'}));
  const body = h('tbody', {id: 'job-rows'});
  const pager = h('div', {class: 'pager'});
  const size = 50;
  const pageNumber = Number(query.get('page') || 0);
  let shown = new Set();
  const load = async () => {
    const params = new URLSearchParams(query);
    params.set('size', size);
    params.set('page', pageNumber);
    const result = await api('GET', '/api/jobs?' + params);
    shown = new Set(result.items.map(j => j.id));
    body.replaceChildren(...result.items.map(j => h('tr', {'data-job': j.name}, h('td', {}, jobLink(j.id, j.name)),
      h('td', {text: j.type || 'default'}), h('td', {text: j.pool}), h('td', {}, status(j.status)),
      h('td', {}, serverLink(j.serverId, j.serverName)), h('td', {text: j.restarts}),
      h('td', {}, j.progress ? bar(j.progress.done, j.progress.total) : ''),
      h('td', {class: 'muted', text: j.reason || ''}))));
    if (result.items.length === 0) body.replaceChildren(h('tr', {}, h('td', {colspan: 8, text: 'No job matches.'})));
    const last = Math.max(0, Math.ceil(result.total / size) - 1);
    const to = (n) => { const p = new URLSearchParams(query); p.set('page', n); return '#/jobs?' + p; };
    pager.replaceChildren(pageNumber > 0 ? h('a', {href: to(pageNumber - 1), text: '‹ newer'}) : '',
      h('span', {text: 'page ' + (pageNumber + 1) + ' of ' + (last + 1) + ' · ' + result.total + ' jobs'}),
      pageNumber < last ? h('a', {href: to(pageNumber + 1), text: 'older ›'}) : '');
  };
  await load();
  const reload = throttled(() => load().catch(() => {}), 1000);
  page.onEvent = (e) => { if (shown.has(e.jobId) || e.event.kind === 'created') reload(); };
  page.view = [h('h1', {text: 'Jobs'}), form, pager, h('table', {}, h('thead', {}, h('tr', {},
    ['name', 'type', 'pool', 'status', 'server', 'restarts', 'progress', 'why'].map(t => h('th', {text: t})))), body)];
  return page;
}

/** The runs of a job from its history: who held each epoch, from its grant to its end, and the overlaps. */
function runsOf(events) {
  const runs = [];
  let maxOwners = 0;
  for (const e of events) {
    if (e.kind === 'granted') {
      const open = runs.filter(r => !r.to);
      const run = {server: e.serverName || e.serverId, serverId: e.serverId, epoch: e.epoch, from: Date.parse(e.at)};
      runs.push(run);
      maxOwners = Math.max(maxOwners, open.length + 1);
    } else if (e.kind === 'started') {
      const run = runs.find(r => !r.to && r.epoch === e.epoch);
      if (run) run.started = Date.parse(e.at);
    } else if (ENDS_RUN.has(e.kind)) {
      runs.filter(r => !r.to && (e.epoch === undefined || e.epoch === null || r.epoch === e.epoch)).forEach(r => {
        r.to = Date.parse(e.at);
        r.how = e.kind + (e.detail ? ': ' + e.detail : '');
      });
    }
  }
  return {runs, maxOwners};
}

function timeline(events) {
  const {runs, maxOwners} = runsOf(events);
  if (runs.length === 0) return note('Not granted to any node yet.');
  const start = runs[0].from;
  const end = Math.max(Date.now(), ...runs.map(r => r.to || 0));
  const span = Math.max(1, end - start);
  const pct = (t) => (100 * (t - start) / span).toFixed(3) + '%';
  const lanes = [...new Set(runs.map(r => r.server))];
  const gaps = [];
  for (let i = 1; i < runs.length; i++) {
    if (runs[i - 1].to && runs[i].from >= runs[i - 1].to) {
      gaps.push({from: runs[i - 1].to, to: runs[i].from, why: runs[i - 1].how, next: runs[i]});
    }
  }
  const badge = maxOwners <= 1
    ? h('span', {class: 'badge ok', id: 'overlap-badge', text: 'never two runs at once'})
    : h('span', {class: 'badge bad', id: 'overlap-badge', text: maxOwners + ' runs overlapped'});
  return h('div', {class: 'timeline', id: 'ownership-timeline'},
    h('p', {}, badge, ' ', h('span', {class: 'muted', text: runs.length + ' runs from ' + time(start)})),
    lanes.map(lane => h('div', {class: 'lane'}, h('div', {class: 'who', text: lane}),
      h('div', {class: 'track'},
        gaps.map(g => h('div', {class: 'gap', style: 'left:' + pct(g.from) + ';width:calc(' + pct(g.to) + ' - '
          + pct(g.from) + ')', title: 'no run for ' + duration(g.to - g.from)})),
        runs.filter(r => r.server === lane).map(r => h('div', {class: 'run' + (r.to ? '' : ' open'),
          style: 'left:' + pct(r.from) + ';width:calc(' + pct(r.to || end) + ' - ' + pct(r.from) + ')',
          title: 'epoch ' + r.epoch + ' on ' + lane + ' from ' + time(r.from) + (r.started ? ', running after '
            + duration(r.started - r.from) : '') + (r.to ? ' to ' + time(r.to) + ' (' + r.how + ')' : ', still on'),
          text: 'e' + r.epoch}))))),
    gaps.length === 0 ? '' : h('ul', {class: 'gaps'}, gaps.map(g => h('li', {text: 'epoch ' + g.next.epoch
      + ' on ' + g.next.server + ' granted ' + duration(g.to - g.from) + ' after the run before ended ('
      + (g.why || 'ended') + ')'}))));
}

function jobActions(job, onDone) {
  if (!can('operator')) return null;
  const act = (label, method, path, body, cli, danger) => h('button', {type: 'button', class: danger ? 'danger' : '',
    'data-action': label, title: cli, onclick: async (event) => {
      event.target.disabled = true;
      const at = Date.now();
      try {
        onDone(label, at, await api(method, '/api/jobs/' + job.id + path, body), cli);
      } catch (e) {
        onDone(label, at, null, cli, e.message);
      }
    }}, label);
  const s = job.status;
  const buttons = [];
  if (s === 'Processing' || s === 'Queued') buttons.push(act('pause', 'POST', '/pause', undefined, 'orchestr jobs pause ' + job.id));
  if (s === 'Paused' || s === 'Pausing') buttons.push(act('resume', 'POST', '/resume', undefined, 'orchestr jobs resume ' + job.id));
  if (ACTIVE.has(s) && s !== 'Deleting') buttons.push(act('restart', 'POST', '/restart', undefined, 'orchestr jobs restart ' + job.id));
  if (s === 'Processing') buttons.push(act('move', 'POST', '/move', {}, 'orchestr jobs move ' + job.id));
  if (ENDED.has(s)) buttons.push(act('rerun', 'POST', '/rerun', undefined, 'orchestr jobs rerun ' + job.id));
  if (!ENDED.has(s) && s !== 'Deleting') buttons.push(act('cancel', 'DELETE', '', undefined, 'orchestr jobs cancel ' + job.id, true));
  return h('div', {class: 'actions', id: 'job-actions'}, buttons);
}

async function jobPage(id) {
  const page = {watch: [id]};
  let job = await api('GET', '/api/jobs/' + id);
  let events = (await api('GET', '/api/jobs/' + id + '/events?size=1000')).items;
  const head = h('div', {id: 'job-head'});
  const facts = h('dl', {class: 'grid', id: 'job-facts'});
  const lines = h('div', {id: 'job-timeline'});
  const history = h('tbody', {id: 'job-events'});
  const output = h('pre', {id: 'job-output', text: '…'});
  const asked = h('div', {id: 'job-asked'});
  const requests = [];
  const renderRequests = () => asked.replaceChildren(...requests.map(r => h('div', {class: 'reason'},
    h('b', {text: r.label + ' '}), h('span', {class: 'cli', text: r.cli}),
    h('ul', {class: 'steps'}, h('li', {text: 'requested at ' + time(r.at) + (r.error ? ': ' + r.error
      : ', the manager answered ' + r.answer)}),
    events.filter(e => Date.parse(e.at) >= r.at - 1000 && e.kind !== 'checkpoint').map(e => h('li', {
      'data-step': e.kind, text: e.kind + (e.serverName ? ' on ' + e.serverName : '') + (e.epoch ? ' (epoch '
        + e.epoch + ')' : '') + ' at ' + time(e.at) + (e.detail ? ': ' + e.detail : '')}))))));
  const onDone = (label, at, view, cli, error) => {
    requests.unshift({label, cli, at, answer: view ? view.status : null, error});
    if (view) job = view;
    render();
  };
  // the buttons are made again only when the status changes, not at every heartbeat, so a click never lands on
  // a button that is being replaced
  let actions = null;
  let actionsFor = null;
  const render = () => {
    const epoch = [...events].reverse().find(e => e.kind === 'granted');
    if (actionsFor !== job.status) {
      actions = jobActions(job, onDone) || '';
      actionsFor = job.status;
    }
    head.replaceChildren(h('h1', {}, job.name + ' ', status(job.status)),
      job.reason ? h('div', {class: 'reason', id: 'job-reason'}, h('b', {text: 'Why is it not running? '}),
        job.reason) : '',
      actions);
    facts.replaceChildren(...[
      ['id', job.id], ['type', job.type || 'default'], ['pool', job.pool],
      ['node', serverLink(job.serverId, job.serverName)], ['epoch', epoch ? epoch.epoch : '—'],
      ['started', job.startedAt ? time(job.startedAt) + ' (' + ago(job.startedAt) + ')' : '—'],
      ['last heartbeat', ago(job.lastHeartbeatAt)], ['restarts', job.restarts],
      ['progress', job.progress ? h('span', {id: 'job-progress'}, bar(job.progress.done, job.progress.total), ' ',
        job.progress.done + ' / ' + job.progress.total + (job.progress.message ? ' · ' + job.progress.message : ''))
        : '—'],
      ['argument', job.argument ? h('span', {class: 'mono', text: job.argument}) : '—'],
      ['params', job.params ? h('pre', {text: JSON.stringify(job.params, null, 2)}) : '—'],
      ['checkpoint', job.checkpoint ? h('pre', {id: 'job-checkpoint', text: JSON.stringify(job.checkpoint, null, 2)
        + '\n(at ' + time(job.checkpointAt) + ')'}) : '—'],
      ['result', job.result ? h('pre', {text: JSON.stringify(job.result, null, 2)}) : '—'],
      ['last error', job.lastError ? h('pre', {text: job.lastError}) : '—'],
      ['group', job.group ? h('a', {href: '#/jobs?group=' + encodeURIComponent(job.group), text: job.group}) : '—'],
      ['parent', job.parentId ? jobLink(job.parentId) : '—'],
    ].flatMap(([k, v]) => [h('dt', {text: k}), h('dd', {}, v)]));
    lines.replaceChildren(timeline(events));
    history.replaceChildren(...events.slice().reverse().map(e => h('tr', {}, h('td', {text: time(e.at)}),
      h('td', {text: e.kind}), h('td', {}, serverLink(e.serverId, e.serverName)), h('td', {text: e.epoch || ''}),
      h('td', {class: 'muted', text: e.actor || ''}), h('td', {text: e.detail || ''}))));
    renderRequests();
  };
  const loadOutput = throttled(async () => {
    try {
      output.textContent = await api('GET', '/api/jobs/' + id + '/output?tail=8192', undefined, {'Accept': '*/*'}) || '(no output yet)';
    } catch (e) {
      output.textContent = e.status === 404 ? '(no output: the job never ran)' : '(' + e.message + ')';
    }
  }, 3000);
  const reloadEvents = throttled(async () => {
    events = (await api('GET', '/api/jobs/' + id + '/events?size=1000')).items;
    render();
  }, 300);
  render();
  loadOutput();
  page.onJob = (view) => {
    if (view.id !== id) return;
    job = view;
    render();
    if (HELD.has(view.status)) loadOutput();
  };
  page.onEvent = (e) => { if (e.jobId === id) reloadEvents(); };
  page.view = [head, facts, h('h2', {text: 'Ownership timeline'}), lines, asked, h('h2', {text: 'Output (last 8 KiB)'}),
    output, h('h2', {text: 'History'}), h('table', {}, h('thead', {}, h('tr', {},
      ['at', 'event', 'node', 'epoch', 'actor', 'detail'].map(t => h('th', {text: t})))), history)];
  return page;
}

async function serversPage() {
  const page = {};
  const body = h('tbody', {id: 'server-rows'});
  const load = async () => {
    const servers = (await api('GET', '/api/servers?size=200')).items.filter(s => s.status !== 'Stopped');
    body.replaceChildren(...servers.map(s => h('tr', {'data-server': s.name}, h('td', {}, serverLink(s.id, s.name)),
      h('td', {}, status(s.status)), h('td', {text: s.pools.join(', ')}),
      h('td', {}, bar(s.orchestratedJobs.length, s.maxWorkersCount), ' ', s.orchestratedJobs.length + ' / '
        + s.maxWorkersCount), h('td', {text: ago(s.lastHeartbeatAt)}), h('td', {}, serverActions(s, load)))));
    if (servers.length === 0) body.replaceChildren(h('tr', {}, h('td', {colspan: 6, text: 'No node is connected.'})));
  };
  await load();
  page.onOverview = throttled(() => load().catch(() => {}), 1000);
  page.view = [h('h1', {text: 'Servers'}), h('table', {}, h('thead', {}, h('tr', {},
    ['server', 'status', 'pools', 'slots used', 'last snapshot', ''].map(t => h('th', {text: t})))), body)];
  return page;
}

function serverActions(server, after) {
  if (!can('admin') || server.status === 'Lost') return '';
  const draining = server.status === 'Draining' || server.status === 'Drained';
  const action = draining ? 'undrain' : 'drain';
  return h('button', {type: 'button', 'data-action': action, title: 'orchestr servers ' + action + ' ' + server.id,
    onclick: async (event) => {
      event.target.disabled = true;
      try {
        await api('POST', '/api/servers/' + server.id + '/' + action);
      } finally {
        after();
      }
    }}, action);
}

async function serverPage(id) {
  const page = {};
  let server = await api('GET', '/api/servers/' + id);
  // the jobs the node held when the page opened or the drain began, and what became of each
  const tracked = new Map();
  const track = (jobs) => jobs.forEach(j => { if (!tracked.has(j.id)) tracked.set(j.id, {job: j, steps: []}); });
  track(server.orchestratedJobs);
  const head = h('div', {id: 'server-head'});
  const rows = h('tbody', {id: 'server-jobs'});
  let actions = null;
  let actionsFor = null;
  const render = () => {
    const draining = server.status === 'Draining' || server.status === 'Drained';
    const held = server.orchestratedJobs.length;
    if (actionsFor !== server.status) {
      actions = h('div', {class: 'actions'}, serverActions(server, refresh));
      actionsFor = server.status;
    }
    head.replaceChildren(h('h1', {}, server.name + ' ', status(server.status)),
      h('p', {class: 'muted', text: 'incarnation ' + server.id + ' · pools ' + server.pools.join(', ')
        + (server.types ? ' · runs types ' + server.types.join(', ') : '') + ' · '
        + held + ' / ' + server.maxWorkersCount + ' slots used · last snapshot ' + ago(server.lastHeartbeatAt)}),
      draining ? h('div', {class: 'reason', id: 'drain-progress'}, held === 0 && server.status === 'Drained'
        ? h('b', {text: 'Drained: the node holds no job.'})
        : h('b', {text: 'Draining: ' + held + ' jobs still on the node.'})) : '',
      actions);
    rows.replaceChildren(...[...tracked.values()].map(t => {
      const onNode = server.orchestratedJobs.some(j => j.id === t.job.id);
      return h('tr', {'data-job': t.job.name}, h('td', {}, jobLink(t.job.id, t.job.name)), h('td', {text: t.job.pool || ''}),
        h('td', {text: onNode ? 'on this node' : 'left this node'}),
        h('td', {}, h('ul', {class: 'steps'}, t.steps.map(s => h('li', {text: s})))));
    }));
  };
  const refresh = throttled(async () => {
    server = await api('GET', '/api/servers/' + id);
    track(server.orchestratedJobs);
    render();
  }, 500);
  page.onOverview = refresh;
  page.onEvent = (e) => {
    const t = tracked.get(e.jobId);
    if (!t) return;
    const ev = e.event;
    const here = ev.serverId === id;
    if (ENDS_RUN.has(ev.kind) && here) {
      t.stoppedAt = Date.parse(ev.at);
      t.steps.push('handed back at ' + time(ev.at) + (ev.detail ? ' (' + ev.detail + ')' : ''));
    } else if (ev.kind === 'granted' && !here) {
      t.steps.push('claimed by ' + (ev.serverName || ev.serverId) + ' (epoch ' + ev.epoch + ')'
        + (t.stoppedAt ? ' ' + duration(Date.parse(ev.at) - t.stoppedAt) + ' after' : ''));
    } else if (ev.kind === 'started' && !here) {
      t.steps.push('running on ' + (ev.serverName || ev.serverId) + ' at ' + time(ev.at));
    } else {
      return;
    }
    refresh();
  };
  render();
  page.view = [head, h('h2', {text: 'Its jobs'}), h('table', {}, h('thead', {}, h('tr', {},
    ['job', 'pool', 'where', 'since the page opened'].map(t => h('th', {text: t})))), rows)];
  return page;
}

// ---- routing ---------------------------------------------------------------------------------------------------

async function route() {
  if (!state.session) return;
  const [path, search] = (location.hash.slice(1) || '/').split('?');
  const query = new URLSearchParams(search || '');
  const parts = path.split('/').filter(Boolean);
  const name = parts[0] || 'overview';
  document.querySelectorAll('#nav a').forEach(a => a.classList.toggle('current', a.dataset.page === name));
  const seq = ++state.seq;
  try {
    let page;
    if (name === 'jobs' && parts[1]) page = await jobPage(parts[1]);
    else if (name === 'jobs') page = await jobsPage(query);
    else if (name === 'servers' && parts[1]) page = await serverPage(parts[1]);
    else if (name === 'servers') page = await serversPage();
    else page = await overviewPage();
    // signed out, or gone to another page, while this one loaded: the later one shows
    if (!state.session || seq !== state.seq) return;
    state.page = page;
    show(page.view);
    openStream(page, page.after);
  } catch (e) {
    if (e.status !== 401) show(h('h1', {text: 'Could not load this page'}), note(e.message, 'error'));
  }
}

window.addEventListener('hashchange', route);
document.getElementById('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/api/session').catch(() => {});
  signInPage('Signed out.');
});
api('GET', '/api/session').then((session) => { state.session = session; signedIn(); }, () => signInPage());
