const { spawn, execFileSync } = require('child_process');
const readline = require('readline');
const child = spawn(process.execPath, ['dist/emulator/main.js', '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
readline.createInterface({ input: child.stdout }).once('line', (line) => {
  const h = JSON.parse(line);
  const extra = (process.argv[2]||'').split(' ').filter(Boolean);
  const out = execFileSync(process.execPath, [...extra, 'dist/bench/providerCpu.js', JSON.stringify({ target: { endpoint: h.endpoint, projectId: h.projectId, token: h.token }, count: 200, prefix: 'p' + Date.now() })], { encoding: 'utf8' });
  console.log(out.trim());
  child.kill();
});
