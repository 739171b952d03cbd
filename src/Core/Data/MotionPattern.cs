namespace VideoNas.Core.Data;

/// <summary>
/// The synthetic classes. Each moves one square over a static textured background, wrapping around
/// the frame edges. Start positions and sizes are random, so any single frame is drawn from (nearly)
/// the same distribution in every class: only motion (direction, speed, growth, rhythm) tells them apart.
/// Speeds are in frame widths per clip, fast enough that consecutive frames differ visibly.
/// </summary>
// New classes go at the end: <c>--classes N</c> takes the first N, so earlier datasets stay the same.
public enum MotionPattern { MoveRight, MoveLeft, MoveDown, MoveUp, Grow, Shrink, FastRight, Jump, SlowRight, MoveDownRight }

public static class MotionPatterns
{
    public static readonly IReadOnlyList<MotionPattern> All = Enum.GetValues<MotionPattern>();

    /// <summary>
    /// The square's centre (fractions of the frame, in [0, 1), wrapped) and side (fraction) at time t ∈ [0, 1].
    /// <paramref name="speed"/> is in frame widths per clip.
    /// </summary>
    public static (double X, double Y, double Side) At(MotionPattern pattern, double t, double x0, double y0, double side, double speed)
    {
        static double Wrap(double v) => v - Math.Floor(v);
        // Grow and shrink cycle twice per clip, so the size at any instant is spread like the movers'.
        double cycle = Wrap(2 * t);
        var (x, y, s) = pattern switch
        {
            MotionPattern.MoveRight => (x0 + speed * t, y0, side),
            MotionPattern.MoveLeft => (x0 - speed * t, y0, side),
            MotionPattern.MoveDown => (x0, y0 + speed * t, side),
            MotionPattern.MoveUp => (x0, y0 - speed * t, side),
            MotionPattern.Grow => (x0, y0, 0.1 + 0.3 * cycle),
            MotionPattern.Shrink => (x0, y0, 0.4 - 0.3 * cycle),
            MotionPattern.FastRight => (x0 + 2 * speed * t, y0, side),
            // Toggles between two places eight times per clip: rhythm without drift.
            MotionPattern.Jump => (x0 + ((int)(t * 8) % 2 == 0 ? 0 : 0.3), y0, side),
            // Half of MoveRight's speed and the diagonal: classes that differ from others in speed or direction alone.
            MotionPattern.SlowRight => (x0 + 0.5 * speed * t, y0, side),
            MotionPattern.MoveDownRight => (x0 + 0.7 * speed * t, y0 + 0.7 * speed * t, side),
            _ => throw new ArgumentOutOfRangeException(nameof(pattern)),
        };
        return (Wrap(x), Wrap(y), s);
    }
}
