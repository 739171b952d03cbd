using VideoNas.Core.Data;
using static TorchSharp.torch;

namespace VideoNas.Nas.Data;

/// <summary>Turns sampled frames of decoded clips into a [batch, K, 3, F, H, W] tensor scaled to [−1, 1].</summary>
public static class ClipTensorizer
{
    public static Tensor ToTensor(IReadOnlyList<(DecodedVideo Video, int[] Frames)> clips, int segments, int framesPerSegment)
    {
        var first = clips[0].Video;
        int h = first.Height, w = first.Width, plane = h * w;
        int perClip = segments * 3 * framesPerSegment * plane;
        var data = new float[clips.Count * perClip];
        for (int b = 0; b < clips.Count; b++)
        {
            var (video, frames) = clips[b];
            for (int k = 0; k < segments; k++)
                for (int f = 0; f < framesPerSegment; f++)
                {
                    var rgb = video.Frame(frames[k * framesPerSegment + f]);
                    for (int ch = 0; ch < 3; ch++)
                    {
                        // Layout [b, k, ch, f, y, x]: channel-major within a segment, as Conv3d expects.
                        int dst = b * perClip + ((k * 3 + ch) * framesPerSegment + f) * plane;
                        for (int p = 0; p < plane; p++) data[dst + p] = rgb[p * 3 + ch] / 127.5f - 1f;
                    }
                }
        }
        return tensor(data, [clips.Count, segments, 3, framesPerSegment, h, w]);
    }
}
