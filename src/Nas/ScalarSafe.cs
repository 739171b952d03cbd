namespace VideoNas.Nas;

/// <summary>
/// Tensor arithmetic with numbers that keeps each number's Scalar alive until libtorch has returned.
/// TorchSharp 0.107 turns a number into a Scalar object and passes libtorch only its handle; nothing keeps
/// the object reachable during the call, so a collection on another thread can finalize it while libtorch
/// still reads it (dotnet/TorchSharp#1434, #1496). It failed searches here with "Expected false to be
/// true" in Scalar::toFloat (inside SGD's weight-decay add, two replicas, ~1,500 steps) and "argument
/// alpha must not be a floating point number". Even <c>a.add(b)</c> is <c>a.add(b, 1)</c> inside
/// TorchSharp. Our code uses these instead; ImplicitScalarTests reads the IL to keep it so.
/// </summary>
public static class ScalarSafe
{
    // Static, so reachable for the life of the process.
    private static readonly Scalar One = 1.ToScalar();

    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a + alpha·b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add(b, s);
    }

    /// <summary>a += alpha·b.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add_(b, s);
    }

    public static Tensor Plus(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add(s, One);
    }

    public static Tensor PlusInPlace(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add_(s, One);
    }

    public static Tensor Times(this Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul(s);
    }

    public static Tensor TimesInPlace(this Tensor a, double factor)
    {
        using var s = factor.ToScalar();
        return a.mul_(s);
    }

    public static Tensor DividedBy(this Tensor a, double divisor)
    {
        using var s = divisor.ToScalar();
        return a.div(s);
    }

    /// <summary>a += value·t1·t2.</summary>
    public static Tensor AddCMulInPlace(this Tensor a, Tensor t1, Tensor t2, double value)
    {
        using var s = value.ToScalar();
        return a.addcmul_(t1, t2, s);
    }

    /// <summary>a += value·t1/t2.</summary>
    public static Tensor AddCDivInPlace(this Tensor a, Tensor t1, Tensor t2, double value)
    {
        using var s = value.ToScalar();
        return a.addcdiv_(t1, t2, s);
    }

    public static Tensor EqualTo(this Tensor a, long value)
    {
        using var s = value.ToScalar();
        return a.eq(s);
    }
}
