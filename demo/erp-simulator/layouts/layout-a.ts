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
 * Layout a, "ERP Serviços Web 2.3": a PHP-era screen. The OS is opened by number in the URL
 * (`/os/detalhe?numero=`), data sits in a nested table with an id per cell, and the items table is
 * filled by an XMLHttpRequest on `window.onload`, i.e. only after every image, font and the slow
 * analytics tag have loaded.
 */

const COOKIE = 'ERPSESSID';
const ITEMS_PATH = '/os/itens.json';

function page(services: AppServices, title: string, body: string, head = ''): string {
  return `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=${services.charset}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" type="text/css" href="/static/css/erp-legado.css">
${head}</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<table width="100%" border="0" cellpadding="0" cellspacing="0" id="topo">
  <tr><td bgcolor="#1F3B5A"><img src="/static/img/logo-erp.png" width="160" height="60" alt="ERP Serviços"></td></tr>
</table>
${body}
<table width="100%" border="0" id="rodape"><tr><td align="center"><font size="1">ERP Serviços Web 2.3 &copy; 2009 - Melhor visualizado em 1024x768</font></td></tr></table>
</body>
</html>
`;
}

function menu(user: string | undefined): string {
  return `<table width="100%" border="0" cellpadding="4" cellspacing="0" class="menu">
  <tr><td><a href="/home">Início</a> | <a href="/os/detalhe">Consultar OS</a> | <a href="/logout">Sair</a></td>
  <td align="right">Usuário: <b>${escapeHtml(user ?? '')}</b></td></tr>
</table>`;
}

function loginPage(services: AppServices, message = ''): string {
  const error = message ? `\n<div class="erro-login erro">${escapeHtml(message)}</div>` : '';
  return page(
    services,
    'ERP Serviços - Acesso ao sistema',
    `<center>${error}
<form id="loginForm" name="loginForm" method="post" action="/login">
<input type="hidden" name="_csrf" value="${services.issueCsrfToken()}">
<table border="0" cellpadding="4" cellspacing="0" class="login">
  <tr><td colspan="2"><b>Acesso ao sistema</b></td></tr>
  <tr><td>Usuário:</td><td><input type="text" name="usuario" size="20" maxlength="30"></td></tr>
  <tr><td>Senha:</td><td><input type="password" name="senha" size="20" maxlength="30"></td></tr>
  <tr><td colspan="2" align="right"><input type="submit" id="btnEntrar" value="Entrar"></td></tr>
</table>
</form>
</center>`,
  );
}

function sessionExpiredPage(services: AppServices): string {
  return page(
    services,
    'ERP Serviços - Sessão expirada',
    `<div id="sessao-expirada" class="erro">
<h2>Sessão expirada</h2>
<p>Sua sessão expirou por inatividade ou foi encerrada em outro computador.
<a href="/login">Clique aqui</a> para entrar novamente.</p>
</div>`,
  );
}

function row(
  label1: string,
  id1: string,
  value1: string,
  label2?: string,
  id2?: string,
  value2?: string,
): string {
  const first = `<td class="rotulo" width="15%">${label1}</td><td id="${id1}" class="valor"${label2 ? '' : ' colspan="3"'}>${value1}</td>`;
  const second = label2
    ? `<td class="rotulo" width="15%">${label2}</td><td id="${id2}" class="valor">${value2}</td>`
    : '';
  return `  <tr>${first}${second}</tr>\n`;
}

const ITEMS_SCRIPT = `<script type="text/javascript">
// Itens da OS: carregados depois do onload (padrao do sistema desde a versao 2.1)
function carregarItens() {
  var id = document.getElementById('os_id').value;
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '${ITEMS_PATH}?id=' + encodeURIComponent(id), true);
  xhr.onreadystatechange = function () {
    if (xhr.readyState != 4) return;
    var aviso = document.getElementById('itens-erro');
    if (xhr.status != 200) { aviso.style.display = ''; return; }
    var dados;
    try { dados = JSON.parse(xhr.responseText); } catch (e) { aviso.style.display = ''; return; }
    var corpo = document.getElementById('itens-corpo');
    for (var i = 0; i < dados.itens.length; i++) {
      var item = dados.itens[i];
      var tr = document.createElement('tr');
      tr.className = i % 2 ? 'par' : 'impar';
      var valores = [item.codigo, item.descricao, String(item.quantidade), item.valor_unitario, item.valor_total];
      for (var j = 0; j < valores.length; j++) {
        var td = document.createElement('td');
        if (j >= 2) td.align = 'right';
        td.appendChild(document.createTextNode(valores[j]));
        tr.appendChild(td);
      }
      corpo.appendChild(tr);
    }
  };
  xhr.send(null);
}
window.onload = carregarItens;
</script>
`;

function detailPage(services: AppServices, user: string | undefined, order: ServiceOrder): string {
  const text = (value: string): string => escapeHtml(value);
  const conclusion = order.dataConclusao ? formatDateBr(order.dataConclusao) : '&nbsp;';
  const service = order.servicoExecutado ? linesToHtml(order.servicoExecutado) : '&nbsp;';
  return page(
    services,
    `ERP Serviços - OS ${order.osNumber}`,
    `${menu(user)}
<img src="/static/img/banner-matriz.png" width="640" height="400" alt="Matriz" align="right">
<form name="frmOS" action="#"><input type="hidden" name="os_id" id="os_id" value="${order.internalId}"></form>
<h3>Ordem de Serviço</h3>
<table width="100%" border="1" cellpadding="3" cellspacing="0" class="ficha" id="dados-os">
${row('Nº da OS', 'os_numero', `<b>${order.osNumber}</b>`, 'Situação', 'os_status', text(order.status))}${row('Prioridade', 'os_prioridade', text(order.prioridade), 'Setor', 'os_setor', text(order.setor))}${row('Cliente', 'cli_nome', text(order.clienteNome))}${row('CNPJ', 'cli_cnpj', order.clienteCnpj, 'Telefone', 'cli_fone', order.contatoTelefone)}${row('Equipamento', 'eqp_tipo', text(order.equipamentoTipo), 'Marca', 'eqp_marca', text(order.equipamentoMarca))}${row('Modelo', 'eqp_modelo', text(order.equipamentoModelo), 'Nº de série', 'eqp_serie', order.equipamentoSerie)}${row('Técnico', 'os_tecnico', text(order.tecnico), 'Horas trabalhadas', 'os_horas', formatTenths(order.horasTrabalhadasTenths))}${row('Abertura', 'dt_abertura', formatDateBr(order.dataAbertura), 'Previsão', 'dt_previsao', formatDateBr(order.dataPrevisao))}${row('Conclusão', 'dt_conclusao', conclusion)}${row('Problema relatado', 'txt_problema', linesToHtml(order.descricaoProblema))}${row('Serviço executado', 'txt_servico', service)}</table>
<h3>Itens / Peças</h3>
<table width="100%" border="1" cellpadding="3" cellspacing="0" id="tabItens">
  <thead><tr><th>Código</th><th>Descrição</th><th>Qtde</th><th>Vl. unitário</th><th>Vl. total</th></tr></thead>
  <tbody id="itens-corpo"></tbody>
  <tfoot><tr><td colspan="4" align="right"><b>Total da OS:</b></td><td id="os_total" align="right">${formatMoneyBrl(order.valorTotalCents)}</td></tr></tfoot>
</table>
<div id="itens-erro" class="erro" style="display:none">Não foi possível carregar os itens. Atualize a página.</div>
${ITEMS_SCRIPT}`,
    // A synchronous third-party tag in <head>, as old pages have: nothing renders until it arrives.
    '<script type="text/javascript" src="/third-party/analytics.js"></script>\n',
  );
}

function notFoundPage(services: AppServices, user: string | undefined, asked: string): string {
  return page(
    services,
    'ERP Serviços - Consulta de OS',
    `${menu(user)}
<table width="100%" border="0" cellpadding="8"><tr><td id="os-nao-encontrada" class="erro">OS não encontrada: nº ${escapeHtml(asked)}.</td></tr></table>`,
  );
}

function lookupFormPage(services: AppServices, user: string | undefined): string {
  return page(
    services,
    'ERP Serviços - Consulta de OS',
    `${menu(user)}
<form id="frmConsulta" method="get" action="/os/detalhe">
Nº da OS: <input type="text" name="numero" size="10"> <input type="submit" value="Consultar">
</form>`,
  );
}

function itemsJson(order: ServiceOrder): unknown {
  return {
    os_id: order.internalId,
    itens: order.itens.map((item) => ({
      codigo: item.codigo,
      descricao: item.descricao,
      quantidade: item.quantidade,
      valor_unitario: formatMoneyBrl(item.valorUnitarioCents),
      valor_total: formatMoneyBrl(item.valorTotalCents),
    })),
  };
}

const routes: AppRoute[] = [
  {
    method: 'GET',
    path: '/login',
    session: false,
    handle: (_request, services) => htmlResponse(loginPage(services)),
  },
  {
    method: 'POST',
    path: '/login',
    session: false,
    handle(request, services): AppResponse {
      const result = services.login(
        request.form.get('usuario') ?? '',
        request.form.get('senha') ?? '',
        request.form.get('_csrf'),
      );
      if (!result.ok) {
        const message =
          result.reason === 'csrf'
            ? 'Formulário expirado. Tente novamente.'
            : 'Usuário ou senha inválidos.';
        return htmlResponse(loginPage(services, message));
      }
      return {
        kind: 'redirect',
        location: '/home',
        setCookies: [sessionCookie(COOKIE, result.sessionId)],
      };
    },
  },
  {
    method: 'GET',
    path: '/logout',
    session: false,
    handle(request, services): AppResponse {
      services.logout(request.sessionId);
      return { kind: 'redirect', location: '/login', setCookies: [clearedCookie(COOKIE)] };
    },
  },
  {
    method: 'GET',
    path: '/home',
    session: true,
    handle: (request, services) =>
      htmlResponse(
        page(
          services,
          'ERP Serviços - Início',
          `${menu(request.user)}
<table width="100%" border="0" cellpadding="8"><tr><td id="menu-principal">
<h2>Bem-vindo, ${escapeHtml(request.user ?? '')}!</h2>
<ul><li><a href="/os/detalhe">Consultar ordem de serviço</a></li><li>Relatórios (indisponível)</li></ul>
</td></tr></table>`,
        ),
      ),
  },
  {
    method: 'GET',
    path: '/os/detalhe',
    session: true,
    handle(request, services): AppResponse {
      const asked = request.query.get('numero');
      if (asked === null || asked.trim() === '')
        return htmlResponse(lookupFormPage(services, request.user));
      const osNumber = services.parseOsNumber(asked);
      const order = osNumber === null ? null : services.orderByNumber(osNumber);
      if (!order)
        return htmlResponse(notFoundPage(services, request.user, asked.trim()), { notFound: true });
      return htmlResponse(detailPage(services, request.user, order));
    },
  },
  {
    method: 'GET',
    path: ITEMS_PATH,
    session: true,
    handle(request, services): AppResponse {
      const id = Number(request.query.get('id'));
      const order = Number.isInteger(id) ? services.orderByInternalId(id) : null;
      if (!order)
        return { kind: 'json', status: 404, body: { erro: 'OS inexistente' }, notFound: true };
      return { kind: 'json', status: 200, body: itemsJson(order) };
    },
  },
];

export const layoutA: PageLayout = {
  id: 'a',
  sessionCookie: COOKIE,
  loginPath: '/login',
  routes,
  noSession: () => ({ kind: 'redirect', location: '/login' }),
  sessionEnded: (services) => htmlResponse(sessionExpiredPage(services)),
  serverError: (services) =>
    htmlResponse(
      page(
        services,
        '500 - Erro interno do servidor',
        `<h1>Erro interno do servidor</h1>
<p>O servidor encontrou um erro e não pôde completar a solicitação.</p>
<p><font size="1">PHP Fatal error: Maximum execution time of 30 seconds exceeded in /var/www/erp/os/detalhe.php on line 212</font></p>`,
      ),
      { status: 500 },
    ),
};
