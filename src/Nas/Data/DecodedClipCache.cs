using System.Collections.Concurrent;
using VideoNas.Core.Data;

namespace VideoNas.Nas.Data;

/// <summary>
/// Decoded clips of one dataset at one resolution, decoded once. A clip that fails to decode is
/// remembered with its reason and skipped by every caller, never fatal on its own.
/// </summary>
public sealed class DecodedClipCache(VideoDataset dataset, int resolution)
{
    private readonly ConcurrentDictionary<string, DecodedVideo?> _clips = new();
    private readonly ConcurrentDictionary<string, string> _bad = new();

    public VideoDataset Dataset { get; } = dataset;
    public IReadOnlyDictionary<string, string> BadClips => _bad;

    public DecodedVideo? Get(ClipEntry clip) => _clips.GetOrAdd(clip.RelativePath, _ =>
    {
        try
        {
            return Ffmpeg.Decode(Dataset.FullPath(clip), resolution, resolution);
        }
        catch (VideoDecodeException e)
        {
            _bad[clip.RelativePath] = e.Reason;
            return null;
        }
    });

    /// <summary>Decodes the given clips in parallel, so later epochs never wait for ffmpeg.</summary>
    public void Warm(IReadOnlyCollection<ClipEntry> clips, Action<int, int>? progress = null)
    {
        int done = 0;
        Parallel.ForEach(clips, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, clip =>
        {
            Get(clip);
            progress?.Invoke(Interlocked.Increment(ref done), clips.Count);
        });
    }
}
