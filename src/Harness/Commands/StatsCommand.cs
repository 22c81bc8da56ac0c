using System.CommandLine;

namespace Harness.Commands;

// Placeholder: filled in by the owner of this command.
internal static class StatsCommand
{
    public static Command Create()
    {
        var command = new Command("stats", "(not yet implemented)");
        command.SetAction(_ => { Console.Error.WriteLine("harness: stats: not implemented yet"); return 2; });
        return command;
    }
}
