namespace VideoNas.Grains;

/// <summary>
/// A call reached a shard activation that holds no open replica: it was closed, or Orleans made a fresh
/// activation of its key (after the grain was collected, or as the directory rebuilt itself when a silo
/// died). The replica it had is gone, so reopening from the checkpoint cures it, as for a lost peer.
/// </summary>
[GenerateSerializer]
[Alias("VideoNas.ShardNotOpen")]
public sealed class ShardNotOpenException : Exception
{
    public ShardNotOpenException()
    {
    }

    public ShardNotOpenException(string message) : base(message)
    {
    }
}
