namespace VideoNas.Grains;

/// <summary>How trials survive lost silos (configuration section <c>VideoNas:Recovery</c>).</summary>
public sealed class RecoveryOptions
{
    /// <summary>
    /// Where checkpoints go, one folder per trial; a volume every silo mounts at the same path in a real
    /// cluster. Unset: <c>checkpoints/</c> inside the trial's output folder.
    /// </summary>
    public string? CheckpointDir { get; set; }

    /// <summary>Times one trial may restart from its last checkpoint before it is failed.</summary>
    public int MaxRecoveries { get; set; } = 5;

    /// <summary>How long a recovering trial waits for enough free devices (a replacement silo) before it fails.</summary>
    public TimeSpan DeviceWait { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a trial waits for the cluster to grow when it asks for more devices than all its silos have
    /// (free or not); then it fails, naming both numbers. A recovering trial waits <see cref="DeviceWait"/>.
    /// </summary>
    public TimeSpan CapacityWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a trial in the device queue renews its place and tries to lease.</summary>
    public TimeSpan QueuePoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often every silo wakes the unfinished trials, so one whose coordinator died resumes elsewhere.</summary>
    public TimeSpan KeeperInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on a control call (lease, release, close) to a silo that may be dead.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a trial retries writing its state while the grain storage (Redis) is unreachable.</summary>
    public TimeSpan StorageRetry { get; set; } = TimeSpan.FromMinutes(2);
}
