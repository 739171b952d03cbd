using VideoNas.Core.Data;

namespace VideoNas.Tests;

/// <summary>A tiny synthetic dataset of real AVI files, written once per test run with ffmpeg.</summary>
public sealed class SyntheticDataFixture : IDisposable
{
    public static readonly SynthOptions Options = new() { Classes = 2, Groups = 3, ClipsPerGroup = 2, Frames = 12, Size = 24, Seed = 5 };

    public string Root { get; } = Directory.CreateTempSubdirectory("videonas-synth-").FullName;

    public SyntheticDataFixture() => SyntheticMotionDataset.Generate(Root, Options);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
