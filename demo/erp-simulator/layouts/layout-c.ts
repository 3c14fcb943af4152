import { createHmac, randomBytes } from 'node:crypto';
import { formatDateBr, formatMoneyBrl, formatTenths } from '../brazilian-format.js';
import { escapeHtml } from '../html-escape.js';
import type { ServiceOrder } from '../os-data-generator.js';
import {
  htmlResponse,
  sessionCookie,
  type AppRequest,
  type AppResponse,
  type AppRoute,
  type AppServices,
  type PageLayout,
} from './page-layout.js';

/**
 * Layout c, "SGW": a script-only system in the style of ASP.NET WebForms. Nothing works without
 * the page's own script:
 * - login: the "Entrar" button is `type="button"`; its script encodes the password with a
 *   challenge the server put in a hidden field, blanks the clear-text field and posts through
 *   `__doPostBack`. A plain form post carries no event target and is shown the form again;
 * - search: one page, `/Consulta.aspx`, posted back with a signed `__VIEWSTATE`; the result
 *   row selects the OS by another postback (`Select$0`), which answers the OS page itself at the
 *   same URL;
 * - the OS page carries its data encoded in a script that renders it after a delay, in two steps
 *   (header and label/value grids first, items a moment later);
 * - label/value grids (`th`/`td` and `dt`/`dd`), heavy styles, fonts, images and a third-party
 *   script; an ended session gets the login page with a notice.
 */

const COOKIE = 'ASP.NET_SessionId';
const LOGIN_PATH = '/Login.aspx';
const SEARCH_PATH = '/Consulta.aspx';
const LOGIN_BUTTON = 'ctl00$Main$btnEntrar';
const SEARCH_BUTTON = 'ctl00$Main$btnPesquisar';
const RESULT_GRID = 'ctl00$Main$gvResultado';

/** Signs view state so a post cannot forge it: the page's own form must carry it back. */
const VIEWSTATE_KEY = randomBytes(32);

interface ViewState {
  page: 'login' | 'consulta' | 'resultado';
  session: string;
  internalId?: number;
}

function encodeViewState(state: ViewState): string {
  const body = Buffer.from(JSON.stringify(state)).toString('base64url');
  const mac = createHmac('sha256', VIEWSTATE_KEY).update(body).digest('base64url').slice(0, 22);
  return `/wE${body}.${mac}`;
}

function decodeViewState(value: string | null): ViewState | null {
  const match = /^\/wE([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(value ?? '');
  if (!match) return null;
  const mac = createHmac('sha256', VIEWSTATE_KEY).update(match[1]!).digest('base64url');
  if (mac.slice(0, 22) !== match[2]) return null;
  try {
    return JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8')) as ViewState;
  } catch {
    return null;
  }
}

/** The password as the login script sends it: each char code XOR the challenge's, in hex. */
function decodePassword(encoded: string, challenge: string): string | null {
  if (!/^([0-9a-f]{4})*$/.test(encoded) || challenge.length === 0) return null;
  let out = '';
  for (let i = 0; i < encoded.length / 4; i++) {
    const code = parseInt(encoded.slice(i * 4, i * 4 + 4), 16);
    out += String.fromCharCode(code ^ challenge.charCodeAt(i % challenge.length));
  }
  return out;
}

const POSTBACK_SCRIPT = `<script>
var theForm = document.forms['aspnetForm'];
function __doPostBack(eventTarget, eventArgument) {
  if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
    theForm.__EVENTTARGET.value = eventTarget;
    theForm.__EVENTARGUMENT.value = eventArgument;
    theForm.submit();
  }
}
</script>`;

function page(services: AppServices, title: string, body: string, viewState: string): string {
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="${services.charset}">
<title>SGW - ${escapeHtml(title)}</title>
<link href="/App_Themes/Classico/estilo.css" type="text/css" rel="stylesheet">
</head>
<body>
<form name="aspnetForm" method="post" action="${title === 'Acesso' ? 'Login.aspx' : 'Consulta.aspx'}" id="aspnetForm">
<div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="${viewState}">
</div>
${POSTBACK_SCRIPT}
<div id="ctl00_cabecalho"><img src="/Imagens/logo-sgw.png" alt="SGW" width="160" height="60"></div>
${body}
<div id="ctl00_rodape">SGW Gestão Web 2.3 — © Sistemas Gerenciais Ltda.</div>
</form>
<script async src="/Telemetria/coletor.js"></script>
</body>
</html>
`;
}

function loginPage(services: AppServices, notice: 'expired' | 'failed' | null = null): string {
  const challenge = services.issueCsrfToken();
  const notices = {
    expired:
      '<div class="sessao-expirada">Sua sessão expirou por inatividade. Faça login novamente.</div>',
    failed: '<span id="ctl00_Main_lblErro" class="erro-login">Usuário ou senha inválidos.</span>',
  };
  return page(
    services,
    'Acesso',
    `<div id="ctl00_Main_pnlLogin" class="painel-login">
  ${notice ? notices[notice] : ''}
  <table>
    <tr><td>Usuário:</td><td><input name="ctl00$Main$txtUsuario" type="text" id="ctl00_Main_txtUsuario"></td></tr>
    <tr><td>Senha:</td><td><input name="ctl00$Main$txtSenha" type="password" id="ctl00_Main_txtSenha" onkeypress="if (event.keyCode == 13) { Entrar(); return false; }"></td></tr>
  </table>
  <input type="hidden" name="ctl00$Main$hfDesafio" id="ctl00_Main_hfDesafio" value="${challenge}">
  <input type="hidden" name="ctl00$Main$hfSenha" id="ctl00_Main_hfSenha" value="">
  <input type="button" name="${LOGIN_BUTTON}" value="Entrar" id="ctl00_Main_btnEntrar" onclick="Entrar();">
</div>
<script>
function Entrar() {
  var senha = document.getElementById('ctl00_Main_txtSenha');
  var desafio = document.getElementById('ctl00_Main_hfDesafio').value;
  var codificada = '';
  for (var i = 0; i < senha.value.length; i++) {
    var c = senha.value.charCodeAt(i) ^ desafio.charCodeAt(i % desafio.length);
    codificada += ('0000' + c.toString(16)).slice(-4);
  }
  document.getElementById('ctl00_Main_hfSenha').value = codificada;
  senha.value = '';
  __doPostBack('${LOGIN_BUTTON}', '');
}
</script>`,
    encodeViewState({ page: 'login', session: '' }),
  );
}

function homePage(services: AppServices, request: AppRequest): string {
  return page(
    services,
    'Início',
    `<div id="ctl00_Main_pnlInicio"><span id="ctl00_lblBemVindo">Bem-vindo, ${escapeHtml(request.user ?? '')}</span>
<p><a href="Consulta.aspx">Consulta de ordens de serviço</a></p>
<img src="/Imagens/banner-filial.png" width="640" height="400" alt="Filial"></div>`,
    encodeViewState({ page: 'consulta', session: request.sessionId ?? '' }),
  );
}

function searchPage(
  services: AppServices,
  request: AppRequest,
  content: string,
  state: ViewState,
): string {
  return page(
    services,
    'Consulta',
    `<div id="ctl00_Main_pnlConsulta">
  <h2>Consulta de Ordens de Serviço</h2>
  Número da OS: <input name="ctl00$Main$txtNumero" type="text" maxlength="10" id="ctl00_Main_txtNumero">
  <a id="ctl00_Main_btnPesquisar" class="botao" href="javascript:__doPostBack('${SEARCH_BUTTON}','')">Pesquisar</a>
</div>
${content}`,
    encodeViewState({ ...state, session: request.sessionId ?? '' }),
  );
}

/** The OS as the render script receives it: JSON, base64 of UTF-8 (no value in the HTML). */
function orderPayload(order: ServiceOrder): string {
  const data = {
    n: order.osNumber,
    st: order.status,
    pr: order.prioridade,
    se: order.setor,
    cl: order.clienteNome,
    cn: order.clienteCnpj,
    fo: order.contatoTelefone,
    et: order.equipamentoTipo,
    em: order.equipamentoMarca,
    eo: order.equipamentoModelo,
    es: order.equipamentoSerie,
    te: order.tecnico,
    ho: formatTenths(order.horasTrabalhadasTenths),
    da: formatDateBr(order.dataAbertura),
    dp: formatDateBr(order.dataPrevisao),
    dc: order.dataConclusao ? formatDateBr(order.dataConclusao) : '',
    pb: order.descricaoProblema,
    sv: order.servicoExecutado ?? [],
    vt: formatMoneyBrl(order.valorTotalCents),
    it: order.itens.map((item) => [
      item.codigo,
      item.descricao,
      String(item.quantidade),
      formatMoneyBrl(item.valorUnitarioCents),
      formatMoneyBrl(item.valorTotalCents),
    ]),
  };
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64');
}

const RENDER_SCRIPT = `<script>
(function () {
  function texto(id, valor) { document.getElementById(id).textContent = valor; }
  function linhas(id, valores) {
    var alvo = document.getElementById(id);
    for (var i = 0; i < valores.length; i++) {
      if (i > 0) alvo.appendChild(document.createElement('br'));
      alvo.appendChild(document.createTextNode(valores[i]));
    }
  }
  var bytes = atob(document.getElementById('ctl00_Main_hfDados').value);
  var arr = new Uint8Array(bytes.length);
  for (var i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i);
  var d = JSON.parse(new TextDecoder('utf-8').decode(arr));
  setTimeout(function () {
    texto('ctl00_Main_lblNumero', d.n);
    texto('ctl00_Main_lblSituacao', d.st);
    texto('ctl00_Main_lblPrioridade', d.pr);
    texto('ctl00_Main_lblSetor', d.se);
    texto('ctl00_Main_lblCliente', d.cl);
    texto('ctl00_Main_lblCnpj', d.cn);
    texto('ctl00_Main_lblTelefone', d.fo);
    texto('ctl00_Main_lblEquipamento', d.et);
    texto('ctl00_Main_lblMarca', d.em);
    texto('ctl00_Main_lblModelo', d.eo);
    texto('ctl00_Main_lblSerie', d.es);
    texto('ctl00_Main_lblTecnico', d.te);
    texto('ctl00_Main_lblHoras', d.ho);
    texto('ctl00_Main_lblAbertura', d.da);
    texto('ctl00_Main_lblPrevisao', d.dp);
    texto('ctl00_Main_lblConclusao', d.dc || '-');
    linhas('ctl00_Main_lblProblema', d.pb);
    if (d.sv.length) linhas('ctl00_Main_lblServico', d.sv); else texto('ctl00_Main_lblServico', '-');
    texto('ctl00_Main_lblTotal', d.vt);
    document.getElementById('ctl00_Main_pnlOrdem').style.display = '';
    document.getElementById('ctl00_Main_pnlAguarde').style.display = 'none';
    setTimeout(function () {
      var corpo = document.getElementById('ctl00_Main_gvItens').tBodies[0];
      for (var i = 0; i < d.it.length; i++) {
        var tr = corpo.insertRow(-1);
        tr.className = i % 2 ? 'linha-alt' : 'linha';
        for (var j = 0; j < d.it[i].length; j++) tr.insertCell(-1).textContent = d.it[i][j];
      }
    }, ${'${ITEMS_DELAY_MS}'});
  }, ${'${RENDER_DELAY_MS}'});
})();
</script>`;

/** Delays of the render script: header and grids first, the items a moment later. */
const RENDER_DELAY_MS = 150;
const ITEMS_DELAY_MS = 80;

function cell(label: string, id: string): string {
  return `<th>${label}</th><td><span id="ctl00_Main_${id}"></span></td>`;
}

/** What a hostile OS page adds: a script that never returns, or a deep DOM and a giant script. */
function hostileContent(services: AppServices): string {
  if (services.hostile === 'script-loop')
    return '<script>setTimeout(function () { for (;;) {} }, 0);</script>';
  if (services.hostile === 'huge')
    return `${'<div>'.repeat(5_000)}fundo${'</div>'.repeat(5_000)}
<script>var lixo = "${'x'.repeat(5_000_000)}";</script>`;
  return '';
}

function orderContent(services: AppServices, order: ServiceOrder): string {
  return `${hostileContent(services)}<input type="hidden" id="ctl00_Main_hfDados" value="${orderPayload(order)}">
<div id="ctl00_Main_pnlAguarde" class="aguarde">Carregando…</div>
<div id="ctl00_Main_pnlOrdem" class="ordem" style="display:none">
  <h3>Ordem de Serviço <span id="ctl00_Main_lblNumero"></span></h3>
  <table id="ctl00_Main_tblDados" class="grade-dados">
    <tr>${cell('Situação', 'lblSituacao')}${cell('Prioridade', 'lblPrioridade')}</tr>
    <tr>${cell('Setor', 'lblSetor')}${cell('Técnico', 'lblTecnico')}</tr>
    <tr>${cell('Cliente', 'lblCliente')}${cell('CNPJ', 'lblCnpj')}</tr>
    <tr>${cell('Telefone', 'lblTelefone')}${cell('Horas', 'lblHoras')}</tr>
  </table>
  <dl id="ctl00_Main_dlEquipamento" class="grade-equipamento">
    <dt>Equipamento</dt><dd id="ctl00_Main_lblEquipamento"></dd>
    <dt>Marca</dt><dd id="ctl00_Main_lblMarca"></dd>
    <dt>Modelo</dt><dd id="ctl00_Main_lblModelo"></dd>
    <dt>Série</dt><dd id="ctl00_Main_lblSerie"></dd>
  </dl>
  <dl id="ctl00_Main_dlDatas" class="grade-datas">
    <dt>Abertura</dt><dd id="ctl00_Main_lblAbertura"></dd>
    <dt>Previsão</dt><dd id="ctl00_Main_lblPrevisao"></dd>
    <dt>Conclusão</dt><dd id="ctl00_Main_lblConclusao"></dd>
  </dl>
  <fieldset><legend>Problema relatado</legend><div id="ctl00_Main_lblProblema"></div></fieldset>
  <fieldset><legend>Serviço executado</legend><div id="ctl00_Main_lblServico"></div></fieldset>
  <table id="ctl00_Main_gvItens" class="grade-itens">
    <thead><tr><th>Código</th><th>Descrição</th><th>Qtd.</th><th>Unitário</th><th>Total</th></tr></thead>
    <tbody></tbody>
  </table>
  <p>Valor total: <span id="ctl00_Main_lblTotal"></span></p>
</div>
<img src="/Imagens/banner-filial.png" width="640" height="400" alt="Filial">
${RENDER_SCRIPT.replace('${ITEMS_DELAY_MS}', String(ITEMS_DELAY_MS)).replace('${RENDER_DELAY_MS}', String(RENDER_DELAY_MS))}`;
}

function notFoundContent(asked: string): string {
  return `<span id="ctl00_Main_lblMensagem" class="aviso">Nenhum registro encontrado para a OS ${escapeHtml(asked)}.</span>`;
}

function resultContent(order: ServiceOrder): string {
  return `<table id="ctl00_Main_gvResultado" class="grade-resultado">
  <tr><th></th><th>OS</th><th>Cliente</th><th>Situação</th></tr>
  <tr><td><a href="javascript:__doPostBack('${RESULT_GRID}','Select$0')">Selecionar</a></td><td>${order.osNumber}</td><td>${escapeHtml(order.clienteNome)}</td><td>${escapeHtml(order.status)}</td></tr>
</table>`;
}

function invalidStateContent(): string {
  return '<span id="ctl00_Main_lblMensagem" class="erro">O estado da página é inválido. Refaça a consulta.</span>';
}

const routes: AppRoute[] = [
  {
    method: 'GET',
    path: LOGIN_PATH,
    session: false,
    handle: (_request, services) => htmlResponse(loginPage(services)),
  },
  {
    method: 'POST',
    path: LOGIN_PATH,
    session: false,
    handle(request, services): AppResponse {
      // Only the button's script posts the event; a plain post just gets the form back.
      if (request.form.get('__EVENTTARGET') !== LOGIN_BUTTON)
        return htmlResponse(loginPage(services));
      const challenge = request.form.get('ctl00$Main$hfDesafio') ?? '';
      const password = decodePassword(request.form.get('ctl00$Main$hfSenha') ?? '', challenge);
      const result = services.login(
        request.form.get('ctl00$Main$txtUsuario') ?? '',
        password ?? '',
        challenge,
      );
      if (!result.ok) return htmlResponse(loginPage(services, 'failed'));
      return {
        kind: 'redirect',
        location: '/Default.aspx',
        setCookies: [sessionCookie(COOKIE, result.sessionId)],
      };
    },
  },
  {
    method: 'GET',
    path: '/Default.aspx',
    session: true,
    handle: (request, services) => htmlResponse(homePage(services, request)),
  },
  {
    method: 'GET',
    path: SEARCH_PATH,
    session: true,
    handle: (request, services) =>
      htmlResponse(searchPage(services, request, '', { page: 'consulta', session: '' })),
  },
  {
    method: 'POST',
    path: SEARCH_PATH,
    session: true,
    handle(request, services): AppResponse {
      const state = decodeViewState(request.form.get('__VIEWSTATE'));
      const target = request.form.get('__EVENTTARGET');
      if (!state || state.session !== request.sessionId || state.page === 'login')
        return htmlResponse(
          searchPage(services, request, invalidStateContent(), { page: 'consulta', session: '' }),
        );
      if (target === RESULT_GRID && state.page === 'resultado' && state.internalId !== undefined) {
        const order = services.orderByInternalId(state.internalId);
        if (!order)
          return htmlResponse(
            searchPage(services, request, notFoundContent(''), { page: 'consulta', session: '' }),
            { notFound: true },
          );
        return htmlResponse(
          searchPage(services, request, orderContent(services, order), {
            page: 'consulta',
            session: '',
          }),
        );
      }
      if (target !== SEARCH_BUTTON)
        return htmlResponse(
          searchPage(services, request, invalidStateContent(), { page: 'consulta', session: '' }),
        );
      const asked = (request.form.get('ctl00$Main$txtNumero') ?? '').trim();
      const osNumber = services.parseOsNumber(asked);
      const order = osNumber === null ? null : services.orderByNumber(osNumber);
      if (!order)
        return htmlResponse(
          searchPage(services, request, notFoundContent(asked), { page: 'consulta', session: '' }),
          { notFound: true },
        );
      return htmlResponse(
        searchPage(services, request, resultContent(order), {
          page: 'resultado',
          session: '',
          internalId: order.internalId,
        }),
      );
    },
  },
];

export const layoutC: PageLayout = {
  id: 'c',
  sessionCookie: COOKIE,
  loginPath: LOGIN_PATH,
  routes,
  noSession: (services) => htmlResponse(loginPage(services)),
  sessionEnded: (services) => htmlResponse(loginPage(services, 'expired')),
  serverError: () =>
    htmlResponse(
      `<html><head><title>Runtime Error</title></head><body>
<h1>Server Error in '/' Application.</h1><h2><i>Runtime Error</i></h2>
<b>Description:</b> An application error occurred on the server.</body></html>`,
      { status: 500 },
    ),
};
