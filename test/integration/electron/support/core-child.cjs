/**
 * Runs the bundled core process (dist/electron/core-process.cjs) under Node, with the parent port
 * that Electron's utilityProcess gives it played over the IPC channel of child_process.fork.
 * argv[2]: the bundle to run.
 */
const { EventEmitter } = require('node:events');

const port = new EventEmitter();
port.postMessage = (message) => {
  if (process.connected) process.send(message);
};
process.on('message', (data) => port.emit('message', { data }));
process.parentPort = port;
require(process.argv[2]);
