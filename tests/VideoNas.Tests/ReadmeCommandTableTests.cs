using System.CommandLine;
using VideoNas.Client.Cli;

namespace VideoNas.Tests;

/// <summary>The README's command table names every command the CLI has (a row per command, or its group's row).</summary>
public class ReadmeCommandTableTests
{
    [Fact]
    public void EveryCommandHasARowInTheReadme()
    {
        var rows = File.ReadAllLines(Path.Combine(DeployFiles.Root, "README.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();
        var missing = Leaves(CliApp.Build(), []).Where(path =>
        {
            string full = string.Join(' ', path);
            // A group's commands may share one row: "experiment submit …` / `list` / `status ID`".
            return !rows.Any(r => r.Contains($"`{full}", StringComparison.Ordinal)
                || (path.Count > 1 && r.Contains($"`{string.Join(' ', path.SkipLast(1))} ", StringComparison.Ordinal) && r.Contains($"`{path[^1]}", StringComparison.Ordinal)));
        }).Select(p => string.Join(' ', p)).ToList();
        Assert.Empty(missing);
    }

    private static IEnumerable<IReadOnlyList<string>> Leaves(Command command, IReadOnlyList<string> above) =>
        command.Subcommands.Count == 0
            ? [above]
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => Leaves(c, [.. above, c.Name])); // hidden: internal worker commands
}
