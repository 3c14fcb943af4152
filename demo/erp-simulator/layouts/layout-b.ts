import { formatDateBr, formatMoneyBrl, formatTenths } from '../brazilian-format.js';
import { escapeHtml, linesToHtml } from '../html-escape.js';
import type { ServiceOrder } from '../os-data-generator.js';
import {
  clearedCookie,
  htmlResponse,
  sessionCookie,
  type AppResponse,
  type AppRoute,
  type AppServices,
  type PageLayout,
} from './page-layout.js';

/**
 * Layout b, "SIGO": the same data as layout a in another structure. An OS is found through a POST
 * search form whose result links to `/ordens/ficha?cod=<internal id>`; the detail page uses
 * definition lists and data attributes instead of ids, a read-only textarea for the problem, and
 * fills a `<ul>` of items from `/ordens/ficha/itens` on DOMContentLoaded. An ended session gets
 * the login page again (200), with a notice.
 */

const COOKIE = 'SIGO_SESSAO';
const LOGIN_PATH = '/acesso/entrar';
const ITEMS_PATH = '/ordens/ficha/itens';

function page(services: AppServices, title: string, body: string, head = ''): string {
  return `<!DOCTYPE html>
<html lang="pt-BR">
<head>
<meta charset="${services.charset}">
<title>SIGO | ${escapeHtml(title)}</title>
<link rel="stylesheet" href="/recursos/css/sigo.css">
${head}</head>
<body class="sigo">
${body}
<div id="rodape">SIGO — Sistema Integrado de Gestão de Ordens · versão 4.0.7</div>
</body>
</html>
`;
}

function header(user: string | undefined): string {
  return `<div id="cabecalho">
  <img src="/recursos/img/logo-sigo.png" alt="SIGO" width="160" height="60">
  <nav><a href="/painel">Painel</a> · <a href="/ordens/pesquisa">Pesquisar ordens</a> · <a href="/acesso/sair">Sair</a></nav>
  <span class="usuario-logado">${escapeHtml(user ?? '')}</span>
</div>`;
}

function loginPage(
  services: AppServices,
  notice: 'expired' | 'failed' | 'csrf' | null = null,
): string {
  const notices = {
    expired: '<div class="aviso-sessao">Sessão expirada. Entre novamente para continuar.</div>',
    failed: '<div class="aviso-erro">Login ou senha incorretos.</div>',
    csrf: '<div class="aviso-erro">A página de acesso expirou. Tente de novo.</div>',
  };
  return page(
    services,
    'Acesso',
    `<div id="caixa-acesso">
  <img src="/recursos/img/logo-sigo.png" alt="SIGO" width="160" height="60">
  ${notice ? notices[notice] : ''}
  <form name="frmLogin" method="post" action="autenticar">
    <input type="hidden" name="token_csrf" value="${services.issueCsrfToken()}">
    <input type="hidden" name="origem" value="portal">
    <label>Login <input type="text" name="login" autocomplete="username"></label>
    <label>Senha <input type="password" name="senha" autocomplete="current-password"></label>
    <button type="submit" class="btn-entrar">Entrar</button>
  </form>
</div>`,
  );
}

function searchFormPage(services: AppServices, user: string | undefined): string {
  return page(
    services,
    'Pesquisar ordens',
    `${header(user)}
<div id="conteudo">
  <h1>Pesquisar ordens de serviço</h1>
  <form name="frmPesquisa" method="post" action="/ordens/pesquisa">
    <label>Número da OS <input type="text" name="nr_os" maxlength="10"></label>
    <button type="submit" class="btn-pesquisar">Pesquisar</button>
  </form>
</div>`,
  );
}

function searchResultPage(
  services: AppServices,
  user: string | undefined,
  asked: string,
  order: ServiceOrder | null,
): string {
  const result = order
    ? `<p class="contagem">1 ordem encontrada</p>
  <ul class="resultados">
    <li><a class="abrir-ordem" href="ficha?cod=${order.internalId}">OS ${order.osNumber}</a> — ${escapeHtml(order.clienteNome)} — <span class="situacao">${escapeHtml(order.status)}</span></li>
  </ul>`
    : `<p class="sem-resultado">Nenhuma ordem de serviço encontrada para o número informado (${escapeHtml(asked)}).</p>`;
  return page(
    services,
    'Resultado da pesquisa',
    `${header(user)}
<div id="conteudo" class="resultado-pesquisa">
  <h1>Resultado da pesquisa</h1>
  ${result}
  <p><a href="/ordens/pesquisa">Nova pesquisa</a></p>
</div>`,
  );
}

const ITEMS_SCRIPT = `<script>
(function () {
  function moeda(valor) {
    return 'R$\\u00a0' + valor.toFixed(2).replace('.', ',').replace(/\\B(?=(\\d{3})+(?!\\d))/g, '.');
  }
  function span(classe, texto) {
    var s = document.createElement('span');
    s.className = classe;
    s.appendChild(document.createTextNode(texto));
    return s;
  }
  function carregar() {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', '${ITEMS_PATH}?cod=' + ORDEM_ID, true);
    xhr.onload = function () {
      var aviso = document.getElementById('itens-carregando');
      if (xhr.status !== 200) { aviso.innerHTML = 'Falha ao carregar os itens.'; return; }
      var resposta = JSON.parse(xhr.responseText);
      var lista = document.getElementById('lista-itens');
      var linhas = resposta.dados.linhas;
      for (var i = 0; i < linhas.length; i++) {
        var li = document.createElement('li');
        li.className = 'item';
        li.appendChild(span('cod', linhas[i].cod));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(span('desc', linhas[i].desc));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(span('qtd', linhas[i].qtd + ' un.'));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(span('unit', moeda(linhas[i].vl_unit)));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(span('subtotal', moeda(linhas[i].vl_total)));
        lista.appendChild(li);
      }
      aviso.parentNode.removeChild(aviso);
    };
    xhr.send();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', carregar);
  else carregar();
})();
</script>`;

function dd(field: string, value: string): string {
  return `<dd data-campo="${field}">${escapeHtml(value)}</dd>`;
}

function detailPage(services: AppServices, user: string | undefined, order: ServiceOrder): string {
  const text = escapeHtml;
  const phoneDigits = order.contatoTelefone.replace(/\D/g, '');
  return page(
    services,
    `Ordem ${order.osNumber}`,
    `${header(user)}
<div id="conteudo" class="ficha-ordem">
  <h1 class="titulo-ordem">Ordem de Serviço nº ${order.osNumber}</h1>
  <div class="selos">
    <span class="selo-situacao" data-situacao="${text(order.status.toUpperCase())}">${text(order.status)}</span>
    <span class="selo-prioridade">Prioridade: ${text(order.prioridade)}</span>
  </div>
  <div class="bloco">
    <h2>Cliente</h2>
    <dl class="dados-cliente">
      <dt>Razão social</dt><dd class="razao">${text(order.clienteNome)}</dd>
      <dt>CNPJ</dt><dd>${order.clienteCnpj}</dd>
      <dt>Contato</dt><dd class="fone"><a href="tel:+55${phoneDigits}">${order.contatoTelefone}</a></dd>
    </dl>
  </div>
  <div class="bloco">
    <h2>Equipamento</h2>
    <dl class="dados-equipamento">
      <dt>Tipo</dt>${dd('tipo', order.equipamentoTipo)}
      <dt>Fabricante</dt>${dd('marca', order.equipamentoMarca)}
      <dt>Modelo</dt>${dd('modelo', order.equipamentoModelo)}
      <dt>Série</dt>${dd('serie', order.equipamentoSerie)}
    </dl>
  </div>
  <div class="bloco">
    <h2>Atendimento</h2>
    <dl class="dados-atendimento">
      <dt>Setor</dt><dd class="setor">${text(order.setor)}</dd>
      <dt>Técnico responsável</dt><dd class="tecnico">${text(order.tecnico)}</dd>
    </dl>
    <div class="datas">
      <span class="rotulo">Abertura:</span> <span class="data" data-campo="abertura">${formatDateBr(order.dataAbertura)}</span>
      <span class="rotulo">Previsão:</span> <span class="data" data-campo="previsao">${formatDateBr(order.dataPrevisao)}</span>
      <span class="rotulo">Conclusão:</span> <span class="data" data-campo="conclusao">${order.dataConclusao ? formatDateBr(order.dataConclusao) : '—'}</span>
    </div>
    <p class="horas">Horas apontadas: <strong>${formatTenths(order.horasTrabalhadasTenths)} h</strong></p>
  </div>
  <div class="bloco">
    <h2>Problema relatado</h2>
    <textarea name="problema" rows="4" cols="80" readonly>
${text(order.descricaoProblema.join('\n'))}</textarea>
  </div>
  <div class="bloco">
    <h2>Serviço executado</h2>
    <div id="servico-executado" class="texto-longo">${order.servicoExecutado ? linesToHtml(order.servicoExecutado) : '—'}</div>
  </div>
  <div class="bloco">
    <h2>Itens</h2>
    <ul id="lista-itens" class="itens"></ul>
    <p id="itens-carregando">Carregando itens…</p>
  </div>
  <div class="total">Valor total: <span class="moeda">${formatMoneyBrl(order.valorTotalCents, '&nbsp;')}</span></div>
  <img class="foto-fachada" src="/recursos/img/fachada-sede.png" width="640" height="400" alt="Sede">
</div>
${ITEMS_SCRIPT}
<script async src="/cdn-terceiros/metricas.js"></script>`,
    `<script>var ORDEM_ID = ${order.internalId}; var SIGO_VERSAO = '4.0.7';</script>\n`,
  );
}

function missingRecordPage(services: AppServices, user: string | undefined): string {
  return page(
    services,
    'Ordem',
    `${header(user)}
<div id="conteudo"><div id="registro-inexistente" class="sem-resultado">Registro inexistente ou removido.</div></div>`,
  );
}

function itemsJson(order: ServiceOrder): unknown {
  return {
    status: 'ok',
    dados: {
      ordem: order.internalId,
      linhas: order.itens.map((item) => ({
        cod: item.codigo,
        desc: item.descricao,
        qtd: String(item.quantidade),
        vl_unit: item.valorUnitarioCents / 100,
        vl_total: item.valorTotalCents / 100,
      })),
    },
  };
}

function orderFromCode(
  request: { query: URLSearchParams },
  services: AppServices,
): ServiceOrder | null {
  const code = request.query.get('cod') ?? '';
  return /^\d{1,9}$/.test(code) ? services.orderByInternalId(Number(code)) : null;
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
    path: '/acesso/autenticar',
    session: false,
    handle(request, services): AppResponse {
      // The portal rejects posts that did not come from its own form (hidden "origem" field).
      const fromPortal = request.form.get('origem') === 'portal';
      const result = services.login(
        fromPortal ? (request.form.get('login') ?? '') : '',
        request.form.get('senha') ?? '',
        request.form.get('token_csrf'),
      );
      if (!result.ok)
        return htmlResponse(loginPage(services, result.reason === 'csrf' ? 'csrf' : 'failed'));
      return {
        kind: 'redirect',
        location: '/painel',
        setCookies: [sessionCookie(COOKIE, result.sessionId)],
      };
    },
  },
  {
    method: 'GET',
    path: '/acesso/sair',
    session: false,
    handle(request, services): AppResponse {
      services.logout(request.sessionId);
      return { kind: 'redirect', location: LOGIN_PATH, setCookies: [clearedCookie(COOKIE)] };
    },
  },
  {
    method: 'GET',
    path: '/painel',
    session: true,
    handle: (request, services) =>
      htmlResponse(
        page(
          services,
          'Painel',
          `${header(request.user)}
<div id="conteudo"><div id="painel-usuario"><h1>Olá, ${escapeHtml(request.user ?? '')}</h1>
<p>Você tem acesso à pesquisa de ordens de serviço.</p></div></div>`,
        ),
      ),
  },
  {
    method: 'GET',
    path: '/ordens/pesquisa',
    session: true,
    handle: (request, services) => htmlResponse(searchFormPage(services, request.user)),
  },
  {
    method: 'POST',
    path: '/ordens/pesquisa',
    session: true,
    handle(request, services): AppResponse {
      const asked = (request.form.get('nr_os') ?? '').trim();
      const osNumber = services.parseOsNumber(asked);
      const order = osNumber === null ? null : services.orderByNumber(osNumber);
      return htmlResponse(searchResultPage(services, request.user, asked, order), {
        notFound: !order,
      });
    },
  },
  {
    method: 'GET',
    path: '/ordens/ficha',
    session: true,
    handle(request, services): AppResponse {
      const order = orderFromCode(request, services);
      if (!order)
        return htmlResponse(missingRecordPage(services, request.user), { notFound: true });
      return htmlResponse(detailPage(services, request.user, order));
    },
  },
  {
    method: 'GET',
    path: ITEMS_PATH,
    session: true,
    handle(request, services): AppResponse {
      const order = orderFromCode(request, services);
      if (!order)
        return {
          kind: 'json',
          status: 200,
          body: { status: 'erro', mensagem: 'Registro inexistente' },
          notFound: true,
        };
      return { kind: 'json', status: 200, body: itemsJson(order) };
    },
  },
];

export const layoutB: PageLayout = {
  id: 'b',
  sessionCookie: COOKIE,
  loginPath: LOGIN_PATH,
  routes,
  noSession: (services) => htmlResponse(loginPage(services)),
  sessionEnded: (services) => htmlResponse(loginPage(services, 'expired')),
  serverError: () =>
    htmlResponse(
      `<html><head><title>500 - Erro interno</title></head><body>
<h2>Erro de tempo de execução</h2>
<font face="Arial" size="2">Microsoft OLE DB Provider for SQL Server erro '80004005'<br>
Timeout expirado</font>
<p><font face="Arial" size="2">/ordens/ficha.asp, linha 87</font></p>
</body></html>`,
      { status: 500 },
    ),
};
