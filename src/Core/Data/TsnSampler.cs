namespace VideoNas.Core.Data;

/// <summary>
/// TSN sampling: the clip is cut into K equal segments and F frames, <c>stride</c> apart, are taken from each.
/// Training picks a random start inside each segment; testing takes the segment centre. A clip with
/// fewer than K·F frames is sampled with repetition (indices wrap), as TSN does.
/// </summary>
public static class TsnSampler
{
    /// <summary>
    /// Test-time sampling for clip <paramref name="clip"/> of <paramref name="clips"/> uniformly spaced clips:
    /// each segment's start moves through the room in the segment. One clip is the centre.
    /// </summary>
    public static int[] SampleTestClip(int frameCount, int segments, int framesPerSegment, int stride, int clip, int clips) =>
        Sample(frameCount, segments, framesPerSegment, null, stride, (clip + 0.5) / clips);

    public static int[] Sample(int frameCount, int segments, int framesPerSegment, Random? random, int stride = 1) =>
        Sample(frameCount, segments, framesPerSegment, random, stride, 0.5);

    private static int[] Sample(int frameCount, int segments, int framesPerSegment, Random? random, int stride, double position)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), "the frame stride must be at least 1");
        if (frameCount < 1) throw new ArgumentOutOfRangeException(nameof(frameCount), "a clip needs at least one frame");
        var indices = new int[segments * framesPerSegment];
        double segmentLength = (double)frameCount / segments;
        for (int k = 0; k < segments; k++)
        {
            int segStart = (int)Math.Floor(k * segmentLength);
            int room = Math.Max(0, (int)Math.Floor(segmentLength) - ((framesPerSegment - 1) * stride + 1));
            int offset = random is null ? (int)(room * position + 1e-9) : random.Next(room + 1);
            for (int f = 0; f < framesPerSegment; f++)
                indices[k * framesPerSegment + f] = (segStart + offset + f * stride) % frameCount;
        }
        return indices;
    }

    public static bool NeedsRepetition(int frameCount, int segments, int framesPerSegment, int stride = 1) =>
        frameCount < segments * ((framesPerSegment - 1) * stride + 1);
}
