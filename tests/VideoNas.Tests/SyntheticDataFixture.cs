using VideoNas.Core.Data;

namespace VideoNas.Tests;

/// <summary>
/// A tiny synthetic dataset of real AVI files, written with ffmpeg once per test run and shared read-only
/// by every class that asks for it; deleted when the test process exits.
/// </summary>
public sealed class SyntheticDataFixture
{
    public static readonly SynthOptions Options = new() { Classes = 2, Groups = 3, ClipsPerGroup = 2, Frames = 12, Size = 24, Seed = 5 };

    private static readonly Lazy<TempFolder> Shared = new(() =>
    {
        var folder = new TempFolder("videonas-synth-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => folder.Dispose();
        SyntheticMotionDataset.Generate(folder.Path, Options);
        return folder;
    });

    public string Root { get; } = Shared.Value.Path;
}
