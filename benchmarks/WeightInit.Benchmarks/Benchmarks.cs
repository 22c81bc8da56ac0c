using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using WeightInit.Initializers;
using WeightInit.Random;
using WeightInit.Statistics;

namespace WeightInit.Benchmarks;

/// <summary>
/// BenchmarkDotNet configuration: the memory diagnoser always. The argument <c>quick</c> selects a short-run job
/// (3 warm-ups, 3 iterations, 1 launch) run in-process, so the suite runs in minutes on a shared 2-core machine
/// without BenchmarkDotNet generating and building a project per benchmark.
/// </summary>
public static class BenchConfig
{
    public static IConfig Create(bool quick)
    {
        // Results under ./artifacts (ignored by git), not BenchmarkDotNet's default folder next to the sources.
        var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default)
            .WithArtifactsPath(Path.Combine(Environment.CurrentDirectory, "artifacts", "BenchmarkDotNet"));
        if (quick)
            config = config.AddJob(Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance).WithId("quick"));
        return config;
    }
}

/// <summary>Fills per scheme, dtype and thread count: 2^24 elements into one preallocated buffer (no allocation expected).</summary>
public class FillBenchmarks
{
    private const int N = 1 << 24;
    private static readonly TensorShape Shape = new(N / 1024, 1024);
    private float[] _single = [];
    private double[] _double = [];
    private Initializer _init = null!;
    private SamplingOptions _options = SamplingOptions.Default;

    [Params("random_normal", "random_uniform", "he_normal", "glorot_uniform", "truncated_normal")]
    public string Scheme { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _single = new float[N];
        _double = new double[N];
        _init = InitializerRegistry.Create(Scheme, (string?)null, SeedSource.Fixed(1));
        _options = new SamplingOptions(Threads);
    }

    [Benchmark(Description = "float32")]
    public void Float32() => _init.Fill(_single, Shape, _options);

    [Benchmark(Description = "float64")]
    public void Float64() => _init.Fill(_double, Shape, _options);
}

/// <summary>The raw stream without an initializer around it (float32), one thread.</summary>
public class StreamBenchmarks
{
    private const int N = 1 << 24;
    private float[] _buffer = [];

    [GlobalSetup]
    public void Setup() => _buffer = new float[N];

    [Benchmark] public void Normal() => PhiloxStream.Instance.FillNormal(_buffer, new SeedPair(1, 0), 0, 1);
    [Benchmark] public void Uniform() => PhiloxStream.Instance.FillUniform(_buffer, new SeedPair(1, 0), -1, 1);
    [Benchmark] public void TruncatedNormal() => PhiloxStream.Instance.FillTruncatedNormal(_buffer, new SeedPair(1, 0), 0, 1, -2, 2);
}

/// <summary>KS and Anderson–Darling (statistic and p-value) on 10^7 float32 N(0, 0.05) values.</summary>
public class StatisticsBenchmarks
{
    private float[] _x = [];
    private SortedSample? _sorted;
    private readonly NormalDistribution _law = new(0, 0.05);

    [GlobalSetup]
    public void Setup()
    {
        _x = new float[10_000_000];
        PhiloxStream.Instance.FillNormal(_x, new SeedPair(20261129, 0), 0, 0.05);
        _sorted = SortedSample.Of(_x);
    }

    [Benchmark] public TestResult KolmogorovSmirnov() => StatisticalTests.KolmogorovSmirnov(_x, _law);
    [Benchmark] public TestResult AndersonDarling() => StatisticalTests.AndersonDarling(_x, _law);
    [Benchmark] public TestResult KolmogorovSmirnovPresorted() => StatisticalTests.KolmogorovSmirnov(_sorted!, _law);
}
