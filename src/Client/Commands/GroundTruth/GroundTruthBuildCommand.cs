using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using VideoNas.Core.Data;
using VideoNas.Core.Experiments;
using VideoNas.Core.GroundTruth;
using VideoNas.Core.Search;
using VideoNas.Core.Training;

namespace VideoNas.Client.Commands.GroundTruth;

/// <summary><c>groundtruth build</c>: trains random genotypes of a space under one config and keeps them in a table, resumably.</summary>
public static class GroundTruthBuildCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "the benchmark dataset (UCF101, rawframes or class folders)", Required = true, HelpName = "DIR" };
        var trainConfig = new Option<string>("--train-config") { Description = "the training config every architecture gets, e.g. docs/experiments/train.json", Required = true, HelpName = "FILE" };
        var primitives = new Option<string>("--primitives")
        {
            Description = $"the search space: {string.Join(", ", Primitives.Spaces.Keys)}, or a comma-separated list of operations", DefaultValueFactory = _ => "p3d", HelpName = "SPACE",
        };
        var steps = CliOptions.Number("--steps", 4, "intermediate nodes per cell, as the search's \"steps\"");
        var draws = CliOptions.Number("--draws", 30, "architectures: draws 0..N-1 of `genotype random` (a larger N later extends the table)");
        var seeds = new Option<string>("--seeds") { Description = "training seeds of every architecture: N, a list or a range", DefaultValueFactory = _ => "2", HelpName = "SEEDS" };
        var outDir = new Option<string>("--out") { Description = "the table's folder: table.json (the data) and table.md (ranked)", Required = true, HelpName = "DIR" };
        var split = CliOptions.Split();
        var threads = CliOptions.Threads("libtorch threads (0: libtorch's default); 1 leaves a core free while the table builds in the background");
        var command = new Command("build", """
            Trains random architectures of a search space and keeps them as a ground-truth table.

            Draws 0..N-1 of `genotype random` from the space, each trained from scratch under --train-config once per
            --seeds seed, on split --split of --data. After every training, table.json (the data: genotype, parameters,
            FLOPs, clip and video accuracy and wall time per seed) and table.md (ranked) are rewritten atomically, so an
            interrupted build loses at most the training in flight: the same command again goes on where it stopped.
            The table records the dataset's fingerprint, the space and the train config, and refuses to mix in rows
            trained under others. `evaluate --table` and the ranking methods read it instead of retraining.

            Example (the discriminative benchmark of docs/results.md, in the background on one core):
              nice videonas groundtruth build --data motion10-hard --train-config docs/experiments/train.json \
                --draws 30 --seeds 2 --threads 1 --out docs/results/groundtruth-p3d
            """) { data, trainConfig, primitives, steps, draws, seeds, outDir, split, threads };
        command.SetAction(r =>
        {
            string configPath = r.GetValue(trainConfig)!;
            var config = TrainConfig.FromJson(CliOptions.ReadConfig(configPath), configPath);
            var space = CliOptions.AsUsage(() => Primitives.Parse(r.GetValue(primitives)!, "--primitives"));
            int stepCount = r.GetValue(steps), drawCount = r.GetValue(draws);
            if (stepCount is < 1 or > 8) throw new UsageException($"--steps must be between 1 and 8, got {stepCount}");
            if (drawCount is < 1 or > 10_000) throw new UsageException($"--draws must be between 1 and 10000, got {drawCount}");
            var seedList = CliOptions.AsUsage(() => SeedList.Parse(r.GetValue(seeds)!, "--seeds"));
            CliOptions.ApplyThreads(r.GetValue(threads));
            return Build(r.GetValue(data)!, r.GetValue(split), config, space, stepCount, drawCount, seedList, Path.GetFullPath(r.GetValue(outDir)!));
        });
        return command;
    }

    private static int Build(string dataDir, int split, TrainConfig config, IReadOnlyList<string> space, int steps, int draws, IReadOnlyList<long> seeds, string outDir)
    {
        var dataset = DatasetLayout.Open(dataDir, split, 0);
        string tablePath = Path.Combine(outDir, GroundTruthTable.FileName);
        var fresh = new GroundTruthTable(GroundTruthTable.CurrentVersion, Path.GetFileName(Path.GetFullPath(dataDir).TrimEnd('/')) + $" split {split}",
            GroundTruthTable.Fingerprint(dataset), space, steps, JsonNode.Parse(config.ToJson())!, []);
        var table = File.Exists(tablePath) ? Compatible(GroundTruthTable.Read(tablePath), fresh, config, tablePath) : fresh;

        var c = CultureInfo.InvariantCulture;
        int total = draws * seeds.Count, done = table.Entries.Sum(e => e.Runs.Count(run => seeds.Contains(run.Seed)));
        Console.WriteLine($"ground truth: {draws} architectures × {seeds.Count} seeds on {dataset.Train.Count} training clips, " +
            $"{dataset.Test.Count} test videos; {done} of {total} trainings already in {tablePath}");
        for (int draw = 0; draw < draws; draw++)
        {
            var genotype = RandomGenotype.Sample(space, steps, draw);
            var genotypeJson = JsonNode.Parse(SearchFiles.ToJson(genotype))!;
            var entry = table.Entries.FirstOrDefault(e => e.Draw == draw);
            if (entry is not null && entry.Genotype.ToJsonString() != genotypeJson.ToJsonString())
                throw new InvalidDataException($"{tablePath}: draw {draw}'s genotype is not what `genotype random --seed {draw}` draws now; build a new table");
            foreach (long seed in seeds)
            {
                if (entry?.Runs.Any(run => run.Seed == seed) == true) continue;
                Console.WriteLine($"[{++done}/{total}] draw {draw}, seed {seed}: training {config.Epochs} epochs");
                var clock = Stopwatch.StartNew();
                var result = new ModelChoice($"draw {draw}", null, genotype).TrainFromScratch(config with { Seed = seed }, dataset);
                var run = new GroundTruthRun(seed, result.ClipAccuracy, result.VideoAccuracy, Math.Round(clock.Elapsed.TotalSeconds, 1));
                entry = entry is null
                    ? new GroundTruthEntry(draw, genotypeJson, result.Params, result.FlopsPerClip, [run])
                    : entry with { Runs = entry.Runs.Append(run).OrderBy(x => x.Seed).ToList() };
                table = table.With(entry);
                Directory.CreateDirectory(outDir);
                SearchFiles.WriteAtomically(tablePath, table.ToJson());
                SearchFiles.WriteAtomically(Path.Combine(outDir, "table.md"), table.ToMarkdown());
                Console.WriteLine(string.Format(c, "[{0}/{1}] draw {2}, seed {3}: video accuracy {4:P1}, clip accuracy {5:P1}, {6:N0} parameters, {7:F1} min",
                    done, total, draw, seed, result.VideoAccuracy, result.ClipAccuracy, result.Params, run.WallSeconds / 60));
            }
        }
        var (across, acrossSeeds, n) = table.Spreads();
        Console.WriteLine(string.Format(c, "table: {0} architectures; std across architectures {1:F1} points, across training seeds {2:F1} (ratio {3:F1}); {4}",
            n, across * 100, acrossSeeds * 100, across / acrossSeeds, tablePath));
        return 0;
    }

    /// <summary>The table on disk, if it was built on the same dataset, space and train config as this command asks for.</summary>
    private static GroundTruthTable Compatible(GroundTruthTable onDisk, GroundTruthTable asked, TrainConfig config, string path)
    {
        void Same(bool equal, string what) { if (!equal) throw new InvalidDataException($"{path}: built with another {what}; give a new --out or the same {what}"); }
        Same(onDisk.DatasetFingerprint == asked.DatasetFingerprint, "dataset (its fingerprint differs)");
        Same(onDisk.Primitives.SequenceEqual(asked.Primitives), "--primitives");
        Same(onDisk.Steps == asked.Steps, "--steps");
        Same(onDisk.TrainedWith(config), "train config");
        return onDisk;
    }
}
