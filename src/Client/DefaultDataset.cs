using VideoNas.Client.Commands;
using VideoNas.Core.Data;

namespace VideoNas.Client;

/// <summary>Where a command finds its data: --data when given, else the synthetic motion set under the state folder (written on first use).</summary>
public static class DefaultDataset
{
    /// <summary>The demo's synthetic set: 4 motion classes, 6 groups of 5 clips.</summary>
    public static readonly SynthOptions Options = new() { Classes = 4, Groups = 6, ClipsPerGroup = 5 };

    public static string Resolve(string? dataDir, string stateDir, int seed)
    {
        if (dataDir is not null)
        {
            if (!Directory.Exists(dataDir)) throw new UsageException($"--data {dataDir}: no such folder");
            return Path.GetFullPath(dataDir);
        }
        string dir = Path.Combine(stateDir, "data", $"synthetic-motion-s{seed}");
        if (!File.Exists(Path.Combine(dir, Ucf101Layout.ListFolder, "classInd.txt")))
            Commands.Dataset.SynthCommand.Generate(dir, Options with { Seed = seed });
        else
            Console.WriteLine($"using the synthetic dataset at {dir}");
        return dir;
    }
}
