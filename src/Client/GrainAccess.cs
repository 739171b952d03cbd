using VideoNas.Silo;

namespace VideoNas.Client;

/// <summary>
/// Where a command finds its grains: a running cluster (<see cref="ClusterConnection"/>), or, with
/// <c>--state DIR</c>, the embedded default's state folder, opened by an in-process silo of its own
/// (so the experiments of an earlier <c>experiment run</c> can be listed and read).
/// </summary>
public sealed class GrainAccess : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    public IGrainFactory Grains { get; }

    private GrainAccess(IAsyncDisposable owner, IGrainFactory grains) => (_owner, Grains) = (owner, grains);

    /// <summary>--state, besides the cluster options.</summary>
    public sealed class Options
    {
        public ClusterConnection.Options Cluster { get; } = new();

        public Option<string?> State { get; } = new("--state")
        {
            Description = "read the embedded default's state folder (as experiment run and demo leave it) instead of a cluster", HelpName = "DIR",
        };

        public IEnumerable<Option> All => Cluster.All.Append(State);
    }

    public static async Task<GrainAccess> OpenAsync(Options options, ParseResult r)
    {
        if (r.GetValue(options.State) is { } state)
        {
            string folder = Path.GetFullPath(state);
            if (!Directory.Exists(folder)) throw new UsageException($"--state {folder}: no such folder");
            var silo = await EmbeddedSilo.StartAsync(folder);
            return new GrainAccess(silo, silo.Grains);
        }
        var connection = await ClusterConnection.OpenAsync(options.Cluster.Read(r));
        return new GrainAccess(connection, connection.Client);
    }

    public ValueTask DisposeAsync() => _owner.DisposeAsync();
}
