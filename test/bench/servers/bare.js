// The floor of any server: Node answering the first message with a fixed `initialize` result, no
// library. For the side-by-side start-up row in test/bench/extension.bench.ts.
process.stdin.once('data', () => {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { capabilities: {} } });
  process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
});
