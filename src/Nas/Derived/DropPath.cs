namespace VideoNas.Nas.Derived;

public static class DropPath
{
    /// <summary>Zeroes whole samples with probability p and rescales the rest, in training only.</summary>
    public static Tensor Apply(Tensor x, double p, bool training, Generator generator)
    {
        if (!training || p <= 0) return x.alias();
        using var scope = NewDisposeScope();
        var mask = empty([x.shape[0], 1, 1, 1, 1], x.dtype, x.device).bernoulli_(1 - p, generator);
        return x.DividedBy(1 - p).mul(mask).MoveToOuterDisposeScope();
    }
}
