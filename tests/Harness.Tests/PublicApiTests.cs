using System.Reflection;
using System.Text;
using NUnit.Framework;
using WeightInit.Conformance.Engine;

namespace Harness.Tests;

/// <summary>
/// The packages are a public API: <c>api/&lt;package&gt;.txt</c> lists every public and protected type and member of
/// each packaged assembly (one sorted line each, from reflection), and this test fails when the assembly and the
/// checked-in listing differ, printing the added and removed lines. After a deliberate change, run the test with
/// UPDATE_API_LISTING=1 to rewrite the listing (the run still fails, so the new listing is reviewed and committed).
/// </summary>
[TestFixture]
public sealed class PublicApiTests
{
    private static readonly string Root = ConformanceData.FindRepository(AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException("No repository above the test binaries.");

    /// <summary>Package id and one type of its assembly.</summary>
    public static IEnumerable<TestCaseData> Packages()
    {
        yield return new TestCaseData("WeightInit", typeof(WeightInit.Initializer).Assembly).SetName("Public API of WeightInit matches api/WeightInit.txt");
        yield return new TestCaseData("WeightInit.Statistics", typeof(WeightInit.Statistics.Kolmogorov).Assembly).SetName("Public API of WeightInit.Statistics matches api/WeightInit.Statistics.txt");
        yield return new TestCaseData("WeightInit.Conformance", typeof(ConformanceRunner).Assembly).SetName("Public API of WeightInit.Conformance matches api/WeightInit.Conformance.txt");
        yield return new TestCaseData("WeightInit.Conformance.Bridge", typeof(WeightInit.Python.PythonUnavailableException).Assembly).SetName("Public API of WeightInit.Python (inside WeightInit.Conformance) matches api/WeightInit.Conformance.Bridge.txt");
        yield return new TestCaseData("WeightInit.Conformance.NodeBridge", typeof(WeightInit.Node.TfjsUnderTest).Assembly).SetName("Public API of WeightInit.Node (inside WeightInit.Conformance) matches api/WeightInit.Conformance.NodeBridge.txt");
        yield return new TestCaseData("WeightInit.Conformance.NUnit", typeof(WeightInit.Conformance.NUnit.ConformanceSuite).Assembly).SetName("Public API of WeightInit.Conformance.NUnit matches api/WeightInit.Conformance.NUnit.txt");
        yield return new TestCaseData("WeightInit.Harness", typeof(HarnessCli).Assembly).SetName("Public API of WeightInit.Harness matches api/WeightInit.Harness.txt");
    }

    [TestCaseSource(nameof(Packages))]
    public void Listing_matches(string package, Assembly assembly)
    {
        var path = Path.Combine(Root, "api", package + ".txt");
        var actual = Listing(assembly);
        if (Environment.GetEnvironmentVariable("UPDATE_API_LISTING") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var tmp = path + ".tmp";
            File.WriteAllText(tmp, string.Join('\n', actual) + "\n", new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
            Assert.Fail($"UPDATE_API_LISTING=1: rewrote {path} ({actual.Count} lines); review and commit it, then run without the variable.");
        }
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: run this test with UPDATE_API_LISTING=1 to create it.");
        var expected = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var added = actual.Except(expected).ToList();
        var removed = expected.Except(actual).ToList();
        Assert.That(added.Count + removed.Count, Is.Zero,
            $"the public API of {package} changed (run with UPDATE_API_LISTING=1 to accept):\n" +
            string.Join("\n", added.Select(l => "+ " + l).Concat(removed.Select(l => "- " + l)).Take(60)));
    }

    [Test]
    public void The_listing_sees_public_members_and_not_internal_ones()
    {
        var lines = Listing(typeof(ConformanceRunner).Assembly);
        Assert.That(lines, Has.Some.StartsWith("WeightInit.Conformance.Engine.ShardSpec: method static WeightInit.Conformance.Engine.ShardSpec Parse(string text)"));
        Assert.That(lines, Has.None.Contains("Fmt"), "internal types are not listed");
    }

    /// <summary>One line per exported type and per public or protected member it declares, sorted ordinally.</summary>
    public static IReadOnlyList<string> Listing(Assembly assembly)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            string owner = Name(type);
            var bases = new List<string>();
            if (type.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum) && !type.IsEnum) bases.Add(Name(b));
            bases.AddRange(type.GetInterfaces().Select(Name).Order(StringComparer.Ordinal));
            lines.Add($"{owner}: {Kind(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}");
            if (type.IsEnum)
            {
                foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                    lines.Add($"{owner}: value {f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}");
                continue;
            }
            foreach (var m in type.GetMembers(All))
            {
                if (!Visible(m)) continue;
                string? line = m switch
                {
                    ConstructorInfo c => $"ctor({Parameters(c)})",
                    MethodInfo { IsSpecialName: true } => null,   // accessors and operators' names are covered by properties/events
                    MethodInfo mi => $"method {Modifiers(mi)}{Name(mi.ReturnType)} {mi.Name}{Generic(mi)}({Parameters(mi)})",
                    PropertyInfo p => $"property {(Accessor(p.GetMethod) ?? Accessor(p.SetMethod))!.IsStatic switch { true => "static ", false => "" }}{Name(p.PropertyType)} {p.Name}{Indexer(p)} {{ {(Accessor(p.GetMethod) is not null ? "get; " : "")}{(Accessor(p.SetMethod) is { } s ? (IsInit(s) ? "init; " : "set; ") : "")}}}",
                    FieldInfo f => $"field {(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}{(f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "")}",
                    EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
                    Type => null,   // nested types are listed as types
                    _ => null,
                };
                if (line is not null) lines.Add($"{owner}: {line}");
            }
        }
        return lines.Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static bool Visible(MemberInfo m) => m switch
    {
        MethodBase b => b.IsPublic || b.IsFamily || b.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => Accessor(p.GetMethod) is not null || Accessor(p.SetMethod) is not null,
        EventInfo e => e.AddMethod is { } a && (a.IsPublic || a.IsFamily),
        _ => false,
    };

    private static MethodInfo? Accessor(MethodInfo? m) => m is not null && (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) ? m : null;

    private static bool IsInit(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? (IsRecord(t) ? "record struct" : "struct")
        : typeof(Delegate).IsAssignableFrom(t) ? "delegate" : $"{(t.IsAbstract && t.IsSealed ? "static " : t.IsAbstract ? "abstract " : t.IsSealed ? "sealed " : "")}{(IsRecord(t) ? "record" : "class")}";

    private static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null || t.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance, [typeof(StringBuilder)]) is not null;

    private static string Modifiers(MethodInfo m) =>
        (m.IsStatic ? "static " : "") + (m.IsAbstract ? "abstract " : m.IsVirtual && !m.IsFinal && m.GetBaseDefinition() == m ? "virtual " : m.GetBaseDefinition() != m ? "override " : "") + (m.IsFamily ? "protected " : "");

    private static string Generic(MethodInfo m) => m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Indexer(PropertyInfo p) => p.GetIndexParameters() is { Length: > 0 } ps ? "[" + string.Join(", ", ps.Select(x => Name(x.ParameterType))) + "]" : "";

    private static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
        $"{(p.IsOut ? "out " : p.ParameterType.IsByRef ? "ref " : "")}{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + Literal(p.DefaultValue) : "")}"));

    private static string Literal(object? v) => v switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>C#-like type names: keywords for the built-in types, generic arguments, arrays, by-ref stripped.</summary>
    private static string Name(Type t)
    {
        if (t.IsByRef) return Name(t.GetElementType()!);
        if (t.IsArray) return Name(t.GetElementType()!) + "[" + new string(',', t.GetArrayRank() - 1) + "]";
        if (t.IsGenericParameter) return t.Name;
        if (Nullable.GetUnderlyingType(t) is { } u) return Name(u) + "?";
        var keyword = Type.GetTypeCode(t) switch
        {
            TypeCode.Boolean => "bool", TypeCode.Byte => "byte", TypeCode.Int16 => "short", TypeCode.Int32 => "int", TypeCode.Int64 => "long",
            TypeCode.UInt32 => "uint", TypeCode.UInt64 => "ulong", TypeCode.Single => "float", TypeCode.Double => "double", TypeCode.String => "string",
            TypeCode.Char => "char", TypeCode.Decimal => "decimal", TypeCode.SByte => "sbyte", TypeCode.UInt16 => "ushort",
            _ => null,
        };
        if (keyword is not null && !t.IsEnum) return keyword;
        if (t == typeof(object)) return "object";
        if (t == typeof(void)) return "void";
        string name = (t.IsNested ? Name(t.DeclaringType!) + "." : t.Namespace is null ? "" : t.Namespace + ".") + (t.IsGenericType && t.Name.Contains('`') ? t.Name[..t.Name.IndexOf('`')] : t.Name);
        if (t.IsGenericType)
        {
            var args = t.GetGenericArguments();
            if (t.IsNested && t.DeclaringType!.IsGenericType) args = args.Skip(t.DeclaringType.GetGenericArguments().Length).ToArray();
            if (args.Length > 0) name += "<" + string.Join(", ", args.Select(Name)) + ">";
        }
        return name;
    }
}
