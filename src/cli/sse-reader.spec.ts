import { describe, expect, it } from 'vitest';
import { chunk, parseOsList } from './os-list.js';
import { readSse, type SseMessage } from './sse-reader.js';

async function read(chunks: string[]): Promise<SseMessage[]> {
  const encoder = new TextEncoder();
  async function* body() {
    for (const text of chunks) yield encoder.encode(text);
  }
  const messages: SseMessage[] = [];
  for await (const message of readSse(body())) messages.push(message);
  return messages;
}

describe('readSse', () => {
  it('reads events, ids, multi-line data and skips comments and empty events', async () => {
    expect(
      await read([
        ': hello\n\nid: 1\nevent: progress\ndata: {"processed":1}\n\n',
        'event: item\ndata: line 1\ndata:line 2\n\nevent: ping\n\n',
      ]),
    ).toEqual([
      { event: 'progress', data: '{"processed":1}', id: '1' },
      { event: 'item', data: 'line 1\nline 2', id: '1' },
    ]);
  });

  it('joins events split across chunks, CRLF included, and flushes the last one', async () => {
    expect(await read(['event: fi', 'nal\r', '\ndata: {"a"', ':1}\r\n\r', '\ndata: x'])).toEqual([
      { event: 'final', data: '{"a":1}', id: undefined },
      { event: 'message', data: 'x', id: undefined },
    ]);
  });
});

describe('parseOsList', () => {
  it('takes lines, commas, semicolons and spaces, drops comments and repeats', () => {
    expect(parseOsList('# list\n1, 2;3\r\n4 5 # five\n\n2\n')).toEqual(['1', '2', '3', '4', '5']);
  });

  it('chunks keep order', () => {
    expect(chunk(['1', '2', '3', '4', '5'], 2)).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });
});
