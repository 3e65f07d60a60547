/**
 * Issue 10: a few requests started per event-loop turn (Node only).
 *
 * Node reads every socket that is ready in one pass of its event loop and runs each request's handler there, up to
 * its first wait. When a burst of 100 sign-ins lands at once, that pass runs 100 handlers back to back (about 1 ms of
 * CPU each: body reading, session identification, a rate-limit statement, the answer), and a `/healthz` or a staff
 * request that arrived behind them waits for all of them.
 *
 * `createTurns` queues each request at arrival (a few microseconds) and lets at most `perTurn` of them (8) start per
 * loop turn, from a `setImmediate`. Between two turns the loop polls its sockets again, so a request arriving in the
 * middle of a burst waits for at most eight handlers' first stretches plus the arrivals still being queued, never for
 * the whole burst. Requests start in the order they arrived. Health probes (`exempt`) skip the queue: they do no work
 * worth ordering, and a proxy or orchestrator uses them to tell a busy server from a dead one.
 *
 * Why eight and not one: measured with bench/portal-signin.ts (32 users, interleaved runs, bench/RESULTS.md), one start
 * per turn cost as much CPU per sign-in as no turns at all, and eight no more (a fifth less in four runs, within their
 * spread); the time a burst holds the loop stays near 10 ms a turn. Workers need none of this (each request has its
 * isolate's turn).
 */
export interface Turns {
  /** Resolves when it is this request's turn to start. */
  take(): Promise<void>;
  /** Requests queued and not yet started. */
  readonly waiting: number;
}

export function createTurns(perTurn = 8): Turns {
  const queue: Array<() => void> = [];
  let head = 0;
  let scheduled = false;
  const next = (): void => {
    scheduled = false;
    for (let started = 0; started < perTurn && head < queue.length; started++) {
      const start = queue[head]!;
      queue[head++] = undefined as unknown as () => void;
      // The handlers' first stretches run in this turn's microtasks; later starts wait for the next turn.
      start();
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    if (head < queue.length) {
      scheduled = true;
      setImmediate(next);
    }
  };
  return {
    take: () =>
      new Promise<void>((ok) => {
        queue.push(ok);
        if (!scheduled) {
          scheduled = true;
          setImmediate(next);
        }
      }),
    get waiting() {
      return queue.length - head;
    },
  };
}

/** Requests waiting beyond this many are refused at once (503): a queue, not a place to pile a flood up. */
export const MAX_WAITING = 4096;

interface NodeBindingsLike {
  incoming: { url?: string; socket?: { remoteAddress?: string | undefined; destroyed?: boolean } | null };
}

/**
 * Wraps a fetch handler so that each request, except the exempt paths, waits for its turn to start.
 * - The client's address is read on arrival: Node keeps it only once read, and a client that leaves while its request
 *   waits would otherwise reach the rate limits as an unknown address.
 * - A request whose client left while it waited is not started (499, the answer nobody reads), so a flood of
 *   abandoned sign-ins costs no hashing.
 * - Past `MAX_WAITING` waiting requests, new ones are refused at once with 503 and Retry-After.
 */
export function takingTurns<E extends NodeBindingsLike>(
  fetch: (req: Request, env: E) => Response | Promise<Response>,
  exempt: (path: string) => boolean,
  turns: Turns = createTurns(),
): (req: Request, env: E) => Response | Promise<Response> {
  return (req, env) => {
    const url = env.incoming.url ?? '';
    const q = url.indexOf('?');
    if (exempt(q === -1 ? url : url.slice(0, q))) return fetch(req, env);
    const socket = env.incoming.socket;
    void socket?.remoteAddress;
    if (turns.waiting >= MAX_WAITING) {
      // The app's error shape (server/app.ts onError), without a request id: the request never reached the app.
      return new Response('{"code":"unavailable","message":"the server is busy; try again shortly","reason":"server.busy","params":{}}', {
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '1' },
      });
    }
    return turns.take().then(() => (socket?.destroyed === true ? new Response(null, { status: 499 }) : fetch(req, env)));
  };
}
