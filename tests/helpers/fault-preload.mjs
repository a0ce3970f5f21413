// Fault injection for the safety-net tests, loaded into a real app process with
// NODE_OPTIONS=--import: a bug that escaped every door's own checks, raised on demand through a
// real door — an HTTP request to /__fault on any server of the process, or SIGUSR2 — as one
// unhandled rejection and one uncaught exception. Never part of the app.
import http from 'node:http';

function raiseFaults() {
  void Promise.reject(new Error('injected fault: a promise nobody awaited'));
  setImmediate(() => {
    throw new Error('injected fault: a throw in a callback');
  });
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...rest) {
  const [req, res] = rest;
  if (event === 'request' && req && req.url === '/__fault') {
    raiseFaults();
    res.writeHead(202, { 'content-type': 'text/plain' }).end('faults raised');
    return true;
  }
  return emit.call(this, event, ...rest);
};

process.on('SIGUSR2', raiseFaults);
