// Benchmark of the TF.js Node bridge (not a test; speeds are compared as ratios within this one run):
//  1. transfer: node sends 2^22 values it already holds (no TF.js work) and .NET reads them into a fresh
//     array: framing + pipe + allocation, in MB/s (target >= 200 MB/s for float32);
//  2. end to end: tf.initializers.heNormal on a 2048x2048 kernel (2^22 values), TF.js' own time included;
//  3. batching: a 1x1 case drawn as N one-tensor requests versus one request of N tensors.
using System.Diagnostics;
using System.Globalization;
using WeightInit;
using WeightInit.Node;

var inv = CultureInfo.InvariantCulture;
int runs = args.Length > 0 ? int.Parse(args[0], inv) : 10;
using var host = new NodeHost();
var info = host.Info;
Console.WriteLine($"node {info.NodeVersion} ({info.NodePath}), tfjs-layers {info.Packages["@tensorflow/tfjs-layers"]}, backend {info.Backend}; {Environment.ProcessorCount} cores; {runs} runs");

string Mbs(double bps) => (bps / 1e6).ToString("F0", inv) + " MB/s";
const int n = 1 << 22;
var f32 = TfjsSampler.MeasureTransfer(n, "float32", runs, host);
Console.WriteLine($"transfer 2^22 float32 (16.8 MB): median {Mbs(f32.MedianBytesPerSecond)}, best {Mbs(f32.BestBytesPerSecond)}");
var f64 = TfjsSampler.MeasureTransfer(n, "float64", runs, host);
Console.WriteLine($"transfer 2^22 float64 (33.6 MB): median {Mbs(f64.MedianBytesPerSecond)}, best {Mbs(f64.BestBytesPerSecond)}");

var shape = new TensorShape(2048, 2048);
TfjsSampler.SampleRaw("heNormal", null, shape, 0, host: host); // warm-up (JIT on both sides)
var times = new List<double>();
for (int i = 0; i < Math.Max(3, runs / 3); i++)
{
    var sw = Stopwatch.StartNew();
    TfjsSampler.SampleRaw("heNormal", null, shape, i + 1, host: host);
    times.Add(sw.Elapsed.TotalMilliseconds);
}
times.Sort();
double e2e = times[times.Count / 2];
Console.WriteLine($"end to end heNormal 2048x2048 (2^22 float32): median {e2e.ToString("F0", inv)} ms " +
                  $"({Mbs(n * 4.0 / (e2e / 1000))}); transfer share {(100 * n * 4.0 / f32.MedianBytesPerSecond / (e2e / 1000)).ToString("F0", inv)} %");

const int tensors = 4096;
var call = (TfjsCall)TfjsMapping.TryMap("HeNormal", null, new TensorShape(1, 1), "float32");
TfjsSampler.SampleBatch(call, 1, 64, host);
var single = Stopwatch.StartNew();
for (int j = 0; j < tensors; j++) TfjsSampler.SampleBatch(call, 1000 + j, 1, host);
single.Stop();
var batch = Stopwatch.StartNew();
var all = TfjsSampler.SampleBatch(call, 1000, tensors, host);
batch.Stop();
if (all.Length != tensors) throw new InvalidOperationException("batch size");
Console.WriteLine($"HeNormal 1x1, {tensors} tensors: {tensors} requests {single.Elapsed.TotalMilliseconds.ToString("F0", inv)} ms " +
                  $"({(single.Elapsed.TotalMilliseconds * 1000 / tensors).ToString("F0", inv)} us/request), one batched request {batch.Elapsed.TotalMilliseconds.ToString("F0", inv)} ms; " +
                  $"speed-up x{(single.Elapsed.TotalMilliseconds / batch.Elapsed.TotalMilliseconds).ToString("F1", inv)}");
