using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WeightInit.Conformance.Engine;

/// <summary>A <c>--shard i/N</c> value is malformed.</summary>
public sealed class ShardSpecException : WeightInitException
{
    public ShardSpecException(string message) : base(message) { }
}

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (1-based, as CI matrices count): a case belongs to the shard whose
/// index is 1 + FNV-1a-64(UTF-8 case id) mod N. The split depends on the case id alone, never on catalog order, file
/// layout or the runtime's randomized string.GetHashCode, so every machine puts every case in the same shard, and
/// adding a case moves no other case.
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>Parses "i/N" with 1 ≤ i ≤ N.</summary>
    /// <exception cref="ShardSpecException">Not of the form i/N, or i outside 1..N.</exception>
    public static ShardSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ShardSpecException($"Invalid --shard '{text}': expected i/N, e.g. 2/4.");
        if (n < 1 || i < 1 || i > n)
            throw new ShardSpecException($"Invalid --shard '{text}': the shard index must be between 1 and N (N >= 1).");
        return new ShardSpec(i, n);
    }

    /// <summary>Whether the case <paramref name="caseId"/> belongs to this shard.</summary>
    public bool Contains(string caseId) => Of(caseId, Count) == Index;

    /// <summary>The shard (1..<paramref name="count"/>) a case id belongs to.</summary>
    public static int Of(string caseId, int count)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return (int)(Fnv1a64(Encoding.UTF8.GetBytes(caseId)) % (ulong)count) + 1;
    }

    /// <summary>FNV-1a, 64 bits (offset basis 14695981039346656037, prime 1099511628211; Fowler, Noll, Vo).</summary>
    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        ulong h = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            h ^= b;
            h *= 1099511628211UL;
        }
        return h;
    }

    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>
/// The identity of a case catalog: SHA-256 over its case files (name and bytes, in ordinal name order). Shards of one
/// run must agree on it; <c>harness merge</c> refuses reports of different catalogs.
/// </summary>
public static class CatalogFingerprint
{
    /// <summary>"sha256:&lt;hex&gt;" of the <c>*.json</c> files of a catalog folder.</summary>
    public static string Of(string catalogFolder)
    {
        ArgumentNullException.ThrowIfNull(catalogFolder);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in Directory.EnumerateFiles(catalogFolder, "*.json").Order(StringComparer.Ordinal))
        {
            var name = Encoding.UTF8.GetBytes(Path.GetFileName(file));
            var bytes = File.ReadAllBytes(file);
            sha.AppendData(BitConverter.GetBytes((long)name.Length));
            sha.AppendData(name);
            sha.AppendData(BitConverter.GetBytes((long)bytes.Length));
            sha.AppendData(bytes);
        }
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
