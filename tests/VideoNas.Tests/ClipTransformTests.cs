using VideoNas.Core.Data;

namespace VideoNas.Tests;

public class ClipTransformTests
{
    /// <summary>A one-frame video whose pixel (x, y) holds (10x + y, 0, 200) in RGB.</summary>
    private static DecodedVideo Ramp(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                (rgb[(y * width + x) * 3], rgb[(y * width + x) * 3 + 2]) = ((byte)(10 * x + y), 200);
        return new DecodedVideo(rgb, 1, width, height);
    }

    private static byte Red(SampledClip c, int x, int y) => c.Rgb[(y * c.Size + x) * 3];

    [Fact]
    public void ABoxOfTheOutputSizeIsCopiedAndAFlipMirrorsIt()
    {
        var video = Ramp(5, 4);
        var copy = SampledClip.Cut(video, [0], new CropBox(1, 1, 3, 3, false), 3);
        Assert.Equal(new byte[] { 11, 21, 31 }, Enumerable.Range(0, 3).Select(x => Red(copy, x, 0)));
        Assert.Equal(new byte[] { 13, 23, 33 }, Enumerable.Range(0, 3).Select(x => Red(copy, x, 2)));
        Assert.Equal(200, copy.Rgb[2]);

        var flipped = SampledClip.Cut(video, [0], new CropBox(1, 1, 3, 3, true), 3);
        Assert.Equal(new byte[] { 31, 21, 11 }, Enumerable.Range(0, 3).Select(x => Red(flipped, x, 0)));
    }

    [Fact]
    public void HalvingABoxAveragesPixelPairsBilinearly()
    {
        // Output pixel o of a 4→2 resize samples source position (o + 0.5)·2 − 0.5 = 0.5 or 2.5:
        // halfway between columns 0,1 and 2,3, and rows likewise. Red(0,0) = mean of 0, 10, 1, 11 = 5.5 → 6.
        var half = SampledClip.Cut(Ramp(4, 4), [0], new CropBox(0, 0, 4, 4, false), 2);
        Assert.Equal(6, Red(half, 0, 0));   // 5.5 rounds up
        Assert.Equal(26, Red(half, 1, 0));  // mean of 20, 30, 21, 31 = 25.5
        Assert.Equal(8, Red(half, 0, 1));   // mean of 2, 12, 3, 13 = 7.5
    }

    [Fact]
    public void CentreAndRandomCropsStayInsideTheFrame()
    {
        Assert.Equal(new CropBox(4, 0, 24, 24, false), CropBox.Center(32, 24, 24));
        Assert.Equal(new CropBox(3, 0, 24, 24, false), CropBox.Center(30, 24, 112)); // never larger than the short side
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            var box = CropBox.MultiScale(40, 30, random, flip: true);
            Assert.Contains(box.Width, new[] { 30, 26, 22, 19 });  // 30 × (1, .875, .75, .66)
            Assert.Contains(box.Height, new[] { 30, 26, 22, 19 });
            Assert.True(Math.Abs(Array.IndexOf(new[] { 30, 26, 22, 19 }, box.Width) - Array.IndexOf(new[] { 30, 26, 22, 19 }, box.Height)) <= 1);
            Assert.InRange(box.X, 0, 40 - box.Width);
            Assert.InRange(box.Y, 0, 30 - box.Height);
            var square = CropBox.Random(40, 30, 24, random, flip: false);
            Assert.InRange(square.X, 0, 16);
            Assert.InRange(square.Y, 0, 6);
            Assert.False(square.Flip);
        }
    }

    [Fact]
    public void APrefetcherGivesTheSameSequenceAsLoadingOnDemandAndFailsAtTheFailingItem()
    {
        (int, int) Square(int n) => n == 5 ? throw new InvalidDataException("item 5") : (n * n, n + 1);
        using var ahead = new Prefetcher<int, int>(0, Square, depth: 3);
        using var onDemand = new Prefetcher<int, int>(0, Square, depth: 0);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(i * i, ahead.Next());
            Assert.Equal(i * i, onDemand.Next());
            // The producer may be further on; the consumer's position is after the item it took.
            Assert.Equal(i + 1, ahead.State);
        }
        Assert.Equal("item 5", Assert.Throws<InvalidDataException>(() => ahead.Next()).Message);
        Assert.Equal("item 5", Assert.Throws<InvalidDataException>(() => onDemand.Next()).Message);
    }
}
