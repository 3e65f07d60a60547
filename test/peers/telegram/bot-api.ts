/**
 * A local HTTP server that speaks the Telegram Bot API's `sendMessage` as Telegram documents it: POST
 * /bot<token>/sendMessage with JSON {chat_id, text}; answers {ok: true, result: Message}, or {ok: false, error_code,
 * description} for an unknown token (401) or chat (400), and 429 with parameters.retry_after when told to throttle.
 * It records every message it accepted. Loopback only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotMessage {
  token: string;
  chatId: string;
  text: string;
}

export interface FakeBotApi {
  baseUrl: string;
  messages: BotMessage[];
  /** Answers the next n sendMessage calls with 429 (retry_after 1 s) before accepting. */
  throttleNext(n: number): void;
  close(): Promise<void>;
}

export async function startFakeBotApi(options: { token: string; chats: readonly string[] }): Promise<FakeBotApi> {
  const messages: BotMessage[] = [];
  let throttle = 0;
  let nextId = 1;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url ?? '');
      if (req.method !== 'POST' || m === null) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      if (m[1] !== options.token) return send(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      let body: { chat_id?: unknown; text?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        return send(400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
      }
      const chatId = String(body.chat_id ?? '');
      if (typeof body.text !== 'string' || body.text === '') return send(400, { ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
      if (!options.chats.includes(chatId)) return send(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
      if (throttle > 0) {
        throttle--;
        return send(429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
      }
      messages.push({ token: m[1]!, chatId, text: body.text });
      send(200, { ok: true, result: { message_id: nextId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId) || chatId, type: 'group' }, text: body.text } });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    messages,
    throttleNext: (n) => {
      throttle = n;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
