using System.Globalization;
using VideoNas.Core.Data;
using VideoNas.Core.Search;
using VideoNas.Grains;

namespace VideoNas.Client.Commands.Bench;

/// <summary>
/// The data-parallel step benchmark: a real cluster on loopback (redis-server and one silo process per
/// shard), one search trial each on 1, 2, 4… shards, and where their steps spend the time, as the
/// coordinator measures it (<see cref="StepTiming"/>).
/// </summary>
public static class ClusterBench
{
    public static Command Create()
    {
        var shards = new Option<string>("--shards") { Description = "shard counts, comma-separated", DefaultValueFactory = _ => "1,2,4", HelpName = "LIST" };
        var steps = CliOptions.Number("--steps", 10, "timed steps per trial after one warm-up step");
        var perShard = CliOptions.Number("--batch-per-shard", 2, "clips per shard per step", "B");
        var bucketMb = new Option<double>("--bucket-mb")
        {
            Description = "reduce_bucket_mb of the trials (0: one all-reduce after backward, timed alone). Above 0, w gradients go in buckets " +
                "reduced while backward runs; their time then includes waiting for peers still in backward, so no bus figure",
            HelpName = "MB",
        };
        var config = CliOptions.Config("a search config; default: the demo's network. The data is the demo's synthetic set");
        var state = CliOptions.State();
        var command = new Command("cluster", """
            Step time on a loopback cluster of 1, 2, 4… shards: compute, all-reduce, wait, scaling.

            Starts redis-server and one silo process per shard on loopback (Debian: apt-get install redis-server),
            each with cores / max(shards) libtorch threads, then runs one search trial on each shard count, the
            per-shard batch fixed (weak scaling), and prints per step: the coordinator's wall time; each shard's
            compute (loading, forward, backward, update), the all-reduce time it waited for, its wait for the
            slowest shard, and the all-reduce time its backward hid; the all-reduce bus bandwidth
            2(N−1)/N · bytes / reduce time; the loopback TCP ceiling (one process streaming to another, same
            run); clips per second and the scaling efficiency (clips/s on N shards ÷ N × clips/s on one).
            """) { shards, steps, perShard, bucketMb, config, state };
        command.SetAction((r, cancel) => Run(AllReduceBench.IntList(r.GetValue(shards)!, "shards"), r.GetValue(steps), r.GetValue(perShard),
            r.GetValue(bucketMb), Path.GetFullPath(r.GetValue(state)!), r.GetValue(config)));
        return command;
    }

    private static async Task<int> Run(List<int> shardCounts, int steps, int perShard, double bucketMb, string stateDir, string? configPath)
    {
        if (shardCounts.Any(n => n < 1) || steps < 1 || perShard < 1) throw new UsageException("--shards, --steps and --batch-per-shard must be at least 1");
        if (bucketMb < 0) throw new UsageException("--bucket-mb must not be negative");
        var baseConfig = DemoCommand.ConfigOrDemo(configPath);
        string data = DefaultDataset.Resolve(null, stateDir, (int)baseConfig.Seed);
        var dataset = DatasetLayout.Open(data, 1);

        // Each silo gets an equal share of the cores, whatever the trial size: weak scaling on fixed resources per shard.
        int threads = Math.Max(1, Environment.ProcessorCount / shardCounts.Max());
        using var cluster = new LoopbackCluster("--Logging:LogLevel:Default", "Warning", "--VideoNas:Devices:TorchThreads", $"{threads}");
        for (int i = 0; i < shardCounts.Max(); i++) cluster.StartSilo();
        await using var connection = await cluster.ConnectAsync();
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"{shardCounts.Max()} silo processes on loopback, {Environment.ProcessorCount} cores, {threads} libtorch thread(s) each; " +
            $"{steps} timed steps per trial, {perShard} clips per shard, " +
            (bucketMb > 0 ? $"w gradients in buckets of {bucketMb.ToString(c)} MiB overlapping backward" : "one all-reduce after each backward"));
        Console.WriteLine("| shards | step s | compute s | reduce s | wait s | hidden s | MB per step | bus MB/s | TCP ceiling MB/s | clips/s | scaling efficiency |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        double? oneShard = null;
        double? ceiling = null;
        foreach (int n in shardCounts)
        {
            int batch = n * perShard, halves = dataset.Train.Count / 2;
            int perEpoch = Math.Max(1, halves / batch);
            var config = baseConfig with
            {
                BatchSize = batch,
                StepsPerEpoch = 0,
                Epochs = (steps + 1 + perEpoch - 1) / perEpoch,
                CheckpointEvery = 0,
                ReplicaCheckEvery = 0,
                ReduceBucketMb = bucketMb,
            };
            string id = $"bench-{n}-{DateTime.UtcNow:HHmmssfff}";
            var trial = connection.Client.GetGrain<ITrialCoordinatorGrain>(id);
            var status = await trial.Submit(new TrialSpec(config.ToJson(), data, 1, Path.Combine(stateDir, "runs", id), n));
            while (!status.State.IsTerminal() && (status.Timing?.Steps ?? 0) < steps)
            {
                await Task.Delay(500);
                status = await trial.GetStatus();
            }
            if (status.State == TrialState.Failed) throw new InvalidOperationException($"trial on {n} shards failed: {status.Error}");
            await trial.Cancel();
            var t = status.Timing ?? throw new InvalidOperationException($"trial on {n} shards ended before a timed step");
            // Measured once, at the size the shards actually reduce (a 1-shard trial reduces nothing).
            if (t.BytesPerStep > 0) ceiling ??= AllReduceBench.TcpCeiling((int)Math.Ceiling(t.BytesPerStep / 1048576.0), 5);
            double clipsPerSecond = batch / t.StepSeconds;
            oneShard ??= n == 1 ? clipsPerSecond : null;
            string bus = n == 1 || t.ReduceSeconds == 0 || bucketMb > 0 ? "–" : (2.0 * (n - 1) / n * t.BytesPerStep / t.ReduceSeconds / 1e6).ToString("F0", c);
            string efficiency = oneShard is { } one ? (clipsPerSecond / (n * one)).ToString("P0", c) : "–";
            string tcp = t.BytesPerStep > 0 ? ceiling!.Value.ToString("F0", c) : "–";
            Console.WriteLine(string.Format(c, "| {0} | {1:F3} | {2:F3} | {3:F3} | {4:F3} | {5:F3} | {6:F1} | {7} | {8} | {9:F1} | {10} |",
                n, t.StepSeconds, t.ComputeSeconds, t.ReduceSeconds, t.WaitSeconds, t.OverlappedSeconds, t.BytesPerStep / 1e6, bus, tcp,
                clipsPerSecond, efficiency));
        }
        return 0;
    }
}
