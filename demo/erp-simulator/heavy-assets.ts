import { noisePng } from './png-image.js';
import { SeededRandom } from './seeded-random.js';
import type { AssetType } from './simulator-stats.js';

export interface SimulatedAsset {
  type: AssetType;
  contentType: string;
  body: Buffer;
  /** Served after `analyticsDelayMs`, like a slow third-party tag. */
  delayed: boolean;
}

function fakeFont(bytes: number, seed: number): Buffer {
  const random = new SeededRandom(seed);
  const body = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) body[i] = random.int(0, 255);
  body.write('wOF2', 0, 'ascii');
  return body;
}

const ANALYTICS_SCRIPT = `/* Métricas de terceiros (simulado): lento e inútil para quem só lê a OS. */
(function () {
  window.__metricas = { carregado: new Date().getTime(), pagina: location.pathname };
  var pixel = new Image(1, 1);
  pixel.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
})();
`;

function stylesheet(fontPath: string, family: string): string {
  return `@font-face { font-family: '${family}'; src: url('${fontPath}') format('woff2'); }
body { font-family: '${family}', Verdana, Arial, sans-serif; font-size: 12px; background: #f3f3ee; }
table.ficha td.rotulo, dt { font-weight: bold; background: #dde3ea; }
.erro, .sem-resultado, .aviso-sessao { color: #a00; font-weight: bold; }
#itens-corpo tr.par, #lista-itens li.item:nth-child(even) { background: #eef2f6; }
`;
}

function build(): Map<string, SimulatedAsset> {
  const css = (path: string, family: string): SimulatedAsset => ({
    type: 'stylesheet',
    contentType: 'text/css; charset=utf-8',
    body: Buffer.from(stylesheet(path, family), 'utf8'),
    delayed: false,
  });
  const image: SimulatedAsset = {
    type: 'image',
    contentType: 'image/png',
    body: noisePng(640, 400, 0x1ade),
    delayed: false,
  };
  const logo: SimulatedAsset = {
    type: 'image',
    contentType: 'image/png',
    body: noisePng(160, 60, 0x10e0),
    delayed: false,
  };
  const font: SimulatedAsset = {
    type: 'font',
    contentType: 'font/woff2',
    body: fakeFont(160 * 1024, 0xf0e7),
    delayed: false,
  };
  const analytics: SimulatedAsset = {
    type: 'script-analytics',
    contentType: 'application/javascript; charset=utf-8',
    body: Buffer.from(ANALYTICS_SCRIPT, 'utf8'),
    delayed: true,
  };
  return new Map([
    // layout a
    ['/static/css/erp-legado.css', css('/static/fonts/erp-sans.woff2', 'ERP Sans')],
    ['/static/fonts/erp-sans.woff2', font],
    ['/static/img/banner-matriz.png', image],
    ['/static/img/logo-erp.png', logo],
    ['/third-party/analytics.js', analytics],
    // layout b
    ['/recursos/css/sigo.css', css('/recursos/fontes/sigo-serif.woff2', 'SIGO Serif')],
    ['/recursos/fontes/sigo-serif.woff2', font],
    ['/recursos/img/fachada-sede.png', image],
    ['/recursos/img/logo-sigo.png', logo],
    ['/cdn-terceiros/metricas.js', analytics],
    ['/App_Themes/Classico/estilo.css', css('/App_Themes/Classico/fonte.woff2', 'SGW Sans')],
    ['/App_Themes/Classico/fonte.woff2', font],
    ['/Imagens/banner-filial.png', image],
    ['/Imagens/logo-sgw.png', logo],
    ['/Telemetria/coletor.js', analytics],
  ]);
}

let assets: Map<string, SimulatedAsset> | undefined;

/** The static asset at a path, built on first use (the image takes a few milliseconds). */
export function findAsset(path: string): SimulatedAsset | undefined {
  assets ??= build();
  return assets.get(path);
}
