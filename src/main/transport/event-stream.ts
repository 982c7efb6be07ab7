// Server-sent events for every open tab through one subscription to the service: each
// client used to add its own listener, and a tenth tab tripped MaxListenersExceededWarning.
import type http from 'node:http';
import type { JobEvent } from '../../shared/api.js';

export interface EventStreams {
  /** Serves one client's stream until it disconnects. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): void;
  close(): void;
}

export function eventStreams(onEvent: (listener: (e: JobEvent) => void) => () => void): EventStreams {
  const clients = new Set<http.ServerResponse>();
  const off = onEvent((e) => {
    const line = `data: ${JSON.stringify(e)}\n\n`;
    for (const res of clients) res.write(line);
  });
  // A comment line every 15 s keeps proxies and idle timeouts from closing the streams.
  const ping = setInterval(() => {
    for (const res of clients) res.write(': ping\n\n');
  }, 15_000);
  ping.unref();
  return {
    serve(req, res) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write('retry: 1000\n\n');
      clients.add(res);
      const drop = () => clients.delete(res);
      req.on('close', drop);
      res.on('close', drop);
      res.on('error', drop);
    },
    close() {
      clearInterval(ping);
      off();
      clients.clear();
    },
  };
}
