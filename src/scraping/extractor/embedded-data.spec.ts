import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { dataPath, readScriptData, relaxedJsonToJson } from './embedded-data.js';

describe('readScriptData', () => {
  const page = (script: string) =>
    cheerio.load(`<html><body><script>${script}</script></body></html>`);

  it.each([
    ['var osData = {"a": {"b": 1}};', 1],
    ['let osData={a:{b:2}}', 2],
    ["const osData = { a: { 'b': 3, }, }; foo()", 3],
    ['window.osData = {"a": {"b": 4}}', 4],
    ['if (x == osData) {}; osData = {a: {b: 5}};', 5],
  ])('%s', (script, value) => {
    expect(readScriptData(page(script), { variable: 'osData', path: 'a.b' })).toEqual({
      found: true,
      value,
    });
  });

  it('reads arrays with indices and scalars', () => {
    const $ = page('var itens = [{"v": 1}, {"v": 2}]; var total = 12.5;');
    expect(readScriptData($, { variable: 'itens', path: '[1].v' })).toEqual({
      found: true,
      value: 2,
    });
    expect(readScriptData($, { variable: 'total' })).toEqual({ found: true, value: 12.5 });
  });

  it('tells why a value is not there', () => {
    const $ = page('var a = carregar(); var b = {x: 1};');
    expect(readScriptData($, { variable: 'a' })).toEqual({ found: false, reason: 'no_assignment' });
    expect(readScriptData($, { variable: 'b', path: 'y' })).toEqual({
      found: false,
      reason: 'no_path',
    });
    expect(readScriptData($, { variable: 'c' })).toEqual({ found: false, reason: 'no_assignment' });
    expect(readScriptData($, { selector: 'script#nada' })).toEqual({
      found: false,
      reason: 'no_script',
    });
    expect(readScriptData(page('var d = {x: new Date()};'), { variable: 'd' })).toEqual({
      found: false,
      reason: 'unparsable',
    });
  });

  it('never runs the script', () => {
    const $ = page('var e = {"x": (function(){ throw new Error("ran") })()};');
    expect(readScriptData($, { variable: 'e' })).toMatchObject({ found: false });
  });

  it('reads a large object literal and gives up on endless unterminated assignments', () => {
    const big = page(`var big = {${'k: 1, '.repeat(200_000)}z: 'fim',};`);
    expect(readScriptData(big, { variable: 'big', path: 'z' })).toEqual({
      found: true,
      value: 'fim',
    });
    const hostile = page(`${'osData = {"a": ['.repeat(20_000)}`);
    expect(readScriptData(hostile, { variable: 'osData' })).toMatchObject({ found: false });
  });

  it('does not stall on an unterminated literal', () => {
    const $ = page(`var f = {"a": "${'x'.repeat(200_000)}`);
    expect(readScriptData($, { variable: 'f' })).toEqual({ found: false, reason: 'no_assignment' });
  });
});

describe('relaxedJsonToJson and dataPath', () => {
  it('quotes keys, converts single quotes, drops trailing commas', () => {
    expect(JSON.parse(relaxedJsonToJson(`{a: 'it\\'s "x"', b: [1, 2,], $c: {d: true,},}`))).toEqual(
      {
        a: `it's "x"`,
        b: [1, 2],
        $c: { d: true },
      },
    );
  });

  it('splits dotted paths with indices', () => {
    expect(dataPath('itens[0].valor')).toEqual(['itens', '0', 'valor']);
    expect(dataPath('a.b.2')).toEqual(['a', 'b', '2']);
    expect(dataPath(undefined)).toEqual([]);
  });
});
