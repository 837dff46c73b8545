// tcp_proxy.mjs as a process, for the shell-driven tmux tests: `node tcp_proxy_process.mjs TARGET_PORT` prints
// the port it listens on; SIGUSR1 cuts every connection (and refuses new ones), SIGUSR2 lets them through again.
import { TcpProxy } from './tcp_proxy.mjs';

const proxy = new TcpProxy();
const port = await proxy.start(Number(process.argv[2]));
process.on('SIGUSR1', () => proxy.cut());
process.on('SIGUSR2', () => proxy.restore());
process.on('SIGTERM', async () => {
  await proxy.stop();
  process.exit(0);
});
console.log(port);
