namespace WeightInit.Random;

/// <summary>
/// The random streams by name, for the command line and configs: <c>philox</c> (the default: counter-based,
/// parallel, identical for any chunking), <c>keras-numpy</c> (Keras 3's numpy backend bit for bit) and
/// <c>numpy-legacy</c> (<c>np.random.seed</c> + <c>randn</c>/<c>rand</c>, as the source article's snippets).
/// </summary>
public static class RandomStreams
{
    public const string Philox = "philox", KerasNumpy = "keras-numpy", NumpyLegacy = "numpy-legacy";

    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Philox, KerasNumpy, NumpyLegacy];

    /// <summary>The stream called <paramref name="name"/> (case-insensitive).</summary>
    public static IRandomStream Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.ToLowerInvariant() switch
        {
            Philox => PhiloxStream.Instance,
            KerasNumpy => KerasNumpyStream.Instance,
            NumpyLegacy => NumpyLegacyStream.Instance,
            _ => throw new InvalidArgumentValueException("stream", $"Unknown stream '{name}': expected one of {string.Join(", ", Names)}."),
        };
    }

    /// <summary>The registry name of a stream instance.</summary>
    public static string NameOf(IRandomStream stream) => stream switch
    {
        KerasNumpyStream => KerasNumpy,
        NumpyLegacyStream => NumpyLegacy,
        PhiloxStream => Philox,
        _ => stream.Name,
    };

    /// <summary>
    /// Throws <see cref="StreamNotApplicableException"/> when <paramref name="stream"/> does not reproduce anything
    /// for <paramref name="initializer"/>: keras-numpy is Keras' own stream, so it serves the Keras schemes
    /// (module <c>keras.initializers</c>); numpy-legacy is the source article's, so it serves its numpy snippets
    /// (<see cref="Initializers.NumpyArticle"/>) only. philox serves every scheme.
    /// </summary>
    public static void EnsureApplies(IRandomStream stream, Initializer initializer)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(initializer);
        switch (stream)
        {
            case KerasNumpyStream when initializer.Module != "keras.initializers":
                throw new StreamNotApplicableException(KerasNumpy, $"{initializer.ClassName} ({initializer.Module}): keras-numpy reproduces Keras' numpy backend and applies to Keras schemes only");
            case NumpyLegacyStream when initializer is not Initializers.NumpyArticle:
                throw new StreamNotApplicableException(NumpyLegacy, $"{initializer.ClassName} ({initializer.Module}): numpy-legacy reproduces the article's np.random.randn snippets and applies to NumpyArticleXavier/NumpyArticleGlorot only");
        }
    }
}

/// <summary>A random stream was asked for something it does not reproduce (a scheme, or a law it has no form of).</summary>
public sealed class StreamNotApplicableException : WeightInitException
{
    /// <summary>The stream's name.</summary>
    public string Stream { get; }

    public StreamNotApplicableException(string stream, string what) : base($"Stream '{stream}' does not apply to {what}.") => Stream = stream;
}
