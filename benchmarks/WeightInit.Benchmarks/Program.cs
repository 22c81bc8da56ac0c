// WeightInit benchmarks. `ratio [...]`: the quick timing mode used by scripts/bench-fill.sh. `wake`: how long the second
// share of a 2-way Parallel.For waits for its thread (see Wake.cs). Anything else runs
// BenchmarkDotNet with the memory diagnoser, e.g. `--filter '*Fill*'`; add `quick` for a short in-process job.
using BenchmarkDotNet.Running;
using WeightInit.Benchmarks;

if (args.Length > 0 && args[0] == "ratio") return Ratio.Run(args[1..]);
if (args.Length > 0 && args[0] == "wake") return Wake.Run(args[1..]);
bool quick = args.Contains("quick");
BenchmarkSwitcher.FromAssembly(typeof(Ratio).Assembly).Run(args.Where(a => a != "quick").ToArray(), BenchConfig.Create(quick));
return 0;
