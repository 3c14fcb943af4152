// The admin page: log in, then show the dashboard of GET /api/admin/scraping/dashboard and refresh
// it every 10 s. Plain browser JavaScript, served as is (no build step); Chart.js is loaded before.

const TOKEN_KEY = 'registro-os.admin.token';
const USER_KEY = 'registro-os.admin.username';
const REFRESH_MS = 10_000;

const numberFormat = new Intl.NumberFormat('pt-BR');
const decimalFormat = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 1 });
const secondsFormat = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 3 });
// Dates in the statistics' time zone, as the per-day and per-hour charts are (set on each load).
let dateTimeFormat = new Intl.DateTimeFormat('pt-BR', { dateStyle: 'short', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat('pt-BR', { timeStyle: 'medium' });

const COLORS = { sucessos: '#1e8e5a', nao_encontradas: '#e0a526', falhas: '#c8372d' };
const SERIES = [
  ['sucessos', 'Sucessos'],
  ['nao_encontradas', 'Não encontradas'],
  ['falhas', 'Falhas'],
];
const QUEUE_NAMES = { scraping: 'OS avulsas', scraping_batch: 'Lotes', maintenance: 'Manutenção' };
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'throttled', 'completed', 'failed', 'paused'];
const PATH_NAMES = { http: 'HTTP (rápido)', browser: 'Navegador', robust: 'Robusto' };
const ALERT_RULES = {
  error_rate: 'Taxa de erro',
  slow_os: 'OS lenta',
  queue_backlog: 'Fila acumulada',
  worker_memory: 'Memória do worker',
  layout_drift: 'Layout do ERP',
};

const $ = (selector) => document.querySelector(selector);
const charts = { day: null, hour: null };
let timer = null;
let loading = false;
let again = false;

/** Thrown when the API no longer accepts the token: back to the login form. */
class SessionEnded extends Error {}

// --- session ---

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

async function api(path, options = {}) {
  const response = await fetch(path, {
    ...options,
    headers: { Authorization: `Bearer ${token()}`, ...(options.headers ?? {}) },
  });
  if (response.status === 401) throw new SessionEnded('Sessão expirada: entre novamente.');
  if (response.status === 403) throw new SessionEnded('Acesso restrito a administradores.');
  if (!response.ok) throw new Error(await errorMessage(response));
  return response.status === 204 ? null : response.json();
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return `${response.status}: ${body.message ?? response.statusText}`;
  } catch {
    return `${response.status}: ${response.statusText}`;
  }
}

async function login(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const error = $('#login-error');
  error.hidden = true;
  const username = form.elements.username.value.trim();
  const password = form.elements.password.value;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (response.status === 401) throw new Error('Usuário ou senha inválidos.');
    if (response.status === 429) throw new Error('Muitas tentativas: aguarde e tente novamente.');
    if (!response.ok) throw new Error(`Não foi possível entrar (${response.status}).`);
    const { access_token: accessToken } = await response.json();
    sessionStorage.setItem(TOKEN_KEY, accessToken);
    sessionStorage.setItem(USER_KEY, username);
    // The cookie opens the queue board in its own tab; a user's token is refused here (403).
    await api('/admin/session', { method: 'POST' });
    form.reset();
    await showDashboard();
  } catch (failure) {
    forget();
    error.textContent =
      failure instanceof SessionEnded && failure.message.startsWith('Acesso')
        ? 'Este usuário não é administrador.'
        : failure.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

async function logout() {
  // Both end on the server: the bearer token is revoked and the cookie's session closed.
  await fetch('/api/auth/logout', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token()}` },
  }).catch(() => undefined);
  await fetch('/admin/session', {
    method: 'DELETE',
    headers: { 'X-Requested-With': 'fetch' },
  }).catch(() => undefined);
  forget();
  showLogin();
}

function forget() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

function showLogin(message) {
  clearInterval(timer);
  timer = null;
  for (const key of Object.keys(charts)) {
    charts[key]?.destroy();
    charts[key] = null;
  }
  $('#dashboard-view').hidden = true;
  $('#nav').hidden = true;
  $('#login-view').hidden = false;
  const error = $('#login-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  $('#login-form').elements.username.focus();
}

async function showDashboard() {
  $('#login-view').hidden = true;
  $('#nav').hidden = false;
  $('#dashboard-view').hidden = false;
  $('#whoami').textContent = sessionStorage.getItem(USER_KEY) ?? '';
  await refresh();
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
}

// --- dashboard ---

async function refresh() {
  if (!token()) return;
  if (loading) {
    // A period chosen while a refresh runs is loaded right after it.
    again = true;
    return;
  }
  loading = true;
  try {
    const days = $('#days').value;
    const { dashboard_data: data } = await api(`/api/admin/scraping/dashboard?days=${days}`);
    render(data);
    await refreshSnapshots();
    $('#refresh-error').textContent = '';
    $('#updated-at').textContent = `Atualizado às ${timeFormat.format(new Date())}`;
  } catch (failure) {
    if (failure instanceof SessionEnded) {
      forget();
      showLogin(failure.message);
    } else {
      $('#refresh-error').textContent =
        `Falha ao atualizar (${failure.message}); nova tentativa em instantes.`;
    }
  } finally {
    loading = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

function render(data) {
  const period = data.periodo;
  if (dateTimeFormat.resolvedOptions().timeZone !== period.timezone) {
    dateTimeFormat = new Intl.DateTimeFormat('pt-BR', {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: period.timezone,
    });
  }
  $('#period').textContent =
    `Período: ${formatDay(period.inicio)} a ${formatDay(period.fim)} (${period.timezone})`;
  renderCards(data.estatisticas_gerais);
  renderCharts(data.uso_por_dia, data.uso_por_hora);
  renderTopUsers(data.usuarios_mais_ativos);
  renderTopOs(data.top_os);
  renderQueues(data.filas);
  renderAlerts(data.alertas);
  renderPerformance(data.performance);
}

function renderCards(figures) {
  const shown = {
    total: numberFormat.format(figures.total),
    sucessos: numberFormat.format(figures.sucessos),
    falhas: numberFormat.format(figures.falhas),
    nao_encontradas: numberFormat.format(figures.nao_encontradas),
    success_rate: `${decimalFormat.format(figures.success_rate)} %`,
    avg_processing_time: `${secondsFormat.format(figures.avg_processing_time)} s`,
  };
  for (const [key, text] of Object.entries(shown)) {
    const element = document.querySelector(`[data-figure="${key}"]`);
    element.textContent = text;
    element.dataset.value = String(figures[key]);
  }
}

function renderCharts(perDay, perHour) {
  charts.day = drawChart(
    charts.day,
    '#chart-day',
    perDay.map((day) => formatDay(day.data)),
    perDay,
  );
  charts.hour = drawChart(
    charts.hour,
    '#chart-hour',
    perHour.map((hour) => `${String(hour.hora).padStart(2, '0')}h`),
    perHour,
  );
}

/** A stacked bar chart of outcomes; updated in place on refresh, so it does not flicker. */
function drawChart(chart, selector, labels, rows) {
  const datasets = SERIES.map(([key, label]) => ({
    label,
    data: rows.map((row) => row[key]),
    backgroundColor: COLORS[key],
    borderRadius: 2,
    stack: 'os',
  }));
  if (chart) {
    chart.data.labels = labels;
    chart.data.datasets.forEach((dataset, index) => {
      dataset.data = datasets[index].data;
    });
    chart.update('none');
    return chart;
  }
  return new window.Chart($(selector), {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom' } },
      scales: {
        x: { stacked: true, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  });
}

function renderTopUsers(users) {
  fillTable(
    '#top-users',
    users.map((user) => [
      text(user.username ?? user.user_id),
      num(numberFormat.format(user.total)),
      num(`${decimalFormat.format(user.success_rate)} %`),
      num(`${secondsFormat.format(user.avg_processing_time)} s`),
      text(user.last_activity ? dateTimeFormat.format(new Date(user.last_activity)) : '—'),
    ]),
    'Nenhum uso no período.',
  );
}

function renderTopOs(orders) {
  fillTable(
    '#top-os',
    orders.map((os) => [
      text(os.os_number),
      num(numberFormat.format(os.consultas)),
      text(dateTimeFormat.format(new Date(os.ultima_consulta))),
    ]),
    'Nenhuma OS consultada no período.',
  );
}

function renderQueues(status) {
  const redis = status.redis.reachable
    ? `Redis ok (${decimalFormat.format(status.redis.latency_ms ?? 0)} ms)`
    : `Redis indisponível: ${status.redis.error ?? 'sem resposta'}`;
  const breakerStates = {
    closed: 'normal',
    credentials_refused: 'credenciais recusadas',
  };
  const breaker = status.circuit_breaker
    ? ` · ERP: ${breakerStates[status.circuit_breaker.state] ?? 'circuito aberto'}`
    : '';
  const choice = status.path_choice
    ? ` · leitura: ${status.path_choice.order.join(' → ')} (${status.path_choice.reason})`
    : '';
  $('#queues-summary').textContent =
    `${redis} · ${status.workers_connected} worker(s)${breaker}${choice}` +
    (status.inline_fallback ? ' · modo direto ligado' : '');
  fillTable(
    '#queues',
    Object.entries(status.queues).map(([name, counts]) => [
      text(QUEUE_NAMES[name] ? `${QUEUE_NAMES[name]} (${name})` : name),
      ...QUEUE_STATES.map((state) =>
        num(
          counts ? numberFormat.format(counts[state]) : '—',
          state === 'failed' && counts?.failed,
        ),
      ),
    ]),
    'Nenhuma fila.',
  );
  fillTable(
    '#workers',
    status.workers.map((worker) => {
      const pool = worker.browser_pool ?? {};
      const sessions = worker.sessions ?? {};
      return [
        text(`${worker.host ?? '?'} · pid ${worker.pid ?? '?'}`),
        text(worker.role ?? '—'),
        num(worker.memory ? `${numberFormat.format(Math.round(worker.memory.total_mb))} MB` : '—'),
        pill(pool.browser_up ? 'aberto' : 'fechado', pool.browser_up ? 'ok' : ''),
        num(`${pool.contexts_busy ?? 0} / ${pool.max_contexts ?? 0}`),
        num(`${sessions.leased ?? 0} / ${sessions.max_sessions ?? 0}`),
      ];
    }),
    'Nenhum worker conectado.',
  );
}

// --- failure snapshots ---

async function refreshSnapshots() {
  const { items } = await api('/api/admin/scraping/snapshots?page_size=10');
  const rows = items.map((snapshot) => {
    const row = document.createElement('tr');
    const cells = [
      dateTimeFormat.format(new Date(snapshot.created_at)),
      snapshot.os_number,
      PATH_NAMES[snapshot.path] ?? snapshot.path,
      snapshot.error_code ?? '',
    ].map((text) => {
      const cell = document.createElement('td');
      cell.textContent = text;
      return cell;
    });
    const links = document.createElement('td');
    links.append(snapshotLink('HTML', snapshot.html_url));
    if (snapshot.screenshot_url)
      links.append(' ', snapshotLink('Captura', snapshot.screenshot_url));
    row.append(...cells, links);
    return row;
  });
  if (rows.length === 0) {
    const row = document.createElement('tr');
    const cell = document.createElement('td');
    cell.colSpan = 5;
    cell.className = 'muted';
    cell.textContent = 'Nenhuma falha guardada.';
    row.append(cell);
    rows.push(row);
  }
  $('#snapshots tbody').replaceChildren(...rows);
}

/** The page is fetched with the admin's token and opened as text or image: it never runs here. */
function snapshotLink(label, url) {
  const link = document.createElement('a');
  link.href = url;
  link.textContent = label;
  link.addEventListener('click', async (event) => {
    event.preventDefault();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token()}` } });
    if (!response.ok) return;
    const blob = await response.blob();
    window.open(URL.createObjectURL(blob), '_blank', 'noopener');
  });
  return link;
}

function renderAlerts(alerts) {
  const list = $('#alerts');
  const items = alerts.map((alert) => {
    const item = document.createElement('li');
    item.className = alert.severity;
    const title = document.createElement('strong');
    title.textContent = `${ALERT_RULES[alert.rule] ?? alert.rule}: `;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent =
      `${alert.severity === 'critical' ? 'Crítico' : 'Aviso'} · ${alert.subject} · ` +
      `aberto em ${dateTimeFormat.format(new Date(alert.opened_at))}`;
    item.append(title, alert.message, meta);
    return item;
  });
  if (items.length === 0) {
    const none = document.createElement('li');
    none.className = 'none';
    none.textContent = 'Nenhum alerta aberto.';
    items.push(none);
  }
  list.replaceChildren(...items);
}

function renderPerformance(performance) {
  const shown = {
    p50_ms: `${numberFormat.format(Math.round(performance.p50_ms))} ms`,
    p95_ms: `${numberFormat.format(Math.round(performance.p95_ms))} ms`,
    avg_ms: `${numberFormat.format(Math.round(performance.avg_ms))} ms`,
    retries: numberFormat.format(performance.retries),
  };
  for (const [key, value] of Object.entries(shown)) {
    const element = document.querySelector(`[data-perf="${key}"]`);
    element.textContent = value;
    element.dataset.value = String(performance[key]);
  }
  fillTable(
    '#paths',
    Object.entries(performance.caminhos).map(([path, share]) => {
      const bar = document.createElement('meter');
      bar.min = 0;
      bar.max = 100;
      bar.value = share.percentual;
      bar.title = `${decimalFormat.format(share.percentual)} %`;
      const label = document.createElement('span');
      label.textContent = `${decimalFormat.format(share.percentual)} %`;
      const wrapper = document.createElement('div');
      wrapper.className = 'share';
      wrapper.append(bar, label);
      const cell = document.createElement('td');
      cell.append(wrapper);
      return [text(PATH_NAMES[path] ?? path), num(numberFormat.format(share.total)), cell];
    }),
    'Sem dados.',
  );
}

// --- DOM helpers (text only: nothing from the API is parsed as HTML) ---

function fillTable(selector, rows, emptyText) {
  const body = document.querySelector(`${selector} tbody`);
  if (rows.length === 0) {
    const cell = text(emptyText);
    cell.className = 'empty';
    cell.colSpan = document.querySelectorAll(`${selector} thead th`).length;
    const row = document.createElement('tr');
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(
    ...rows.map((cells) => {
      const row = document.createElement('tr');
      row.append(...cells);
      return row;
    }),
  );
}

function text(value) {
  const cell = document.createElement('td');
  cell.textContent = value;
  return cell;
}

function num(value, highlight = false) {
  const cell = text(value);
  cell.className = 'num';
  if (highlight) cell.append(' ', pillElement('!', 'bad'));
  return cell;
}

function pill(value, kind) {
  const cell = document.createElement('td');
  cell.append(pillElement(value, kind));
  return cell;
}

function pillElement(value, kind) {
  const element = document.createElement('span');
  element.className = `pill ${kind}`;
  element.textContent = value;
  return element;
}

function formatDay(isoDay) {
  const [, month, day] = isoDay.split('-');
  return `${day}/${month}`;
}

// --- start ---

$('#login-form').addEventListener('submit', login);
$('#logout').addEventListener('click', logout);
$('#days').addEventListener('change', refresh);

if (token()) {
  // Reopen the cookie as well: it may have been cleared while the token was kept.
  api('/admin/session', { method: 'POST' })
    .then(showDashboard)
    .catch((failure) => {
      forget();
      showLogin(failure instanceof SessionEnded ? failure.message : undefined);
    });
} else {
  showLogin();
}
