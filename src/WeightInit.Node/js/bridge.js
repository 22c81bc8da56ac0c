'use strict';
// The Node half of the WeightInit TF.js bridge (the C# half is src/WeightInit.Node/NodeHost.cs).
//
// One long-lived process per harness process. It reads requests from stdin and answers on stdout with a
// framed binary protocol, so values never travel as JSON arrays of numbers (which would cost ~20 bytes and a
// float parse per value):
//
//   request  (C# -> node): u32 LE length L, then L bytes of UTF-8 JSON  {"id":1,"op":"sample",...}
//   response (node -> C#): the 4 ASCII bytes "WIR1", u32 LE length L, L bytes of UTF-8 JSON header
//                          {"id":1,"ok":true,"dtype":"float32","elements":E,"bytes":B,...}, then B bytes of
//                          raw little-endian float32 or float64 values (C order, tensors concatenated).
//
// The magic lets the C# side tell a real frame from anything else that reaches stdout (a stray console.log,
// a crash banner): that is reported as a protocol error instead of being read as a length. For the same
// reason console.log/info/warn/debug are sent to stderr before TF.js is loaded (TF.js prints a banner on
// first use). The process exits when stdin closes, so it never outlives its parent.

const toStderr = (...a) => process.stderr.write(a.map(String).join(' ') + '\n');
console.log = console.info = console.warn = console.debug = toStderr;

const MAGIC = Buffer.from('WIR1', 'ascii');

function send(header, payload) {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = Buffer.alloc(8);
  MAGIC.copy(pre, 0);
  pre.writeUInt32LE(h.length, 4);
  // Pipes are synchronous on Linux and macOS, so these writes complete in order before the next request
  // is read; a 16 MB payload goes out as one write, with no copy into a JSON string.
  process.stdout.write(Buffer.concat([pre, h]));
  if (payload && payload.length > 0) process.stdout.write(payload);
}

function fail(id, kind, message, extra) {
  send(Object.assign({ id, ok: false, kind, message: String(message) }, extra || {}), null);
}

let tf = null, tfl = null, loadError = null;
function load() {
  if (tf !== null || loadError !== null) return;
  try {
    tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    tfl = require('@tensorflow/tfjs-layers');
    tf.setBackend('cpu');
    registerChainedMethods();
  } catch (e) {
    loadError = e;
    tf = null;
  }
}

// tfjs-layers' Orthogonal calls tensor methods (rMat.flatten().stridedSlice(...), diag.sign(), qMat.transpose(),
// qMat.reshape(shape)). Those "chained" methods are attached to the Tensor class only by the @tensorflow/tfjs
// umbrella package; with tfjs-core + tfjs-layers + tfjs-backend-cpu alone (what this project pins) Orthogonal
// throws TypeError "rMat.flatten is not a function" (measured on 4.22.0). We attach the methods it needs, each
// delegating to the tfjs-core op of the same name, the way the umbrella package does. Nothing else changes.
const chainedShimmed = [];
function registerChainedMethods() {
  const proto = Object.getPrototypeOf(tf.scalar(0));
  const methods = {
    flatten() { return tf.reshape(this, [this.size]); },
    stridedSlice(begin, end, strides, ...rest) { return tf.stridedSlice(this, begin, end, strides, ...rest); },
    sign() { return tf.sign(this); },
    transpose(perm) { return tf.transpose(this, perm); },
    reshape(shape) { return tf.reshape(this, shape); },
  };
  for (const [name, fn] of Object.entries(methods)) {
    if (typeof proto[name] !== 'function') { proto[name] = fn; chainedShimmed.push(name); }
  }
}

function versionOf(pkg) {
  try { return require(pkg + '/package.json').version; } catch (e) { return null; }
}

function hello(req) {
  load();
  const info = {
    id: req.id, ok: true, node: process.version, pid: process.pid, execPath: process.execPath,
    packages: {
      '@tensorflow/tfjs-core': versionOf('@tensorflow/tfjs-core'),
      '@tensorflow/tfjs-layers': versionOf('@tensorflow/tfjs-layers'),
      '@tensorflow/tfjs-backend-cpu': versionOf('@tensorflow/tfjs-backend-cpu'),
    },
  };
  if (loadError) {
    info.loadError = String(loadError && loadError.message || loadError);
  } else {
    info.backend = tf.getBackend();
    info.chainedMethodsAdded = chainedShimmed;
    info.initializers = Object.keys(tfl.initializers).sort();
  }
  send(info, null);
}

function validShape(shape) {
  return Array.isArray(shape) && shape.every(d => Number.isInteger(d) && d >= 0 && d <= 0x7fffffff);
}

function elementCount(shape) {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// One request draws a whole batch: the tensors for seeds first, first+1, ..., first+count-1 (or `count`
// unseeded tensors when seeds.first is null), each flattened in C order, concatenated into one buffer.
function sample(req) {
  load();
  if (loadError) return fail(req.id, 'packages_missing', loadError.message);
  const name = req.initializer;
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(tfl.initializers, name))
    return fail(req.id, 'unknown_initializer', `TF.js has no initializer '${name}'`,
                { known: Object.keys(tfl.initializers).sort() });
  if (!validShape(req.shape))
    return fail(req.id, 'bad_shape', `bad shape ${JSON.stringify(req.shape)}: expected a list of non-negative integers`);
  const count = req.count == null ? 1 : req.count;
  if (!Number.isInteger(count) || count < 1)
    return fail(req.id, 'bad_request', `bad count ${JSON.stringify(req.count)}: expected a positive integer`);
  const first = req.seed == null ? null : req.seed;
  if (first !== null && !Number.isSafeInteger(first))
    return fail(req.id, 'bad_request', `bad seed ${JSON.stringify(req.seed)}: expected an integer or null`);
  const per = elementCount(req.shape);
  const total = per * count;
  if (total > 268435456)
    return fail(req.id, 'bad_request', `batch of ${total} values is over the bridge's limit of 2^28 per request`);

  let out = null, outDtype = null;
  for (let j = 0; j < count; j++) {
    const config = Object.assign({}, req.config || {});
    if (first !== null) config.seed = first + j;
    let values, dtype;
    try {
      const init = tfl.initializers[name](config);
      const t = init.apply(req.shape, req.dtype == null ? undefined : req.dtype);
      dtype = t.dtype;
      values = t.dataSync();
      t.dispose();
    } catch (e) {
      return fail(req.id, 'tfjs_error', e && e.message || e, { errorType: e && e.constructor && e.constructor.name || 'Error' });
    }
    if (out === null) {
      outDtype = dtype;
      if (!(values instanceof Float32Array))
        return fail(req.id, 'tfjs_error', `TF.js returned ${values && values.constructor && values.constructor.name} (dtype ${dtype}); the bridge carries float32 only`);
      out = new Float32Array(total);
    }
    if (values.length !== per)
      return fail(req.id, 'tfjs_error', `TF.js returned ${values.length} values for shape [${req.shape}] (expected ${per})`);
    out.set(values, j * per);
  }
  const payload = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  send({ id: req.id, ok: true, dtype: 'float32', tfjsDtype: outDtype, elements: total, bytes: payload.length }, payload);
}

// Transfer benchmark: returns `elements` values without touching TF.js, so the C# side measures the pipe and
// the framing alone. The buffer is built once per size and reused.
let benchCache = null;
function bench(req) {
  const n = req.elements, dtype = req.dtype || 'float32';
  if (!Number.isInteger(n) || n < 0 || n > 268435456) return fail(req.id, 'bad_request', `bad elements ${n}`);
  if (dtype !== 'float32' && dtype !== 'float64') return fail(req.id, 'bad_request', `bad dtype ${dtype}`);
  const key = dtype + ':' + n;
  if (benchCache === null || benchCache.key !== key) {
    const a = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = i; // a checkable pattern: value i at index i
    benchCache = { key, buf: Buffer.from(a.buffer, a.byteOffset, a.byteLength) };
  }
  send({ id: req.id, ok: true, dtype, elements: n, bytes: benchCache.buf.length }, benchCache.buf);
}

// Test hooks: they let the C# tests provoke the failures the bridge must survive without a hang.
function testHook(req) {
  switch (req.what) {
    case 'garbage': process.stdout.write('this is not a frame\n'); return;
    case 'exit': process.exit(req.code == null ? 3 : req.code);
    case 'hang': return; // never answers: the caller's timeout must fire
    case 'stderr-then-die':
      process.stderr.write('bridge test: about to die\n');
      process.kill(process.pid, 'SIGKILL');
      return;
    default: fail(req.id, 'bad_request', `unknown test hook ${req.what}`);
  }
}

function handle(req) {
  switch (req.op) {
    case 'hello': return hello(req);
    case 'sample': return sample(req);
    case 'bench': return bench(req);
    case 'test': return testHook(req);
    default: return fail(req.id, 'bad_request', `unknown op ${JSON.stringify(req.op)}`);
  }
}

let pending = Buffer.alloc(0);
process.stdin.on('data', chunk => {
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.length >= 4) {
    const len = pending.readUInt32LE(0);
    if (len > 16 * 1024 * 1024) {
      fail(null, 'bad_request', `request header of ${len} bytes is over the 16 MB limit`);
      process.exit(4);
    }
    if (pending.length < 4 + len) break;
    const text = pending.subarray(4, 4 + len).toString('utf8');
    pending = pending.subarray(4 + len);
    let req;
    try { req = JSON.parse(text); } catch (e) { fail(null, 'bad_request', 'request is not JSON: ' + e.message); continue; }
    try { handle(req); } catch (e) { fail(req && req.id, 'internal', e && e.stack || e); }
  }
});
process.stdin.on('end', () => process.exit(0));
