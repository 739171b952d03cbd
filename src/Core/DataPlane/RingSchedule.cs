namespace VideoNas.Core.DataPlane;

/// <summary>
/// The arithmetic of a ring all-reduce over N members: the buffer is cut into N segments and each segment
/// into chunks. In step k (0 ≤ k &lt; 2(N−1)) member r sends segment (r − k) mod N to its successor and
/// receives segment (r − k − 1) mod N from its predecessor; the first N−1 steps add what arrives
/// (reduce-scatter), after which member r holds the complete segment (r + 1) mod N, and the last N−1
/// steps copy it around (all-gather).
/// </summary>
public sealed class RingSchedule(int length, int members, int chunkFloats)
{
    public int Steps => 2 * (members - 1);

    /// <summary>True for the steps whose received chunks are added rather than copied.</summary>
    public bool IsReduceStep(int step) => step < members - 1;

    /// <summary>The step after which the received segment is complete and is scaled to a mean.</summary>
    public bool IsLastReduceStep(int step) => step == members - 2;

    public int SendSegment(int rank, int step) => Mod(rank - step, members);

    public int ReceiveSegment(int rank, int step) => Mod(rank - step - 1, members);

    /// <summary>Segment sizes differ by at most one element.</summary>
    public (int Offset, int Count) Segment(int segment)
    {
        int baseSize = length / members, extra = length % members;
        int offset = segment * baseSize + Math.Min(segment, extra);
        return (offset, baseSize + (segment < extra ? 1 : 0));
    }

    public IEnumerable<(int Offset, int Count)> Chunks(int segment)
    {
        var (offset, count) = Segment(segment);
        for (int done = 0; done < count; done += chunkFloats)
            yield return (offset + done, Math.Min(chunkFloats, count - done));
    }

    private static int Mod(int a, int n) => ((a % n) + n) % n;
}
