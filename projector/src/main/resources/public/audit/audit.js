// The audit page: a session's timeline from the Management API's history and the session as of an instant from the
// Integration API's as-of read. Data is only ever written with textContent, never parsed as HTML. Keys live in this
// tab's sessionStorage; a deep link may carry them in the fragment (never sent to a server), from which they are
// removed as soon as they are stored.
'use strict';

const KEY_STORAGE = {management: 'customer-sessions.audit.management-key',
                     integration: 'customer-sessions.audit.integration-key'};
const KEY_LABEL = {management: 'Management', integration: 'Integration'};
const DEFAULT_SCHEME = {management: 'ManagementKey-v1', integration: 'ApiKey-v1'};
const HISTORY_PAGE_SIZE = 1000;

/** The loaded session: {app, session, events}; null before a timeline loaded. */
let loaded = null;
/** Each load gets a number, so that an answer that arrives after a newer request was made is dropped. */
const latest = {timeline: 0, asOf: 0, search: 0};

const byId = id => document.getElementById(id);

/** An element with text (set as text, so data can never become markup). */
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

function show(id, message) {
  const node = byId(id);
  node.textContent = message;
  node.hidden = false;
}

function hide(id) {
  byId(id).hidden = true;
}

// ---- keys ----------------------------------------------------------------------------------------------------------

/** "ApiKey-v1 …" is an Integration key; "ManagementKey-v1 …", "Bearer …" or a bare key a Management key. */
function kindOf(key) {
  return /^apikey-v1\s/i.test(key.trim()) ? 'integration' : 'management';
}

/** The Authorization header value: a key typed without its scheme gets the scheme of its field. */
function headerValue(kind, key) {
  const trimmed = key.trim();
  return trimmed === '' || /\s/.test(trimmed) ? trimmed : DEFAULT_SCHEME[kind] + ' ' + trimmed;
}

function storeKey(kind, key) {
  const value = headerValue(kind, key);
  if (value) {
    sessionStorage.setItem(KEY_STORAGE[kind], value);
  } else {
    sessionStorage.removeItem(KEY_STORAGE[kind]);
  }
}

function keyOf(kind) {
  return sessionStorage.getItem(KEY_STORAGE[kind]) || '';
}

function fillKeyFields() {
  byId('management-key').value = keyOf('management');
  byId('integration-key').value = keyOf('integration');
}

// ---- HTTP ----------------------------------------------------------------------------------------------------------

class AuditError extends Error {
}

/** GET a JSON answer with the key of `kind`; any failure becomes an AuditError with a message for people. */
async function getJson(path, kind, subject) {
  const key = keyOf(kind);
  if (!key) {
    throw new AuditError(`Enter a ${KEY_LABEL[kind]} key first (Keys, above).`);
  }
  let response;
  try {
    response = await fetch(path, {headers: {'Authorization': key, 'Accept': 'application/json'},
                                  cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer'});
  } catch (e) {
    throw new AuditError(`Could not reach the projector (${e.message}).`);
  }
  if (response.ok) {
    return response.json();
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    // not Talon.One's error shape: the status alone describes it
  }
  throw new AuditError(failure(response.status, body, response.headers.get('Retry-After'), kind, subject));
}

function failure(status, body, retryAfter, kind, subject) {
  const said = body && typeof body.message === 'string' ? body.message : '';
  const details = body && Array.isArray(body.errors)
      ? body.errors.map(e => e && e.details).filter(Boolean).join('; ') : '';
  switch (status) {
    case 401:
      return `401 Unauthorized: the ${KEY_LABEL[kind]} key was refused${said ? ` (${said})` : ''}. `
          + `Check the ${KEY_LABEL[kind]} key above (“${DEFAULT_SCHEME[kind]} <key>”).`;
    case 404:
      return `404 Not found: ${subject}${said ? ` (${said})` : ''}.`;
    case 503:
      return '503 Service unavailable: the projector\'s stores are not ready (starting, restoring or rebalancing); '
          + `try again${retryAfter ? ` in ${retryAfter} s` : ' shortly'}.`;
    case 400:
      return `400 Bad request: ${said || 'the request was refused'}${details ? ` (${details})` : ''}.`;
    default:
      return `${status} Unexpected answer${said ? `: ${said}` : ''}.`;
  }
}

function sessionPath(app, session) {
  return `/v1/applications/${encodeURIComponent(app)}/customer_sessions/${encodeURIComponent(session)}/events`;
}

// ---- times ---------------------------------------------------------------------------------------------------------

/** A datetime-local value read as UTC ("2026-11-01T10:00" or with seconds and milliseconds) → ISO instant, or null. */
function instantOfInput(value) {
  const date = new Date(value + 'Z');
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Any ISO-8601 instant → the datetime-local value of it in UTC, or "" when it is not one. */
function inputOfInstant(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 23);
}

/**
 * A deep link's ISO-8601 date-time → ISO instant, or null when it is not one. Without an offset it is read as UTC, as
 * the typed input is: the browser's Date would read it in its own time zone, and one link would show another moment
 * to each auditor.
 */
function instantOfLink(text) {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!iso) {
    return null;
  }
  const date = new Date(iso[3] ? text : text + 'Z');
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function displayTime(iso) {
  return typeof iso === 'string' ? iso.replace('T', ' ').replace(/Z$/, '') : '';
}

// ---- the fragment (deep links) -------------------------------------------------------------------------------------

/** Writes the view into the fragment, without keys and without a new history entry or hashchange event. */
function setFragment(params) {
  const fragment = new URLSearchParams();
  Object.entries(params).forEach(([name, value]) => {
    if (value !== undefined && value !== null && value !== '') {
      fragment.set(name, value);
    }
  });
  history.replaceState(null, '', location.pathname + location.search + '#' + fragment.toString());
}

/** #app=1&session=s-1[&asOf=<ISO instant> | &updateCount=<n>][&key=<header value>]… */
async function openFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const keys = params.getAll('key');
  if (keys.length > 0) {
    keys.forEach(key => storeKey(kindOf(key), key));
    params.delete('key');
    history.replaceState(null, '', location.pathname + location.search
        + (params.toString() ? '#' + params.toString() : ''));
  }
  fillKeyFields();
  const app = params.get('app');
  const session = params.get('session');
  if (app !== null) {
    byId('app').value = app;
  }
  if (session !== null) {
    byId('session').value = session;
  }
  if (!app || !session) {
    return;
  }
  await showTimeline(app, session);
  const updateCount = params.get('updateCount');
  const asOf = params.get('asOf');
  if (updateCount) {
    await showAsOf({updateCount});
  } else if (asOf) {
    const instant = instantOfLink(asOf);
    if (instant === null) {
      show('asof-error', `“${asOf}” is not an instant: use ISO-8601, e.g. 2026-11-01T10:00:00Z.`);
      return;
    }
    byId('asof-input').value = inputOfInstant(instant);
    await showAsOf({instant});
  }
}

// ---- timeline ------------------------------------------------------------------------------------------------------

async function showTimeline(app, session) {
  const request = ++latest.timeline;
  hide('timeline-error');
  byId('timeline-title').textContent = `Timeline of ${session} (application ${app})`;
  byId('timeline-status').textContent = 'Loading…';
  let events;
  try {
    if (!/^[0-9]+$/.test(app)) {
      throw new AuditError(`“${app}” is not an application id (a number).`);
    }
    events = await allEvents(app, session);
  } catch (e) {
    if (request === latest.timeline) {
      loaded = null;
      byId('timeline-table').hidden = true;
      byId('timeline-status').textContent = '';
      show('timeline-error', e instanceof AuditError ? e.message : `Unexpected failure: ${e}`);
    }
    return;
  }
  if (request !== latest.timeline) {
    return;
  }
  loaded = {app, session, events};
  const rows = byId('timeline-rows');
  rows.replaceChildren(...events.map(eventRow));
  byId('timeline-table').hidden = false;
  byId('timeline-status').textContent =
      `${events.length} event${events.length === 1 ? '' : 's'}, oldest first. Click one to see the session right after it.`;
}

/** Every page of the session's history. */
async function allEvents(app, session) {
  const events = [];
  for (let skip = 0; ; skip += HISTORY_PAGE_SIZE) {
    const page = await getJson(`${sessionPath(app, session)}?pageSize=${HISTORY_PAGE_SIZE}&skip=${skip}`,
        'management', `no session “${session}” in application ${app}, or the Management key may not read it`);
    events.push(...page.data);
    if (!page.hasMore) {
      return events;
    }
  }
}

function eventRow(entry, index) {
  const after = entry.stateAfter || {};
  const row = el('tr', undefined, 'event');
  row.dataset.updateCount = String(after.updateCount);
  row.tabIndex = 0;
  row.append(
      el('td', index + 1, 'number'),
      el('td', entry.type, 'type'),
      el('td', displayTime(entry.created), 'time'),
      el('td', `${entry.partition}/${entry.offset}`, 'position'),
      el('td', entry.commandId, 'command'),
      changesCell(entry.changes),
      el('td', after.updateCount, 'number update-count'),
      el('td', after.state, 'state'),
      el('td', after.cartItemTotal, 'money'),
      el('td', after.additionalCostTotal, 'money'),
      el('td', after.total, 'money total'));
  row.addEventListener('click', () => pickEvent(entry));
  row.addEventListener('keydown', event => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pickEvent(entry);
    }
  });
  return row;
}

function changesCell(changes) {
  const cell = el('td', undefined, 'changes');
  const entries = Object.entries(changes || {});
  if (entries.length === 0) {
    cell.textContent = '—';
    return cell;
  }
  const list = el('ul');
  entries.forEach(([field, value]) => {
    const item = el('li');
    item.append(el('span', field, 'field'), document.createTextNode(' ' + describe(value)));
    list.append(item);
  });
  cell.append(list);
  return cell;
}

/** A compact text for a changed value: cart lines as "sku ×quantity @ price", objects as "name: value, …". */
function describe(value) {
  if (value === null || value === undefined) {
    return '∅';
  }
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map(describe).join('; ');
  }
  if (typeof value === 'object') {
    if (typeof value.sku === 'string') {
      return `${value.sku} ×${value.quantity}${value.price !== undefined ? ` @ ${value.price}` : ''}`;
    }
    const fields = Object.entries(value);
    return fields.length === 0 ? '{}' : fields.map(([name, inner]) => `${name}: ${describe(inner)}`).join(', ');
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function pickEvent(entry) {
  byId('asof-input').value = inputOfInstant(entry.created);
  showAsOf({updateCount: String(entry.stateAfter.updateCount)});
}

// ---- as of ---------------------------------------------------------------------------------------------------------

/** point: {instant: ISO} or {updateCount: "n"}. */
async function showAsOf(point) {
  const request = ++latest.asOf;
  hide('asof-error');
  const app = loaded ? loaded.app : byId('app').value.trim();
  const session = loaded ? loaded.session : byId('session').value.trim();
  if (!app || !session) {
    show('asof-error', 'Choose a session first.');
    return;
  }
  const what = point.updateCount ? `right after update ${point.updateCount}` : `as of ${displayTime(point.instant)} UTC`;
  setFragment({app, session, asOf: point.instant, updateCount: point.updateCount});
  byId('asof-title').textContent = `State ${what}`;
  if (!keyOf('integration')) {
    showSummary(point, what);
    return;
  }
  byId('asof-status').textContent = 'Loading…';
  const query = point.updateCount
      ? `asOfUpdateCount=${encodeURIComponent(point.updateCount)}` : `asOf=${encodeURIComponent(point.instant)}`;
  let body;
  try {
    body = await getJson(`/v2/customer_sessions/${encodeURIComponent(session)}?${query}`, 'integration',
        `session “${session}” did not exist yet ${what}, or it is not a session of the Integration key's application`);
    const state = body.customerSession;
    if (String(state.applicationId) !== String(app)) {
      throw new AuditError(`The Integration key acts for application ${state.applicationId}, not ${app}: `
          + 'enter a key of this application.');
    }
  } catch (e) {
    if (request === latest.asOf) {
      byId('asof-state').hidden = true;
      byId('asof-status').textContent = '';
      show('asof-error', e instanceof AuditError ? e.message : `Unexpected failure: ${e}`);
      markSelected(null);
    }
    return;
  }
  if (request !== latest.asOf) {
    return;
  }
  renderState(body.customerSession);
  byId('asof-status').textContent = `${session} ${what}, folded from its history by the projector.`;
  markSelected(body.customerSession.updateCount);
}

/** Without an Integration key: the timeline's own summary of the state after the matching event. */
function showSummary(point, what) {
  const events = loaded ? loaded.events : [];
  const at = point.instant ? Date.parse(point.instant) : null;
  const matching = events.filter(entry => point.updateCount
      ? String(entry.stateAfter.updateCount) === String(point.updateCount)
      : Date.parse(entry.created) <= at);
  const entry = matching[matching.length - 1];
  byId('asof-state').hidden = true;
  if (!entry) {
    byId('asof-status').textContent = '';
    show('asof-error', `The session did not exist yet ${what}.`);
    markSelected(null);
    return;
  }
  const fields = byId('asof-fields');
  fields.replaceChildren();
  const after = entry.stateAfter;
  addField(fields, 'updateCount', after.updateCount);
  addField(fields, 'state', after.state);
  addField(fields, 'cartItemTotal', after.cartItemTotal);
  addField(fields, 'additionalCostTotal', after.additionalCostTotal);
  addField(fields, 'total', after.total);
  byId('asof-cart').replaceChildren();
  byId('asof-costs').replaceChildren();
  byId('asof-attributes').replaceChildren();
  byId('asof-state').hidden = false;
  byId('asof-status').textContent = `A summary from the timeline; enter an Integration key to see the whole session.`;
  markSelected(after.updateCount);
}

const SESSION_FIELDS = ['integrationId', 'id', 'applicationId', 'state', 'updateCount', 'created', 'updated',
  'profileId', 'storeIntegrationId', 'couponCodes', 'referralCode', 'loyaltyCards', 'identifiers',
  'evaluableCampaignIds', 'firstSession', 'cartItemTotal', 'additionalCostTotal', 'total'];

function renderState(state) {
  const fields = byId('asof-fields');
  fields.replaceChildren();
  SESSION_FIELDS.filter(name => name in state).forEach(name => {
    const value = state[name];
    addField(fields, name, Array.isArray(value) ? (value.length ? value.join(', ') : '(none)')
        : name === 'created' || name === 'updated' ? displayTime(value) : value);
  });
  byId('asof-cart').replaceChildren(...(state.cartItems || []).map(item => {
    const row = el('tr');
    row.append(el('td', item.position, 'number'), el('td', item.sku), el('td', item.name ?? ''),
        el('td', item.quantity, 'number'), el('td', item.returnedQuantity, 'number'),
        el('td', item.remainingQuantity, 'number'), el('td', item.price ?? '', 'money'));
    return row;
  }));
  const costs = byId('asof-costs');
  costs.replaceChildren();
  Object.entries(state.additionalCosts || {}).forEach(([name, cost]) => addField(costs, name, cost && cost.price));
  const attributes = byId('asof-attributes');
  attributes.replaceChildren();
  Object.entries(state.attributes || {}).forEach(([name, value]) => addField(attributes, name, describe(value)));
  byId('asof-state').hidden = false;
}

/** A dt/dd pair; the dd of a session field has the id "asof-<field>". */
function addField(list, name, value) {
  const term = el('dt', name);
  const description = el('dd', value === null || value === undefined || value === '' ? '—' : value);
  if (list.id === 'asof-fields') {
    description.id = `asof-${name}`;
  }
  list.append(term, description);
}

function markSelected(updateCount) {
  document.querySelectorAll('#timeline-rows tr.event').forEach(row => {
    row.classList.toggle('selected', updateCount !== null && row.dataset.updateCount === String(updateCount));
  });
}

// ---- search --------------------------------------------------------------------------------------------------------

async function findSessions() {
  const request = ++latest.search;
  hide('search-error');
  const app = byId('app').value.trim();
  if (!/^[0-9]+$/.test(app)) {
    show('search-error', 'Enter the application id (a number) first.');
    return;
  }
  const query = new URLSearchParams({pageSize: '50', sort: '-created'});
  const profile = byId('find-profile').value.trim();
  const state = byId('find-state').value;
  if (profile) {
    query.set('profile', profile);
  }
  if (state) {
    query.set('state', state);
  }
  let page;
  try {
    page = await getJson(`/v1/applications/${app}/sessions?${query}`, 'management',
        `no application ${app} that the Management key may read`);
  } catch (e) {
    if (request === latest.search) {
      byId('results').hidden = true;
      show('search-error', e instanceof AuditError ? e.message : `Unexpected failure: ${e}`);
    }
    return;
  }
  if (request !== latest.search) {
    return;
  }
  byId('results-rows').replaceChildren(...page.data.map(found => {
    const row = el('tr');
    const open = el('button', 'timeline');
    open.type = 'button';
    open.addEventListener('click', () => {
      byId('session').value = found.integrationId;
      setFragment({app, session: found.integrationId});
      showTimeline(app, found.integrationId);
    });
    const action = el('td');
    action.append(open);
    row.append(el('td', found.integrationId), el('td', found.profileintegrationid), el('td', found.state),
        el('td', displayTime(found.created)), el('td', found.total, 'money'), action);
    return row;
  }));
  byId('results').hidden = false;
  byId('results-more').hidden = !page.hasMore;
  if (page.data.length === 0) {
    show('search-error', 'No session matches.');
  }
}

// ---- wiring --------------------------------------------------------------------------------------------------------

function wire() {
  byId('keys-form').addEventListener('submit', event => {
    event.preventDefault();
    storeKey('management', byId('management-key').value);
    storeKey('integration', byId('integration-key').value);
    fillKeyFields();
  });
  // A typed key counts as soon as the field is left, without pressing "Use keys".
  byId('management-key').addEventListener('change', () => storeKey('management', byId('management-key').value));
  byId('integration-key').addEventListener('change', () => storeKey('integration', byId('integration-key').value));
  byId('forget-keys').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE.management);
    sessionStorage.removeItem(KEY_STORAGE.integration);
    fillKeyFields();
  });
  byId('session-form').addEventListener('submit', event => {
    event.preventDefault();
    const app = byId('app').value.trim();
    const session = byId('session').value.trim();
    setFragment({app, session});
    showTimeline(app, session);
  });
  byId('find-form').addEventListener('submit', event => {
    event.preventDefault();
    findSessions();
  });
  byId('asof-form').addEventListener('submit', event => {
    event.preventDefault();
    const instant = instantOfInput(byId('asof-input').value);
    if (instant === null) {
      show('asof-error', 'Choose a date and time (UTC) first.');
      return;
    }
    showAsOf({instant});
  });
  window.addEventListener('hashchange', openFragment);
}

wire();
openFragment();
