using VideoNas.Core.Search;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Selection;

/// <summary>A finished (or interrupted) search's supernet, as its run folder keeps it: config.json and the last checkpoint.</summary>
public static class TrainedSupernet
{
    public const string ConfigFileName = "config.json";

    /// <summary>The search with the weights and α of <paramref name="runDir"/>'s latest checkpoint, and that checkpoint's path.</summary>
    public static (BilevelSearch Search, string Checkpoint) Open(string runDir, int classes)
    {
        string configPath = Path.Combine(runDir, ConfigFileName);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{runDir}: no {ConfigFileName}; give the output folder of a search", configPath);
        var config = SearchConfig.FromJson(File.ReadAllText(configPath), configPath);
        string checkpoints = Path.Combine(runDir, "checkpoints");
        string checkpoint = (Directory.Exists(checkpoints) ? Directory.GetFiles(checkpoints, "step-*.ckpt") : []).Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new FileNotFoundException($"{runDir}: no checkpoints/step-*.ckpt (a trial with VideoNas:Recovery:CheckpointDir keeps them there instead)");
        var search = new BilevelSearch(config, classes);
        try
        {
            SearchCheckpoint.Load(checkpoint, search);
            return (search, checkpoint);
        }
        catch
        {
            search.Dispose();
            throw;
        }
    }
}
