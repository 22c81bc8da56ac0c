using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace WeightInit.Conformance.Gate;

/// <summary>
/// Bit-exact conformance of derived parameters and config JSON with real Keras 3.15.1.
/// Every expected value comes from <c>conformance/reference/keras-3.15.1-params.json</c>, produced by running
/// Keras (numpy backend) through <c>scripts/oracle/keras_params.py</c>; nothing here is hand-typed.
/// Doubles are compared with <c>==</c>: a difference of one ulp is a failure.
/// </summary>
[TestFixture]
[Category("KerasOracle")]
public class KerasParametersTests
{
    private const string FixtureFile = "keras-3.15.1-params.json";

    private static readonly Lazy<JsonObject> Fixture = new(() =>
        JsonNode.Parse(File.ReadAllText(TestPaths.Fixture(FixtureFile)))!.AsObject());

    private static IEnumerable<JsonObject> Initializers => Fixture.Value["initializers"]!.AsArray().Select(n => n!.AsObject());

    private static string Label(JsonObject entry)
    {
        var label = (string)entry["label"]!;
        var name = (string)entry["name"]!;
        return name == (string)entry["class_name"]! ? label : $"{label} as '{name}'";
    }

    private static TensorShape Shape(JsonNode? node) =>
        new(node!.AsArray().Select(d => (int)d!).ToArray());

    // ---------------------------------------------------------------- derived parameters

    public static IEnumerable<TestCaseData> ParameterCases()
    {
        foreach (var entry in Initializers)
            foreach (var row in entry["params"]!.AsArray().Select(r => r!.AsObject()))
            {
                var shape = Shape(row["shape"]);
                var what = row.ContainsKey("error") ? "rejected like Keras" : "derived parameters";
                yield return new TestCaseData(entry, row).SetName($"{Label(entry)} {shape.ToCompactString()}: {what}");
            }
    }

    [TestCaseSource(nameof(ParameterCases))]
    public void Derived_parameters_equal_Keras(JsonObject entry, JsonObject row)
    {
        var initializer = InitializerRegistry.Create((string)entry["name"]!, (string)entry["config_json"]!);
        var shape = Shape(row["shape"]);

        if (row["error"] is JsonObject error)
        {
            var ex = Assert.Throws<UnsupportedShapeException>(() => initializer.DeriveParameters(shape),
                $"Keras raised {error["type"]}: {error["message"]}");
            Assert.That(ex!.Message, Does.Contain((string)error["message"]!), "the library's message must carry Keras' text");
            return;
        }

        var p = initializer.DeriveParameters(shape);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(p.Shape, Is.EqualTo(shape));
            if (row["fan_in"] is not null)
            {
                Assert.That(p.FanIn, Is.EqualTo((long)row["fan_in"]!), "fan_in");
                Assert.That(p.FanOut, Is.EqualTo((long)row["fan_out"]!), "fan_out");
            }

            var kind = (string)row["distribution"]!;
            switch (kind)
            {
                case "truncated_normal":
                    var t = As<TruncatedNormalElements>(p.Distribution, kind);
                    if (t is null) break;
                    Same("mean", Num(row, "mean"), t.Mean);
                    Same("stddev", Num(row, "stddev"), t.Stddev);
                    Same("lower bound (mean - 2*stddev)", Num(row, "lower"), t.Lower);
                    Same("upper bound (mean + 2*stddev)", Num(row, "upper"), t.Upper);
                    break;
                case "normal":
                    var n = As<NormalElements>(p.Distribution, kind);
                    if (n is null) break;
                    Same("mean", Num(row, "mean"), n.Mean);
                    Same("stddev", Num(row, "stddev"), n.Stddev);
                    break;
                case "uniform":
                    var u = As<UniformElements>(p.Distribution, kind);
                    if (u is null) break;
                    Same("minval", Num(row, "minval"), u.Minval);
                    Same("maxval", Num(row, "maxval"), u.Maxval);
                    if (row["limit"] is not null)
                    {
                        Assert.That(p.Limit, Is.Not.Null, "limit");
                        if (p.Limit is double limit) Same("limit", Num(row, "limit"), limit);
                    }
                    break;
                case "orthogonal":
                    var o = As<OrthogonalElements>(p.Distribution, kind);
                    if (o is null) break;
                    Same("gain", Num(row, "gain"), o.Gain);
                    Assert.That(o.Rows, Is.EqualTo((long)row["rows"]!), "rows = prod(shape[:-1])");
                    Assert.That(o.Cols, Is.EqualTo((long)row["cols"]!), "cols = shape[-1]");
                    var qr = row["qr_matrix_shape"]!.AsArray().Select(x => (long)x!).ToArray();
                    Assert.That(new[] { Math.Max(o.Rows, o.Cols), Math.Min(o.Rows, o.Cols) }, Is.EqualTo(qr),
                        "shape of the normal matrix Keras factorizes: (max(rows, cols), min(rows, cols))");
                    break;
                case "identity":
                    var id = As<IdentityElements>(p.Distribution, kind);
                    if (id is null) break;
                    if (row["gain"] is not null) Same("gain (Keras output[0,0])", Num(row, "gain"), id.Gain);
                    Assert.That(id.Rows, Is.EqualTo((long)row["rows"]!), "rows");
                    Assert.That(id.Cols, Is.EqualTo((long)row["cols"]!), "cols");
                    break;
                case "constant":
                    var c = As<ConstantElements>(p.Distribution, kind);
                    if (c is null) break;
                    Same("value", Num(row, "value"), c.Value);
                    break;
                default:
                    Assert.Fail($"fixture row has an unknown distribution '{kind}'");
                    break;
            }
        }
    }

    // ---------------------------------------------------------------- config JSON

    public static IEnumerable<TestCaseData> SerializationCases() =>
        Initializers.Select(e => new TestCaseData(e).SetName($"{Label(e)}: config JSON equals Keras serialize()"));

    public static IEnumerable<TestCaseData> RoundTripCases() =>
        Initializers.Select(e => new TestCaseData(e).SetName($"{Label(e)}: Keras JSON reads back and writes byte for byte"));

    [TestCaseSource(nameof(SerializationCases))]
    public void Config_json_equals_Keras_serialize(JsonObject entry)
    {
        var initializer = InitializerRegistry.Create((string)entry["name"]!, (string)entry["config_json"]!);
        Assert.That(initializer.ClassName, Is.EqualTo((string)entry["class_name"]!), "class_name");
        var expected = (string)entry["serialized_json"]!;
        var actual = initializer.ToKerasJson();
        Assert.That(actual, Is.EqualTo(expected), $"json.dumps(keras.initializers.serialize(...)) for config {entry["config_json"]}\n  Keras: {expected}\n  C#:    {actual}");
    }

    [TestCaseSource(nameof(RoundTripCases))]
    public void Keras_json_round_trips(JsonObject entry)
    {
        var expected = (string)entry["serialized_json"]!;
        var initializer = Serialization.KerasConfig.Deserialize(expected);
        Assert.That(initializer.ClassName, Is.EqualTo((string)entry["class_name"]!), "class_name");
        var actual = initializer.ToKerasJson();
        Assert.That(actual, Is.EqualTo(expected), $"read Keras' JSON, wrote it back\n  Keras: {expected}\n  C#:    {actual}");
    }

    // ---------------------------------------------------------------- bad inputs

    public static IEnumerable<TestCaseData> ErrorCases() =>
        Fixture.Value["errors"]!.AsArray().Select(n => n!.AsObject())
            .Select(e => new TestCaseData(e).SetName($"{e["name"]} {e["id"]}: rejected like Keras"));

    [TestCaseSource(nameof(ErrorCases))]
    public void Bad_input_throws_the_typed_exception_with_Keras_text(JsonObject error)
    {
        var keras = error["keras_error"] as JsonObject;
        Assert.That(keras, Is.Not.Null, "fixture: Keras accepted this input");
        var typeName = (string)error["csharp_exception"]!;
        var expectedType = typeof(WeightInitException).Assembly.GetType("WeightInit." + typeName, throwOnError: true)!;

        var name = (string)error["name"]!;
        var config = (string)error["config_json"]!;
        Action act = (string)error["phase"]! == "construct"
            ? () => InitializerRegistry.Create(name, config)
            : () => InitializerRegistry.Create(name, config).DeriveParameters(Shape(error["shape"]));

        var ex = Assert.Catch<WeightInitException>(() => act(), $"Keras raised {keras!["type"]}: {keras["message"]}");
        Assert.That(ex, Is.TypeOf(expectedType), $"exception type (message: {ex?.Message})");
        if ((bool)error["keras_message_is_keras_text"]!)
            Assert.That(ex!.Message, Does.Contain((string)error["keras_message_stable"]!),
                $"the library's message must carry Keras' text\n  Keras: {keras["message"]}\n  C#:    {ex.Message}");
    }

    // ---------------------------------------------------------------- names

    public static IEnumerable<TestCaseData> AliasCases()
    {
        var excluded = Fixture.Value["not_in_library"]!.AsObject().Select(kv => kv.Key).ToHashSet();
        foreach (var a in Fixture.Value["aliases"]!.AsArray().Select(n => n!.AsObject()))
            if (!excluded.Contains((string)a["class_name"]!))
                yield return new TestCaseData((string)a["name"]!, (string)a["class_name"]!)
                    .SetName($"Keras name '{a["name"]}' resolves to {a["class_name"]}");
    }

    [TestCaseSource(nameof(AliasCases))]
    public void Keras_name_resolves_to_the_same_class(string name, string className) =>
        Assert.That(InitializerRegistry.Find(name).ClassName, Is.EqualTo(className));

    [Test]
    public void Every_Keras_name_outside_the_library_is_a_documented_exclusion()
    {
        var excluded = Fixture.Value["not_in_library"]!.AsObject().Select(kv => kv.Key).ToHashSet();
        var unknownToLibrary = Fixture.Value["aliases"]!.AsArray().Select(n => n!.AsObject())
            .Where(a => !InitializerRegistry.Names.Contains((string)a["name"]!))
            .Select(a => (string)a["class_name"]!).ToHashSet();
        Assert.That(unknownToLibrary, Is.SubsetOf(excluded), "Keras names the library does not resolve");
    }

    [Test]
    public void Fixture_came_from_real_Keras_3_15_1()
    {
        var prov = Fixture.Value["provenance"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)prov["keras_version"]!, Is.EqualTo("3.15.1"));
            Assert.That((string)prov["backend"]!, Is.EqualTo("numpy"));
            Assert.That((string)prov["keras_commit"]!, Is.EqualTo("250b42181ce9f37df68319d8f4753ec89a349a43"));
            Assert.That(Initializers.Count(), Is.GreaterThan(50));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static double Num(JsonObject row, string key) =>
        row[key] is JsonNode n ? (double)n : throw new InvalidDataException($"fixture row lacks `{key}`: {row.ToJsonString()}");

    private static void Same(string what, double keras, double csharp) =>
        Assert.That(csharp == keras, Is.True,
            $"{what}: Keras {keras.ToString("R", CultureInfo.InvariantCulture)} vs C# {csharp.ToString("R", CultureInfo.InvariantCulture)}" +
            (double.IsFinite(keras) && double.IsFinite(csharp) && keras != 0 ? $" (relative difference {(csharp - keras) / keras:E3})" : ""));

    private static T? As<T>(ElementDistribution d, string kerasKind) where T : ElementDistribution
    {
        Assert.That(d, Is.InstanceOf<T>(), $"Keras drew '{kerasKind}', the library derives '{d.Kind}' ({d})");
        return d as T;
    }
}
