namespace VideoNas.Tests;

/// <summary>
/// The supernet the tests search with on <see cref="SyntheticDataFixture"/>'s clips: small enough for a
/// step in a fraction of a second on one core. Each test adds its batch, epochs, seed and policies.
/// </summary>
public static class TinySearch
{
    public static readonly SearchConfig Network = new()
    {
        InitChannels = 4, Layers = 3, Steps = 2, Segments = 2, FramesPerSegment = 2, Resolution = 16,
    };
}
