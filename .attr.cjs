const { SourceMapConsumer } = require('source-map-js');
const fs = require('fs'); const zlib = require('zlib');
for (const f of process.argv.slice(2)) {
const code = fs.readFileSync(f, 'utf8');
const map = new SourceMapConsumer(JSON.parse(fs.readFileSync(f + '.map', 'utf8')));
const lines = code.split('\n'); const per = {}; const segs = [];
map.eachMapping((m) => segs.push(m));
segs.sort((a, b) => a.generatedLine - b.generatedLine || a.generatedColumn - b.generatedColumn);
const chunks = {};
for (let i = 0; i < segs.length; i++) {
  const s = segs[i], n = segs[i + 1]; const line = lines[s.generatedLine - 1];
  const end = n && n.generatedLine === s.generatedLine ? n.generatedColumn : line.length;
  const text = line.slice(s.generatedColumn, end);
  const src = (s.source || '?').replace(/.*node_modules\//, 'nm/').replace(/^(\.\.\/)+/, '');
  per[src] = (per[src] || 0) + text.length; chunks[src] = (chunks[src] || '') + text;
}
console.log('==', f);
const rows = Object.entries(per).map(([k, v]) => [k, v, zlib.gzipSync(chunks[k]).length]).sort((a, b) => b[1] - a[1]);
for (const r of rows.slice(0, 40)) console.log(String(r[1]).padStart(7), String(r[2]).padStart(6), r[0]);
}
