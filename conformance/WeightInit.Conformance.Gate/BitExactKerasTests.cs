using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using WeightInit.IO;
using WeightInit.Random;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// "bit-exact vs Keras": with the keras-numpy stream, the library redraws every committed Keras 3.15.1 reference file
/// (reference-data/keras/3.15.1, real Keras on its numpy backend) from the same seeds, and every value must have the
/// same bits as Keras'. Runs on the shipped data only; no Python. Orthogonal is the one exception that cannot be
/// bit-exact: Keras takes Q from LAPACK's float32 QR (sgeqrf/sorgqr, whose last bits depend on the LAPACK build),
/// the library from its own float64 Householder QR. There the normal matrix is checked bit for bit against Keras'
/// own values (conformance/golden/keras-numpy-3.15.1.json), and Q within <see cref="OrthogonalTolerance"/>.
/// </summary>
[TestFixture]
[Category("KerasOracle")]
public class BitExactKerasTests
{
    /// <summary>
    /// |Q_library − Q_keras| / |gain| ≤ this, elementwise. Measured on the Orthogonal reference cases (every stored
    /// matrix of each): 3.4e-7 for 16×16 (128 matrices; square Gaussian matrices are the worst conditioned), 3.1e-8 for
    /// 64×32 and 32×64, 2.0e-8 for 144×32, 0 for 1×1 once rounded to float32: the error of a float32 QR, of the order of
    /// float32's epsilon (1.2e-7) times the matrix's condition number. 1e-6 keeps a 3× margin over the worst case.
    /// </summary>
    public const double OrthogonalTolerance = 1e-6;

    private static readonly Lazy<JsonObject> Manifest = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(ReferenceFolder, "manifest.json")))!.AsObject());

    private static readonly Lazy<JsonObject> Golden = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "conformance", "golden", "keras-numpy-3.15.1.json")))!.AsObject());

    private static string ReferenceFolder => Path.Combine(TestPaths.RepoRoot, "reference-data", "keras", "3.15.1");

    private static IEnumerable<JsonObject> Cases => Manifest.Value["cases"]!.AsArray().Select(c => c!.AsObject());

    public static IEnumerable<TestCaseData> KerasCases() =>
        Cases.Select(c => new TestCaseData((string)c["id"]!).SetName(
            (string)c["initializer"]! == "Orthogonal" ? $"{c["id"]} · vs Keras (normal matrix bit-exact, Q within {OrthogonalTolerance.ToString("R", CultureInfo.InvariantCulture)})" : $"{c["id"]} · bit-exact vs Keras"));

    private static JsonObject Case(string id) => Cases.Single(c => (string)c["id"]! == id);

    /// <summary>The library's values for a reference case: the same seeds in the same order, flattened, concatenated, truncated.</summary>
    internal static double[] LibraryValues(JsonObject c, Func<long, SeedSource>? seeding = null)
    {
        var shape = new TensorShape(c["shape"]!.AsArray().Select(d => (int)d!).ToArray());
        int wanted = (int)c["values"]!;
        var config = c["config"]!.ToJsonString();
        var name = (string)c["initializer"]!;
        var values = new List<double>(wanted);
        if (c["seeds"] is not JsonObject seeds)
        {
            var init = InitializerRegistry.Create(name, config, null, KerasNumpyStream.Instance);
            values.AddRange(init.SampleDouble(shape));
        }
        else
        {
            long first = (long)seeds["first"]!;
            int count = (int)seeds["count"]!;
            for (int k = 0; k < count && values.Count < wanted; k++)
            {
                var init = InitializerRegistry.Create(name, config, (seeding ?? SeedSource.Fixed)(first + k), KerasNumpyStream.Instance);
                values.AddRange(init.SampleDouble(shape));
            }
        }
        return values.Take(wanted).ToArray();
    }

    /// <summary>The first element whose bits differ, described with both values and their bits; null when all agree.</summary>
    internal static string? FirstDifference(double[] mine, NpyArray keras, string what)
    {
        int n = keras.Single?.Length ?? keras.Double!.Length;
        if (mine.Length != n) return $"{what}: {mine.Length} values, Keras has {n}";
        for (int i = 0; i < n; i++)
        {
            if (keras.Single is { } f)
            {
                float a = (float)mine[i];
                if (BitConverter.SingleToUInt32Bits(a) != BitConverter.SingleToUInt32Bits(f[i]))
                    return $"{what}: element {i} differs: library {a.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.SingleToUInt32Bits(a):X8}), " +
                           $"Keras {f[i].ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.SingleToUInt32Bits(f[i]):X8})";
            }
            else
            {
                double a = mine[i], b = keras.Double![i];
                if (BitConverter.DoubleToUInt64Bits(a) != BitConverter.DoubleToUInt64Bits(b))
                    return $"{what}: element {i} differs: library {a.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToUInt64Bits(a):X16}), " +
                           $"Keras {b.ToString("R", CultureInfo.InvariantCulture)} (0x{BitConverter.DoubleToUInt64Bits(b):X16})";
            }
        }
        return null;
    }

    [TestCaseSource(nameof(KerasCases))]
    public void Reference_case(string id)
    {
        var c = Case(id);
        var keras = NpyFile.Read(Path.Combine(ReferenceFolder, (string)c["file"]!));
        if ((string)c["initializer"]! == "Orthogonal")
        {
            OrthogonalCase(c, keras);
            return;
        }
        var mine = LibraryValues(c);
        Assert.That(FirstDifference(mine, keras, id), Is.Null);
    }

    private static void OrthogonalCase(JsonObject c, NpyArray keras)
    {
        var id = (string)c["id"]!;
        var shape = new TensorShape(c["shape"]!.AsArray().Select(d => (int)d!).ToArray());
        double gain = c["config"]!["gain"] is JsonNode g ? (double)g : 1.0;
        var mine = LibraryValues(c);
        var theirs = keras.ToDoubleArray();
        Assert.That(mine, Has.Length.EqualTo(theirs.Length), id);
        double worst = 0; int at = -1;
        for (int i = 0; i < mine.Length; i++)
        {
            double d = Math.Abs(mine[i] - theirs[i]);
            if (d > worst) { worst = d; at = i; }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(OrthogonalTolerance * Math.Abs(gain)),
            $"{id}: largest |Q - Q_keras| at element {at}: library {(at >= 0 ? mine[at] : 0):R}, Keras {(at >= 0 ? theirs[at] : 0):R}");
        TestContext.Out.WriteLine($"{id}: max |Q - Q_keras| = {worst:E3}/|gain| = {worst / Math.Abs(gain):E3} over {mine.Length} values");

        // The normal matrix Keras factorizes (keras.random.normal(flat_shape, seed, dtype)), from a live Keras run.
        if (shape.Count == 0) return;
        var golden = Golden.Value["orthogonal_normal_matrices"]![id]!.AsObject();
        long seed = (long)golden["seed"]!;
        int rows = (int)golden["rows"]!, cols = (int)golden["cols"]!;
        var a = new double[rows * cols];
        KerasNumpyStream.Instance.FillNormal(a, new SeedPair(unchecked((ulong)seed), 0), 0.0, 1.0);
        var f32 = a.Select(v => (float)v).ToArray();
        var expected = Convert.FromHexString((string)golden["float32_le_hex_head"]!);
        var got = System.Runtime.InteropServices.MemoryMarshal.AsBytes(f32.AsSpan(0, expected.Length / 4)).ToArray();
        Assert.That(Convert.ToHexString(got), Is.EqualTo(Convert.ToHexString(expected)), $"{id}: the first normals of the matrix differ from Keras'");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(f32.AsSpan())));
        Assert.That(sha, Is.EqualTo((string)golden["sha256_float32_le"]!), $"{id}: the {rows}x{cols} normal matrix differs from Keras'");
    }

    public static IEnumerable<TestCaseData> ArticleCatalogCases() =>
        Golden.Value["numpy_article_cases"]!.AsObject().Select(kv => new TestCaseData(kv.Key).SetName($"{kv.Key} · bit-exact vs numpy"));

    /// <summary>The catalog's article-variant cases (conformance/cases/variants.json), over all their seeds, against numpy's legacy RandomState.</summary>
    [TestCaseSource(nameof(ArticleCatalogCases))]
    public void Article_catalog_case(string id)
    {
        var g = Golden.Value["numpy_article_cases"]![id]!.AsObject();
        var shape = new TensorShape(g["shape"]!.AsArray().Select(d => (int)d!).ToArray());
        bool glorot = (string)g["class_name"]! == "NumpyArticleGlorot";
        long first = (long)g["seeds"]!["first"]!;
        int count = (int)g["seeds"]!["count"]!, wanted = (int)g["values"]!;
        var values = new List<double>(wanted);
        for (int k = 0; k < count && values.Count < wanted; k++)
            values.AddRange(new Initializers.NumpyArticle(glorot, SeedSource.Fixed(first + k), NumpyLegacyStream.Instance).SampleDouble(shape));
        var mine = values.Take(wanted).ToArray();
        var head = g["head"]!.AsArray().Select(v => double.Parse((string)v!, CultureInfo.InvariantCulture)).ToArray();
        byte[] bytes;
        if ((string)g["dtype"]! == "float32")
        {
            var f = mine.Select(v => (float)v).ToArray();
            for (int i = 0; i < head.Length; i++)
                Assert.That(BitConverter.SingleToUInt32Bits(f[i]), Is.EqualTo(BitConverter.SingleToUInt32Bits((float)head[i])),
                    $"element {i}: library {f[i]:R} (0x{BitConverter.SingleToUInt32Bits(f[i]):X8}), numpy {(float)head[i]:R} (0x{BitConverter.SingleToUInt32Bits((float)head[i]):X8})");
            bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(f.AsSpan()).ToArray();
        }
        else
        {
            for (int i = 0; i < head.Length; i++)
                Assert.That(BitConverter.DoubleToUInt64Bits(mine[i]), Is.EqualTo(BitConverter.DoubleToUInt64Bits(head[i])),
                    $"element {i}: library {mine[i]:R} (0x{BitConverter.DoubleToUInt64Bits(mine[i]):X16}), numpy {head[i]:R} (0x{BitConverter.DoubleToUInt64Bits(head[i]):X16})");
            bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(mine.AsSpan()).ToArray();
        }
        Assert.That(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), Is.EqualTo((string)g["sha256_le"]!),
            $"{id}: the first {head.Length} values agree; the sha256 of all {wanted} differs");
    }

    public static IEnumerable<TestCaseData> ArticleCases() =>
        Golden.Value["numpy_article"]!.AsArray().Select(n => n!.AsObject())
            .Select(n => new TestCaseData(n).SetName($"{n["class_name"]} {n["shape"]!.AsArray().Select(d => (int)d!).Aggregate("", (s, d) => s.Length == 0 ? d.ToString(CultureInfo.InvariantCulture) : s + "x" + d)} seed {n["seed"]} · bit-exact vs numpy"));

    [TestCaseSource(nameof(ArticleCases))]
    public void Article_snippet(JsonObject n)
    {
        var shape = new TensorShape(n["shape"]!.AsArray().Select(d => (int)d!).ToArray());
        var init = new Initializers.NumpyArticle((string)n["class_name"]! == "NumpyArticleGlorot", SeedSource.Fixed((long)n["seed"]!), NumpyLegacyStream.Instance);
        var mine = init.SampleDouble(shape);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(mine.AsSpan())));
        var head = n["head"]!.AsArray().Select(v => double.Parse((string)v!, CultureInfo.InvariantCulture)).ToArray();
        for (int i = 0; i < head.Length; i++)
            Assert.That(BitConverter.DoubleToUInt64Bits(mine[i]), Is.EqualTo(BitConverter.DoubleToUInt64Bits(head[i])),
                $"element {i}: library {mine[i]:R} (0x{BitConverter.DoubleToUInt64Bits(mine[i]):X16}), numpy {head[i]:R} (0x{BitConverter.DoubleToUInt64Bits(head[i]):X16})");
        Assert.That(sha, Is.EqualTo((string)n["sha256_float64_le"]!));
    }
}
