namespace WeightInit.Conformance;

/// <summary>Conformance data (case catalog or reference data) is missing, malformed, corrupt or inconsistent.</summary>
public class ConformanceDataException : WeightInitException
{
    public ConformanceDataException(string path, string message) : base($"{path}: {message}") => Path = path;
    public ConformanceDataException(string path, string message, Exception inner) : base($"{path}: {message}", inner) => Path = path;

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }
}

/// <summary>A case file of <c>conformance/cases/</c> is malformed, or one of its cases is invalid.</summary>
public sealed class CaseCatalogException : ConformanceDataException
{
    public CaseCatalogException(string path, string? caseId, string message, Exception? inner = null)
        : base(path, caseId is null ? message : $"case '{caseId}': {message}", inner ?? new InvalidOperationException(message)) => CaseId = caseId;

    /// <summary>The id (or "#index") of the offending case, when the problem is in one case.</summary>
    public string? CaseId { get; }
}

/// <summary>
/// Reference data (<c>reference-data/&lt;framework&gt;/&lt;version&gt;/</c>) failed verification: the manifest breaks the
/// schema, a file is missing, truncated or altered (sha256 mismatch), or the data disagree with the catalog.
/// </summary>
public sealed class ReferenceDataException : ConformanceDataException
{
    public ReferenceDataException(string path, string? caseId, string message, Exception? inner = null)
        : base(path, caseId is null ? message : $"case '{caseId}': {message}", inner ?? new InvalidOperationException(message)) => CaseId = caseId;

    public string? CaseId { get; }
}
