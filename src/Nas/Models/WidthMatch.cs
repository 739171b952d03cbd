namespace VideoNas.Nas.Models;

/// <summary>
/// The width multiplier at which a manual baseline has about as many parameters as another network, so an
/// architecture is compared with a baseline of its own size and not only with one a hundred times larger.
/// </summary>
public static class WidthMatch
{
    /// <summary>Bisection on the logarithm of the width (parameters grow about with its square), within (1/512, 1].</summary>
    public static (double Width, long Params) For(string baseline, int classes, long targetParams)
    {
        long Count(double width)
        {
            using var model = ModelZoo.CreateBackbone(baseline, classes, width);
            return ModelZoo.ParameterCount(model);
        }
        double lo = 1.0 / 512, hi = 1.0;
        long atHi = Count(hi);
        if (atHi <= targetParams) return (hi, atHi);
        long atLo = Count(lo);
        for (int i = 0; i < 16 && hi / lo > 1.01; i++)
        {
            double mid = Math.Sqrt(lo * hi);
            long atMid = Count(mid);
            if (atMid < targetParams) (lo, atLo) = (mid, atMid);
            else (hi, atHi) = (mid, atMid);
        }
        // Channel counts round, so parameters move in steps: the nearer of the two ends, by ratio.
        return Math.Abs(Math.Log((double)atLo / targetParams)) <= Math.Abs(Math.Log((double)atHi / targetParams)) ? (lo, atLo) : (hi, atHi);
    }
}
