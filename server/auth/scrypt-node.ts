/**
 * Node's native scrypt (OpenSSL on libuv's thread pool) for password hashing: the same function as the pure-JS one
 * Workers use, so every hash verifies on both, but it runs off the event loop and several times faster. The Node
 * entry installs it; the bounded queue (hash-queue.ts) still decides how many run at once.
 */
import { scrypt } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { passwordWork } from './hash-queue.ts';
import { useScrypt, type ScryptFn } from './password.ts';

const nodeScrypt: ScryptFn = (password, salt, params) =>
  new Promise((ok, fail) => {
    const N = 2 ** params.ln;
    scrypt(password, salt, 32, { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * params.p + 16 * 1024 * 1024 }, (err, key) => {
      if (err !== null) fail(err);
      else ok(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
    });
  });

/**
 * How many scrypt jobs run at once on Node: the cores minus one (at least one), so a burst of sign-ins never takes
 * the core the event loop needs (issue 10: /healthz within 100 ms during 100 concurrent sign-ins on 2 cores); and
 * never all of libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), which also resolves names for webhooks and
 * the SMS gateway and does file work: one thread stays free for them.
 */
export function defaultNodeHashConcurrency(cores = availableParallelism(), poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4): number {
  return Math.max(1, Math.min(cores - 1, poolSize - 1));
}

/** Installs the native scrypt and sizes the hash queue: `concurrency` from JANGKAU_HASH_CONCURRENCY, else the default. */
export function useNodeScrypt(options: { concurrency?: number } = {}): void {
  useScrypt(nodeScrypt);
  passwordWork.configure({ concurrency: options.concurrency ?? defaultNodeHashConcurrency() });
}
