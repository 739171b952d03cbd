using VideoNas.Core.Data;
using VideoNas.Nas.Search;

namespace VideoNas.Nas.Data;

/// <summary>Turns sampled clips into a [batch, K, 3, F, H, W] tensor scaled to [−1, 1].</summary>
public static class ClipTensorizer
{
    public static Tensor ToTensor(IReadOnlyList<SampledClip> clips, int segments, int framesPerSegment)
    {
        int size = clips[0].Size, plane = size * size;
        int perClip = segments * 3 * framesPerSegment * plane;
        var data = new float[clips.Count * perClip];
        for (int b = 0; b < clips.Count; b++)
            for (int k = 0; k < segments; k++)
                for (int f = 0; f < framesPerSegment; f++)
                {
                    var rgb = clips[b].Frame(k * framesPerSegment + f);
                    for (int ch = 0; ch < 3; ch++)
                    {
                        // Layout [b, k, ch, f, y, x]: channel-major within a segment, as Conv3d expects.
                        int dst = b * perClip + ((k * 3 + ch) * framesPerSegment + f) * plane;
                        for (int p = 0; p < plane; p++) data[dst + p] = rgb[p * 3 + ch] / 127.5f - 1f;
                    }
                }
        return tensor(data, [clips.Count, segments, 3, framesPerSegment, size, size]);
    }

    public static ClipBatch ToBatch(IReadOnlyList<(ClipEntry Clip, SampledClip Sample)> loaded, ClipSampling sampling) =>
        new(ToTensor(loaded.Select(x => x.Sample).ToList(), sampling.Segments, sampling.FramesPerSegment),
            tensor(loaded.Select(x => (long)x.Clip.Label).ToArray()));
}
