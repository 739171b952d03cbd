namespace VideoNas.Core.Diagnostics;

public enum DoctorStatus { Pass, Warn, Fail }

/// <summary>One line of <c>videonas doctor</c>: what was checked, how it went, and what was found.</summary>
/// <param name="Required">Whether the embedded default (demo, search, train) needs it; a failed optional check is a warning.</param>
public sealed record DoctorCheck(string Name, DoctorStatus Status, string Detail, bool Required);

/// <summary>Everything <c>videonas doctor</c> found; it passes when no required check failed.</summary>
public sealed record DoctorReport(IReadOnlyList<DoctorCheck> Checks)
{
    public bool Passed => Checks.All(c => c.Status != DoctorStatus.Fail || !c.Required);
}
