using System.Globalization;

namespace WeightInit;

/// <summary>
/// An immutable tensor shape (row-major / C order). Rank 0 (a scalar) and zero-size dimensions are
/// valid; negative dimensions and element counts beyond <see cref="long.MaxValue"/> are not.
/// </summary>
public sealed class TensorShape : IEquatable<TensorShape>
{
    private readonly int[] _dims;

    public TensorShape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] < 0)
                throw new InvalidShapeException($"Invalid shape {Format(dims)}: dimension {i} is {dims[i]}; dimensions must be >= 0.");
            try { count = checked(count * dims[i]); }
            catch (OverflowException)
            {
                throw new InvalidShapeException($"Invalid shape {Format(dims)}: the element count overflows a 64-bit integer.");
            }
        }
        _dims = (int[])dims.Clone();
        Count = count;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Dimensions => _dims;

    public int Rank => _dims.Length;

    /// <summary>Number of elements (the product of the dimensions; 1 for a scalar).</summary>
    public long Count { get; }

    public int this[int axis] => _dims[axis];

    public int this[Index axis] => _dims[axis];

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>
    /// Parses "3,3,16,32", "3x3x16x32", "[3, 3, 16, 32]", "(3,)" or "" / "[]" / "()" (a scalar).
    /// </summary>
    public static TensorShape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimStart('[', '(').TrimEnd(']', ')').Trim();
        if (trimmed.Length == 0) return new TensorShape();
        var parts = trimmed.Split(new[] { ',', 'x', 'X', '×' }, StringSplitOptions.TrimEntries);
        if (parts.Length > 0 && parts[^1].Length == 0) parts = parts[..^1]; // "(3,)"
        var dims = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d))
                throw new InvalidShapeException($"Invalid shape '{text}': dimension {i} ('{parts[i]}') is not an integer.");
            if (d < 0)
                throw new InvalidShapeException($"Invalid shape '{text}': dimension {i} is {d}; dimensions must be >= 0.");
            if (d > int.MaxValue)
                throw new InvalidShapeException($"Invalid shape '{text}': dimension {i} is {d}, above the largest supported dimension {int.MaxValue}.");
            dims[i] = (int)d;
        }
        return new TensorShape(dims);
    }

    /// <summary>Python tuple notation, as Keras prints shapes: <c>(3, 4)</c>, <c>(7,)</c>, <c>()</c>.</summary>
    public override string ToString() => Format(_dims);

    /// <summary>Compact notation used in test names: <c>3x3x64x128</c>, <c>scalar</c>.</summary>
    public string ToCompactString() => _dims.Length == 0 ? "scalar" : string.Join("x", _dims);

    internal static string Format(IReadOnlyList<int> dims) => dims.Count switch
    {
        0 => "()",
        1 => $"({dims[0]},)",
        _ => "(" + string.Join(", ", dims) + ")",
    };

    public bool Equals(TensorShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);
    public override bool Equals(object? obj) => Equals(obj as TensorShape);
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }
}
