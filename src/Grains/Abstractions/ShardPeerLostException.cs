namespace VideoNas.Grains;

/// <summary>
/// A shard lost a peer of its all-reduce (the peer's silo died, a link broke): the one fault a restart
/// from the checkpoint cures. It crosses grain boundaries with its type, which the data plane's own
/// exceptions (in the Orleans-free core) cannot.
/// </summary>
[GenerateSerializer]
[Alias("VideoNas.ShardPeerLost")]
public sealed class ShardPeerLostException : Exception
{
    public ShardPeerLostException()
    {
    }

    public ShardPeerLostException(string message) : base(message)
    {
    }
}
