using VideoNas.Core.Data;
using VideoNas.Core.GroundTruth;

namespace VideoNas.Client.Commands.GroundTruth;

/// <summary>What the commands that read a ground-truth table take: the table, and the dataset it was built on.</summary>
public static class GroundTruthInputs
{
    public static Option<string> TableOption(string description = "the ground-truth table (table.json or its folder)") =>
        new("--table") { Description = description, Required = true, HelpName = "DIR" };

    public static Option<string> DataOption() =>
        new("--data") { Description = "the dataset the table was built on (its fingerprint is checked)", Required = true, HelpName = "DIR" };

    public static GroundTruthTable Table(string path) =>
        GroundTruthTable.Read(Directory.Exists(path) ? Path.Combine(path, GroundTruthTable.FileName) : path);

    /// <summary>The dataset, if it is the one the table's rows were trained on; scores on another could not be compared with them.</summary>
    public static VideoDataset Dataset(GroundTruthTable table, string tablePath, string dataDir, int split)
    {
        var dataset = DatasetLayout.Open(dataDir, split, 0);
        string fingerprint = GroundTruthTable.Fingerprint(dataset);
        if (fingerprint != table.DatasetFingerprint)
            throw new UsageException($"--data {dataDir}: not the dataset {tablePath} was built on (fingerprint {fingerprint}, " +
                $"the table's {table.DatasetFingerprint}, \"{table.Dataset}\")");
        return dataset;
    }
}
