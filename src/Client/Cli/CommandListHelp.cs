using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace VideoNas.Client.Cli;

/// <summary>
/// Help for a command with subcommands lists each by the first line of its description (System.CommandLine
/// would print every description whole); a command without subcommands gets the generated help, all of it.
/// </summary>
public sealed class CommandListHelp(HelpAction generated) : SynchronousCommandLineAction
{
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new CommandListHelp((HelpAction)help.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command.Subcommands.Count == 0) return generated.Invoke(parseResult);
        string path = PathOf(command);
        var visible = command.Subcommands.Where(c => !c.Hidden).ToList();
        int width = visible.Max(c => c.Name.Length) + 2;
        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine(command.Description?.TrimEnd());
        output.WriteLine();
        output.WriteLine($"Usage: {path} <command> [options]");
        output.WriteLine();
        output.WriteLine("Commands:");
        foreach (var c in visible) output.WriteLine($"  {c.Name.PadRight(width)}{c.Description?.Split('\n', 2)[0].Trim()}");
        output.WriteLine();
        output.WriteLine($"`{path} <command> --help` shows a command's description and options.");
        return 0;
    }

    /// <summary>How a user types the command: "videonas bench search".</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is not null; s = s.Parents.FirstOrDefault()) names.Add(s is RootCommand ? "videonas" : s.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
