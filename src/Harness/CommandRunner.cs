using System.CommandLine;

namespace Harness;

/// <summary>
/// Runs the parsed command and turns every expected failure (bad shape, bad config, missing file,
/// no Python, ...) into one clear line on stderr and a non-zero exit code, never a stack trace.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Exit code for bad input (usage, configuration, files).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for an unexpected internal error.</summary>
    public const int InternalError = 70;

    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            return parse.Invoke(config);
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"harness: error: {ex.Message}");
            return BadInput;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"harness: internal error: {ex.GetType().Name}: {ex.Message}");
            if (Environment.GetEnvironmentVariable("HARNESS_DEBUG") == "1")
                Console.Error.WriteLine(ex);
            return InternalError;
        }
    }

    /// <summary>Errors caused by what the user asked for, reported as one line.</summary>
    private static bool IsUserError(Exception ex) =>
        ex is WeightInit.WeightInitException
            or ArgumentException
            or FormatException
            or IOException
            or UnauthorizedAccessException
            or System.Text.Json.JsonException
            or InvalidDataException;
}
