using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace WeightInit.IO;

/// <summary>An array read from a .npy file: float32 or float64 values in C order, and the shape.</summary>
public sealed class NpyArray
{
    public NpyArray(TensorShape shape, float[]? single, double[]? @double)
    {
        Shape = shape;
        Single = single;
        Double = @double;
    }

    public TensorShape Shape { get; }

    /// <summary>The values if the file held float32 (<c>&lt;f4</c>).</summary>
    public float[]? Single { get; }

    /// <summary>The values if the file held float64 (<c>&lt;f8</c>).</summary>
    public double[]? Double { get; }

    /// <summary>numpy dtype name: float32 or float64.</summary>
    public DType DType => Single is not null ? DType.Float32 : DType.Float64;

    /// <summary>The values widened to float64.</summary>
    public double[] ToDoubleArray() => Double ?? Array.ConvertAll(Single!, x => (double)x);
}

/// <summary>
/// Reads and writes the standard NumPy .npy format (version 1.0, little-endian float32/float64, C order) that
/// <c>numpy.load</c> reads. Writes go to a temporary file that is renamed into place, so a reader never sees
/// a half-written file.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void Write(string path, ReadOnlySpan<float> values, TensorShape shape) =>
        WriteRaw(path, MemoryMarshal.AsBytes(values), values.Length, "<f4", shape);

    public static void Write(string path, ReadOnlySpan<double> values, TensorShape shape) =>
        WriteRaw(path, MemoryMarshal.AsBytes(values), values.Length, "<f8", shape);

    /// <summary>The .npy bytes of an array (header + data), for hashing or in-memory transfer.</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> values, TensorShape shape) => Encode(MemoryMarshal.AsBytes(values), values.Length, "<f4", shape);

    /// <inheritdoc cref="ToBytes(ReadOnlySpan{float}, TensorShape)"/>
    public static byte[] ToBytes(ReadOnlySpan<double> values, TensorShape shape) => Encode(MemoryMarshal.AsBytes(values), values.Length, "<f8", shape);

    private static void WriteRaw(string path, ReadOnlySpan<byte> data, int count, string descr, TensorShape shape)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = Encode(data, count, descr, shape);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    private static byte[] Encode(ReadOnlySpan<byte> data, int count, string descr, TensorShape shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Big-endian hosts are not supported.");
        if (count != shape.Count)
            throw new ArgumentException($"{count} values do not fill shape {shape} ({shape.Count} elements).");
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int unpadded = Magic.Length + 2 + 2 + header.Length + 1;
        int pad = (64 - unpadded % 64) % 64;
        header = header + new string(' ', pad) + "\n";
        var result = new byte[Magic.Length + 4 + header.Length + data.Length];
        Magic.CopyTo(result, 0);
        result[6] = 1; result[7] = 0;
        result[8] = (byte)(header.Length & 0xFF); result[9] = (byte)(header.Length >> 8);
        Encoding.ASCII.GetBytes(header, 0, header.Length, result, 10);
        data.CopyTo(result.AsSpan(10 + header.Length));
        return result;
    }

    /// <summary>Reads a float32 or float64 .npy file; anything else (truncated data, other dtypes, Fortran order) is an error naming the file.</summary>
    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidDataFileException(path, "file not found.");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses .npy bytes (<paramref name="name"/> is used in error messages).</summary>
    public static NpyArray Parse(byte[] bytes, string name = "<bytes>")
    {
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataFileException(name, "not a .npy file (bad magic).");
        int major = bytes[6];
        int headerLength, offset;
        if (major == 1) { headerLength = bytes[8] | (bytes[9] << 8); offset = 10; }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12) throw new InvalidDataFileException(name, "truncated .npy header.");
            headerLength = BitConverter.ToInt32(bytes, 8); offset = 12;
        }
        else throw new InvalidDataFileException(name, $"unsupported .npy version {major}.{bytes[7]}.");
        if (offset + headerLength > bytes.Length) throw new InvalidDataFileException(name, "truncated .npy header.");
        string header = Encoding.ASCII.GetString(bytes, offset, headerLength);
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shapeMatch = ShapeRegex().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
            throw new InvalidDataFileException(name, $"malformed .npy header: {header.Trim()}");
        if (fortran.Groups[1].Value == "True") throw new InvalidDataFileException(name, "Fortran-order arrays are not supported.");
        var dims = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.Parse(d.TrimEnd('L'), CultureInfo.InvariantCulture)).ToArray();
        var shape = new TensorShape(dims);
        int dataStart = offset + headerLength;
        long available = bytes.Length - dataStart;
        switch (descr.Groups[1].Value)
        {
            case "<f4":
                if (available != shape.Count * 4) throw new InvalidDataFileException(name, $"data holds {available} bytes but shape {shape} of float32 needs {shape.Count * 4} (truncated or corrupt).");
                return new NpyArray(shape, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(dataStart)).ToArray(), null);
            case "<f8":
                if (available != shape.Count * 8) throw new InvalidDataFileException(name, $"data holds {available} bytes but shape {shape} of float64 needs {shape.Count * 8} (truncated or corrupt).");
                return new NpyArray(shape, null, MemoryMarshal.Cast<byte, double>(bytes.AsSpan(dataStart)).ToArray());
            default:
                throw new InvalidDataFileException(name, $"unsupported dtype '{descr.Groups[1].Value}' (only little-endian float32 '<f4' and float64 '<f8').");
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}

/// <summary>Whole-file writes that never leave a partial file: write a temp sibling, flush, rename over the target.</summary>
public static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"Output folder does not exist: {dir}");
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(bytes);
                fs.Flush(true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
}
