using System.CommandLine;
using WeightInit;
using WeightInit.IO;
using WeightInit.Random;

namespace Harness.Commands;

/// <summary>
/// <c>harness sample NAME --shape ... --seed N --out FILE.npy [--stream philox|keras-numpy|numpy-legacy]
/// [--framework csharp|keras|torch|numpy|tfjs]</c>: draws one tensor and writes a standard .npy file.
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var options = new InitializerOptions();
        var seed = new Option<string?>("--seed") { Description = "Integer seed, or 'none' (unseeded, as Keras)." };
        var dtype = new Option<string>("--dtype") { Description = "float32 or float64.", DefaultValueFactory = _ => "float32" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = all cores); values never depend on it.", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output .npy file.", Required = true };
        var stream = new Option<string>("--stream") { Description = "Random stream: philox (parallel, chunking-independent), keras-numpy (Keras 3's numpy backend, bit for bit) or numpy-legacy (np.random.seed + randn, the article's snippets).", DefaultValueFactory = _ => RandomStreams.Philox };
        var framework = new Option<string>("--framework") { Description = "csharp (this library), a live framework through the Python bridge (keras, torch, numpy), or tfjs (TensorFlow.js through the Node bridge).", DefaultValueFactory = _ => "csharp" };
        var command = new Command("sample", "Draw one tensor and write it as a .npy file.");
        options.AddTo(command);
        command.Options.Add(seed);
        command.Options.Add(dtype);
        command.Options.Add(threads);
        command.Options.Add(output);
        command.Options.Add(stream);
        command.Options.Add(framework);
        command.SetAction(parse =>
        {
            var type = parse.GetValue(dtype)!;
            var element = DTypes.Parse(type);
            var fw = parse.GetValue(framework)!;
            var path = parse.GetValue(output)!;
            if (fw != "csharp")
                return FrameworkSampling.Sample(fw, parse.GetValue(options.Name)!, parse.GetValue(options.Config), parse.GetValue(options.Shape) ?? "", parse.GetValue(seed), type, path);

            var randomStream = RandomStreams.Parse(parse.GetValue(stream)!);
            var (initializer, shape) = options.Resolve(parse, InitializerOptions.ParseSeed(parse.GetValue(seed)), randomStream);
            RandomStreams.EnsureApplies(randomStream, initializer);
            var sampling = new SamplingOptions(parse.GetValue(threads));
            if (element == DType.Float32) NpyFile.Write(path, initializer.Sample(shape, sampling), shape);
            else NpyFile.Write(path, initializer.SampleDouble(shape, sampling), shape);
            return 0;
        });
        return command;
    }
}
