using System.CommandLine;

namespace Harness.Commands;

// Placeholder: filled in by the owner of this command.
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "(not yet implemented)");
        command.SetAction(_ => { Console.Error.WriteLine("harness: doctor: not implemented yet"); return 2; });
        return command;
    }
}
