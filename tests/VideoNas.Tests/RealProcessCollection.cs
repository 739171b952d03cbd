namespace VideoNas.Tests;

/// <summary>
/// Tests that start redis-server, silo or CLI processes and kill them: they run one at a time, after the
/// in-process tests, so they neither compete for the cores nor time each other out.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealProcessCollection
{
    public const string Name = "real processes";
}
