namespace WeightInit;

/// <summary>Base type of every error the library raises for bad input. Messages name the bad value.</summary>
public class WeightInitException : Exception
{
    public WeightInitException(string message) : base(message) { }
    public WeightInitException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A shape is malformed: negative, non-numeric or overflowing dimensions.</summary>
public sealed class InvalidShapeException : WeightInitException
{
    public InvalidShapeException(string message) : base(message) { }
}

/// <summary>An initializer argument is out of its domain (scale, mode, distribution, bounds, seed, axes...).</summary>
public sealed class InvalidArgumentValueException : WeightInitException
{
    /// <summary>The name of the offending argument, as Keras spells it (e.g. <c>scale</c>).</summary>
    public string Argument { get; }

    public InvalidArgumentValueException(string argument, string message) : base(message) => Argument = argument;
}

/// <summary>The initializer cannot be used on this shape (Identity off 2-D, Orthogonal below rank 2).</summary>
public sealed class UnsupportedShapeException : WeightInitException
{
    public UnsupportedShapeException(string message) : base(message) { }
}

/// <summary>No initializer is registered under the requested name.</summary>
public sealed class UnknownInitializerException : WeightInitException
{
    public string Name { get; }

    public UnknownInitializerException(string name, IEnumerable<string> known)
        : base($"Could not interpret initializer identifier: '{name}'. Known names: {string.Join(", ", known)}.") => Name = name;
}

/// <summary>A Keras config (JSON) is malformed or carries a key the initializer does not take.</summary>
public sealed class InvalidConfigException : WeightInitException
{
    public InvalidConfigException(string message) : base(message) { }
    public InvalidConfigException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A data file (.npy, manifest) is missing, truncated or malformed.</summary>
public sealed class InvalidDataFileException : WeightInitException
{
    public string Path { get; }

    public InvalidDataFileException(string path, string message) : base($"{path}: {message}") => Path = path;
}
