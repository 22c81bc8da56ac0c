using NUnit.Framework;

namespace Harness.Tests;

/// <summary><c>harness ecosystem</c> on bad input: one line on stderr, exit 2, nothing run.</summary>
public sealed class EcosystemCliTests : CliFixture
{
    [Test]
    public void Out_that_is_a_file_gives_one_line_and_exit_2()
    {
        var file = Path.Combine(Dir, "not-a-folder");
        File.WriteAllText(file, "x");
        var result = Run("ecosystem", "--out", file, "--filter", "he_normal-0x5");
        AssertOneLineError(result, file);
        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(File.ReadAllText(file), Is.EqualTo("x"));
    }

    [Test]
    public void A_negative_tfjs_orthogonal_n_gives_one_line_and_exit_2()
    {
        var result = Run("ecosystem", "--out", Path.Combine(Dir, "eco"), "--tfjs-orthogonal-n", "-5");
        AssertOneLineError(result, "-5");
        Assert.That(result.Code, Is.EqualTo(2));
    }

    [Test]
    public void A_filter_matching_nothing_gives_one_line_and_exit_2()
    {
        var result = Run("ecosystem", "--out", Path.Combine(Dir, "eco"), "--filter", "no-such-case-xyz");
        AssertOneLineError(result, "no-such-case-xyz");
        Assert.That(result.Code, Is.EqualTo(2));
        Assert.That(Directory.Exists(Path.Combine(Dir, "eco")), Is.False);
    }
}
