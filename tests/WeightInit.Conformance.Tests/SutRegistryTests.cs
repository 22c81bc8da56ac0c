using NUnit.Framework;
using WeightInit.Conformance.Checks;
using WeightInit.Conformance.Engine;
using WeightInit.Conformance.Sut;
using WeightInit.Mutants;
using WeightInit.Testing;
using WeightInit.Conformance.Gate;

namespace WeightInit.Conformance.Tests;

/// <summary><see cref="WeightInit.Conformance.Sut.SutRegistry"/>: every --sut form resolves, and bad specifications fail with one-line messages.</summary>
[TestFixture]
public class SutResolverTests
{
    private static string Root => TestPaths.RepoRoot;

    [Test]
    public void Csharp_is_the_library() => Assert.That(TestPaths.Suts.Resolve("csharp", Root), Is.InstanceOf<LibraryUnderTest>());

    [Test]
    public void Assembly_with_one_implementation_resolves_without_a_type()
    {
        var path = typeof(LibraryUnderTest).Assembly.Location;
        var sut = TestPaths.Suts.Resolve($"assembly:{path}", Root);
        Assert.That(sut.Name, Is.EqualTo("csharp"));
        Assert.That(sut.Sample("HeNormal", "{}", [4, 4], 1, "float32"), Has.Length.EqualTo(16));
    }

    [Test]
    public void Assembly_with_several_implementations_needs_a_type()
    {
        var path = typeof(MutantCatalog).Assembly.Location;
        var ex = Assert.Throws<SutResolutionException>(() => TestPaths.Suts.Resolve($"assembly:{path}", Root));
        Assert.That(ex!.Message, Does.Contain("assembly:PATH:TYPE").And.Contain("WeightInit.Mutants.MeanShift"));
        Assert.That(TestPaths.Suts.Resolve($"assembly:{path}:MeanShift", Root).Name, Is.EqualTo("mean-shift"));
        Assert.That(TestPaths.Suts.Resolve($"assembly:{path}:WeightInit.Mutants.SeedIgnored", Root).Name, Is.EqualTo("seed-ignored"));
    }

    [TestCase("bogus:x", "expected csharp")]
    [TestCase("assembly:/nonexistent/Sut.dll", "not found")]
    [TestCase("mutant:no-such-mutant", "Unknown mutant 'no-such-mutant'; known mutants: uncorrected-truncation")]
    [TestCase("python:onlymodule", "expected python:MODULE:FUNCTION")]
    public void Bad_specifications_fail_with_one_line(string spec, string expected)
    {
        var ex = Assert.Throws<SutResolutionException>(() => TestPaths.Suts.Resolve(spec, Root));
        Assert.That(ex, Is.InstanceOf<WeightInitException>());
        Assert.That(ex!.Message, Does.Contain(expected));
        Assert.That(ex.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Assembly_without_an_implementation_says_so()
    {
        var path = typeof(WeightInit.Statistics.StatisticalTests).Assembly.Location;
        var ex = Assert.Throws<SutResolutionException>(() => TestPaths.Suts.Resolve($"assembly:{path}", Root));
        Assert.That(ex!.Message, Does.Contain("no public non-abstract class implementing WeightInit.Testing.IInitializerUnderTest"));
    }

    [Test]
    public void Assembly_type_that_is_not_an_implementation_says_so()
    {
        var path = typeof(MutantCatalog).Assembly.Location;
        var ex = Assert.Throws<SutResolutionException>(() => TestPaths.Suts.Resolve($"assembly:{path}:MutantCatalog", Root));
        Assert.That(ex!.Message, Does.Contain("does not implement"));
    }
}

/// <summary>The registry itself: kinds are added in one place, names are unique, and the syntax lists every kind.</summary>
[TestFixture]
public class SutRegistryCompositionTests
{
    [Test]
    public void Builtin_kinds_are_the_library_assemblies_python_and_the_live_frameworks()
    {
        Assert.That(SutRegistry.Builtin.Kinds.Select(k => k.Name), Is.EqualTo(new[] { "csharp", "assembly", "python", "keras", "torch", "tfjs" }));
        Assert.That(SutRegistry.Builtin.Syntax, Is.EqualTo("csharp | assembly:PATH[:TYPE] | python:MODULE:FUNCTION | keras | torch | tfjs"));
    }

    [Test]
    public void A_new_kind_is_one_registration()
    {
        var kind = new SutKind("echo", "echo:NAME", (arg, _) => new LibraryUnderTest());
        var registry = SutRegistry.Builtin.With(kind);
        Assert.That(registry.Syntax, Does.EndWith("| echo:NAME"));
        Assert.That(registry.Resolve("echo:x", TestPaths.RepoRoot), Is.InstanceOf<LibraryUnderTest>());
        Assert.That(SutRegistry.Builtin.Kinds.Select(k => k.Name), Does.Not.Contain("echo"), "With returns a new registry");
    }

    [Test]
    public void A_kind_registered_twice_is_refused() =>
        Assert.Throws<ArgumentException>(() => SutRegistry.Builtin.With(new SutKind("Python", "python:X", (_, _) => new LibraryUnderTest())));

    [Test]
    public void The_mutant_kind_knows_every_mutant()
    {
        var registry = SutRegistry.Builtin.With(MutantCatalog.SutKind);
        foreach (var m in MutantCatalog.All)
            Assert.That(registry.Resolve($"mutant:{m.Name}", TestPaths.RepoRoot).Name, Is.EqualTo(m.Name));
        var ex = Assert.Throws<SutResolutionException>(() => registry.Resolve("mutant:", TestPaths.RepoRoot))!;
        Assert.That(ex.Message, Does.Contain("known mutants: uncorrected-truncation"));
    }

    [Test]
    public void Blank_means_the_library_and_csharp_takes_no_argument()
    {
        Assert.That(SutRegistry.Builtin.Resolve("  ", TestPaths.RepoRoot), Is.InstanceOf<LibraryUnderTest>());
        Assert.That(Assert.Throws<SutResolutionException>(() => SutRegistry.Builtin.Resolve("csharp:x", TestPaths.RepoRoot))!.Message,
            Does.Contain("takes no argument"));
    }
}
