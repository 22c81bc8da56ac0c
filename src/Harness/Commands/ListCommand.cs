using System.CommandLine;
using WeightInit;

namespace Harness.Commands;

/// <summary><c>harness list</c>: every scheme with its names, formula and source.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("list", "List every initializer scheme with its formula and source.") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                var rows = InitializerRegistry.Schemes.Select(s => new KeyValuePair<string, object?>[]
                {
                    new("class_name", s.ClassName), new("names", s.Names.ToArray()), new("family", s.Family),
                    new("formula", s.Formula), new("source", s.Source),
                }).ToArray();
                Console.WriteLine(WeightInit.Serialization.PythonJson.Dumps(rows));
                return 0;
            }
            foreach (var s in InitializerRegistry.Schemes)
            {
                Console.WriteLine($"{s.ClassName,-20} {s.Family,-8} {s.Formula}");
                Console.WriteLine($"{"",-20} {"",-8} names: {string.Join(", ", s.Names)}; source: {s.Source}");
            }
            return 0;
        });
        return command;
    }
}
