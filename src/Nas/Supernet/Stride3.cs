namespace VideoNas.Nas.Supernet;

/// <summary>A stride in time and (equally in height and width) in space.</summary>
public readonly record struct Stride3(int Time, int Space)
{
    public static readonly Stride3 One = new(1, 1);
    public bool IsOne => Time == 1 && Space == 1;
    public (long, long, long) AsTuple => (Time, Space, Space);
}
