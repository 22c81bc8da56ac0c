// WeightInit benchmarks: `ratio` = the quick timing mode used by scripts/bench-fill.sh; anything else runs BenchmarkDotNet.
using BenchmarkDotNet.Running;
using WeightInit.Benchmarks;

if (args.Length > 0 && args[0] == "ratio") return Ratio.Run(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Ratio).Assembly).Run(args, BenchConfig.Create(args));
return 0;
