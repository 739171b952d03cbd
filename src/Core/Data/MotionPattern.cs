namespace VideoNas.Core.Data;

/// <summary>
/// The synthetic classes. Each moves one square over a static textured background. Start positions
/// and sizes are random, so any single frame is drawn from (nearly) the same distribution in every
/// class: only motion (direction, speed, growth, rhythm) tells them apart.
/// </summary>
public enum MotionPattern { MoveRight, MoveLeft, MoveDown, MoveUp, Grow, Shrink, FastRight, Jump }

public static class MotionPatterns
{
    public static readonly IReadOnlyList<MotionPattern> All = Enum.GetValues<MotionPattern>();

    /// <summary>The square's centre (as fractions of the frame) and side (fraction) at time t ∈ [0, 1].</summary>
    public static (double X, double Y, double Side) At(MotionPattern pattern, double t, double x0, double y0, double side, double span)
    {
        double Lerp(double a, double b) => a + (b - a) * t;
        return pattern switch
        {
            MotionPattern.MoveRight => (Lerp(x0 - span / 2, x0 + span / 2), y0, side),
            MotionPattern.MoveLeft => (Lerp(x0 + span / 2, x0 - span / 2), y0, side),
            MotionPattern.MoveDown => (x0, Lerp(y0 - span / 2, y0 + span / 2), side),
            MotionPattern.MoveUp => (x0, Lerp(y0 + span / 2, y0 - span / 2), side),
            MotionPattern.Grow => (x0, y0, Lerp(0.1, 0.35)),
            MotionPattern.Shrink => (x0, y0, Lerp(0.35, 0.1)),
            // Wraps around twice as fast: same positions as MoveRight, different speed.
            MotionPattern.FastRight => (x0 - span / 2 + (2 * t * span) % span, y0, side),
            // Toggles between two places every eighth of the clip: rhythm without drift.
            MotionPattern.Jump => ((int)(t * 8) % 2 == 0 ? x0 - span / 4 : x0 + span / 4, y0, side),
            _ => throw new ArgumentOutOfRangeException(nameof(pattern)),
        };
    }
}
